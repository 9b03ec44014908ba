import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import type { Channel } from '../channels/channels.table.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

const hq = () => t.actors.hq_marketing

/** A store of its own, `n` members registered there (phone; consent on the channels given), and a segment of exactly them. */
const audience = async (n: number, consents: Array<'sms' | 'email' | 'wechat' | 'app_push'> = ['sms'], extra: (i: number) => Record<string, unknown> = () => ({})) => {
  const storeId = await t.given.store()
  const members = []
  for (let i = 0; i < n; i++) {
    const m = await t.given.member({ by: t.actors.hq_admin, registrationStoreId: storeId, name: `会员${i}`, consents: Object.fromEntries(consents.map((c) => [c, true])), ...extra(i) })
    members.push(m)
  }
  const segment = await t.services.segments.create(hq(), { name: `门店会员 ${storeId}`, definition: { field: 'registration_store', op: 'in', value: [storeId] } })
  return { storeId, members, segment }
}

let templateCount = 0
const template = async (channel: Channel = 'sms', bodyZh = '{{memberName}}您好，送您{{couponName}}，券码{{couponCode}}，{{couponValidUntil}}前有效') => {
  const name = `活动模板${++templateCount}`
  return t.services.templates.create(hq(), { name, channel, purpose: 'marketing', bodyZh, subjectZh: channel === 'email' ? '会员专享' : undefined })
}

const couponTemplate = () => t.given.couponTemplate({ name: `活动券${++templateCount}`, kind: 'threshold', value: 1000, minSpend: 5000, validDays: 30 })

let nameCount = 0
const newCampaign = async (input: Record<string, unknown>) => t.services.campaigns.create(hq(), { name: `活动${++nameCount}`, ...input } as never)

/** Runs the jobs until none is due, moving the clock a minute at a time while a send waits for its next minute. */
const runAll = async (minutes = 10) => {
  for (let i = 0; i < minutes; i++) {
    await t.drainJobs()
    t.clock.advance(60_000)
  }
  await t.drainJobs()
}

describe('campaigns', () => {
  it('sends once to each target on the first channel they agreed to, holds out a share, issues one coupon each, and reports', async () => {
    const { members, segment } = await audience(40)
    const sms = await template('sms')
    const coupon = await couponTemplate()
    const c = await newCampaign({ segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id }, couponTemplateId: coupon.id, holdoutPct: 25 })
    expect(c).toMatchObject({ status: 'draft', version: 1, holdoutPct: 25, ratePerMinute: 1000, attributionDays: 14 })
    const submitted = await t.services.campaigns.submit(hq(), c.id, 1)
    expect(submitted.status).toBe('scheduled')
    await runAll(2)
    const done = await t.services.campaigns.get(hq(), c.id)
    expect(done.status).toBe('completed')
    const run = done.runs[0]!
    expect(run).toMatchObject({ status: 'done', audience: 40, excluded: 0, noConsent: 0, chainHoldout: 0, pending: 0, failed: 0 })
    expect(run.holdout + run.targets).toBe(40)
    expect(run.holdout).toBeGreaterThan(0)
    expect(run.sent).toBe(run.targets)
    // The log holds exactly one message per target, none for the holdout.
    const msgs = await t.services.db.selectFrom('messages').select(['member_id', 'body', 'purpose', 'channel']).where('source_id', '=', run.id).execute()
    expect(msgs).toHaveLength(run.targets)
    const recipients = await t.services.db.selectFrom('campaign_recipients').selectAll().where('run_id', '=', run.id).execute()
    const held = new Set(recipients.filter((r) => r.grp === 'holdout').map((r) => r.member_id))
    expect(held.size).toBe(run.holdout)
    expect(msgs.some((m) => held.has(m.member_id!))).toBe(false)
    expect(new Set(msgs.map((m) => m.member_id)).size).toBe(msgs.length)
    // The message carries the member's own name in clear, the coupon's name and its code, signed and with the unsubscribe words.
    const first = msgs[0]!
    const member = members.find((m) => m.id === first.member_id)!
    const coupons = await t.services.db.selectFrom('coupons').select(['member_id', 'code', 'source', 'valid_to']).where('template_id', '=', coupon.id).execute()
    expect(coupons).toHaveLength(run.targets)
    expect(coupons.every((x) => x.source === 'campaign')).toBe(true)
    const code = coupons.find((x) => x.member_id === member.id)!.code
    expect(first.body).toMatch(/^【Patron】会员\d+您好，送您活动券\d+，券码/)
    expect(first.body).toContain(code)
    // Valid 30 days from issue: the coupon's own last day, not the template's (it has none).
    expect(first.body).toContain(`${coupons.find((x) => x.member_id === member.id)!.valid_to}前有效`)
    expect(first.body.endsWith('回T退订')).toBe(true)
    expect(first).toMatchObject({ purpose: 'marketing', channel: 'sms' })

    // Running the jobs again (a retry, a second worker) sends and issues nothing more.
    await t.services.campaigns.sendBatch({ runId: run.id })
    expect(await t.services.campaigns.startDue({ campaignId: c.id, dueAt: run.dueAt })).toMatchObject({ runId: null })
    expect((await t.services.campaigns.get(hq(), c.id)).runs).toHaveLength(1)
    expect((await t.services.db.selectFrom('messages').select('id').where('source_id', '=', run.id).execute()).length).toBe(run.targets)

    // Report: a target buys 100 yuan; a holdout member buys nothing.
    const buyer = recipients.find((r) => r.grp === 'target')!.member_id
    await t.given.receipt({ member: { id: buyer }, lines: [['SKU-CMP', 1, 10_000]], businessAt: t.clock.now().toISOString() })
    // A purchase before the run began is not the campaign's.
    await t.given.receipt({ member: { id: buyer }, lines: [['SKU-CMP', 1, 7_000]], businessAt: new Date(new Date(run.startedAt).getTime() - 60_000).toISOString() })
    const report = await t.services.campaigns.report(t.actors.analyst, c.id)
    expect(report.groups.target).toMatchObject({ members: run.targets, buyers: 1, sales: 10_000 })
    expect(report.groups.holdout).toMatchObject({ members: run.holdout, buyers: 0, sales: 0 })
    expect(report.uplift.incrementalSales).toBe(10_000)
    expect(report.uplift.incrementalLow!).toBeLessThan(10_000)
    expect(report.uplift.incrementalHigh!).toBeGreaterThan(10_000)
    expect(report.messages).toMatchObject({ total: run.targets, cost: run.targets * 5 })
    expect(report.coupons).toMatchObject({ issued: run.targets, used: 0 })
    expect(report.roi).toBeCloseTo((10_000 - run.targets * 5) / (run.targets * 5), 6)
    expect(report.partial).toBe(true)
    expect(report.daily.at(-1)).toMatchObject({ target: Math.round(10_000 / run.targets), holdout: 0 })
  })

  it('picks each member\'s channel in the order given and skips who agreed to none', async () => {
    const { members, segment } = await audience(6, [])
    const [a, b, c, d, e, f] = members as [typeof members[number], typeof members[number], typeof members[number], typeof members[number], typeof members[number], typeof members[number]]
    for (const m of [a, b]) await t.services.members.setConsent(t.actors.hq_admin, m.id, { channel: 'wechat', granted: true })
    for (const m of [a, c, e]) await t.services.members.setConsent(t.actors.hq_admin, m.id, { channel: 'sms', granted: true })
    await t.services.channels.bindChannelIds(a.id, { wechatOpenid: 'oA_member_a_openid_0000000001' })
    // b agreed to WeChat only and bound no OpenID: nothing reaches b.
    const wechat = await template('wechat', '{{memberName}}，本周会员日')
    const sms = await template('sms', '{{memberName}}，本周会员日')
    const camp = await newCampaign({ segmentId: segment.id, channels: ['wechat', 'sms'], templateIds: { wechat: wechat.id, sms: sms.id }, holdoutPct: 0 })
    await t.services.campaigns.submit(hq(), camp.id, 1)
    await runAll(2)
    const run = (await t.services.campaigns.get(hq(), camp.id)).runs[0]!
    // d and f agreed to nothing: never recipients. b is a recipient (WeChat consent) but has no OpenID.
    expect(run).toMatchObject({ audience: 6, noConsent: 2, targets: 4, sent: 3, skipped: 1, skippedBy: { no_channel: 1 }, sentBy: { wechat: 1, sms: 2 } })
    const rows = await t.services.db.selectFrom('campaign_recipients').select(['member_id', 'channel', 'status']).where('run_id', '=', run.id).execute()
    const by = new Map(rows.map((r) => [r.member_id, r]))
    expect(by.get(a.id)).toMatchObject({ channel: 'wechat', status: 'sent' })
    expect(by.get(c.id)).toMatchObject({ channel: 'sms', status: 'sent' })
    expect(by.get(b.id)).toMatchObject({ status: 'skipped' })
    expect(by.get(e.id)).toMatchObject({ channel: 'sms', status: 'sent' })
    expect(by.has(d.id) || by.has(f.id)).toBe(false)
  })

  it('leaves out the members of an excluded segment', async () => {
    const { members, segment } = await audience(5)
    const [first] = members
    const only = await t.services.segments.create(hq(), { name: `只含一人 ${first!.id}`, definition: { field: 'registration_store', op: 'in', value: [(await t.services.members.get(hq(), first!.id)).registrationStoreId!] } })
    // The excluded segment is the same store: every member is excluded, and nothing goes.
    const sms = await template('sms', '会员日')
    const camp = await newCampaign({ segmentId: segment.id, excludeSegmentIds: [only.id], channels: ['sms'], templateIds: { sms: sms.id }, holdoutPct: 0 })
    await t.services.campaigns.submit(hq(), camp.id, 1)
    await runAll(1)
    const run = (await t.services.campaigns.get(hq(), camp.id)).runs[0]!
    expect(run).toMatchObject({ audience: 5, excluded: 5, targets: 0, sent: 0 })
  })

  it('caps marketing messages per member across campaigns, and waits out quiet hours', async () => {
    await t.services.campaigns.saveSettings(t.actors.hq_admin, { capCount: 1, capDays: 7 })
    try {
      const { segment } = await audience(3)
      const sms = await template('sms', '第一场')
      const one = await newCampaign({ segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id }, holdoutPct: 0 })
      await t.services.campaigns.submit(hq(), one.id, 1)
      await runAll(1)
      const two = await newCampaign({ segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id }, holdoutPct: 0 })
      await t.services.campaigns.submit(hq(), two.id, 1)
      await runAll(1)
      expect((await t.services.campaigns.get(hq(), one.id)).runs[0]).toMatchObject({ sent: 3 })
      expect((await t.services.campaigns.get(hq(), two.id)).runs[0]).toMatchObject({ sent: 0, skipped: 3, skippedBy: { cap: 3 } })
    } finally {
      await t.services.campaigns.saveSettings(t.actors.hq_admin, { capCount: 0 })
    }
    // 22:30 in Shanghai: the run is prepared, its messages wait until 08:00.
    const saved = t.clock.now()
    try {
      t.clock.set('2026-03-03T14:30:00.000Z')
      const { segment } = await audience(2)
      const sms = await template('sms', '夜间不发')
      const night = await newCampaign({ segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id }, holdoutPct: 0 })
      await t.services.campaigns.submit(hq(), night.id, 1)
      await t.drainJobs()
      const waiting = (await t.services.campaigns.get(hq(), night.id)).runs[0]!
      expect(waiting).toMatchObject({ status: 'sending', targets: 2, pending: 2, sent: 0 })
      t.clock.set('2026-03-04T00:00:30.000Z') // 08:00:30 local
      await t.drainJobs()
      expect((await t.services.campaigns.get(hq(), night.id)).runs[0]).toMatchObject({ status: 'done', sent: 2 })
      const sent = await t.services.db.selectFrom('messages').select('created_at').where('source_id', '=', waiting.id).execute()
      expect(sent.every((m) => m.created_at >= '2026-03-04T00:00:00.000Z')).toBe(true)
    } finally {
      t.clock.set(saved)
    }
  })

  it('sends at its rate, a minute at a time; pauses, resumes and cancels', async () => {
    const { segment } = await audience(5)
    const sms = await template('sms', '慢慢发')
    const camp = await newCampaign({ segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id }, holdoutPct: 0, ratePerMinute: 2 })
    await t.services.campaigns.submit(hq(), camp.id, 1)
    await t.drainJobs()
    expect((await t.services.campaigns.get(hq(), camp.id)).runs[0]).toMatchObject({ sent: 2, pending: 3 })
    await t.services.campaigns.pause(hq(), camp.id)
    t.clock.advance(120_000)
    await t.drainJobs()
    expect((await t.services.campaigns.get(hq(), camp.id))).toMatchObject({ status: 'paused', runs: [{ status: 'paused', sent: 2, pending: 3 }] })
    await t.services.campaigns.resume(hq(), camp.id)
    await t.drainJobs()
    expect((await t.services.campaigns.get(hq(), camp.id)).runs[0]).toMatchObject({ sent: 4, pending: 1 })
    await t.services.campaigns.cancel(hq(), camp.id)
    await runAll(2)
    const after = await t.services.campaigns.get(hq(), camp.id)
    expect(after).toMatchObject({ status: 'cancelled', runs: [{ status: 'cancelled', sent: 4, pending: 0, skippedBy: { cancelled: 1 } }] })
    await expect(t.services.campaigns.resume(hq(), camp.id)).rejects.toMatchObject({ code: 'CAMPAIGN_STATUS' })
  })

  it('waits for approval by someone else when the chain asks for it', async () => {
    await t.services.campaigns.saveSettings(t.actors.hq_admin, { approvalRequired: true })
    try {
      const { segment } = await audience(2)
      const sms = await template('sms', '需审批')
      const camp = await newCampaign({ segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id }, holdoutPct: 0 })
      const pending = await t.services.campaigns.submit(hq(), camp.id, 1)
      expect(pending.status).toBe('pending_approval')
      await runAll(1)
      expect((await t.services.campaigns.get(hq(), camp.id)).runs).toHaveLength(0)
      await expect(t.services.campaigns.approve(hq(), camp.id, pending.version)).rejects.toMatchObject({ code: 'FORBIDDEN' })
      const rejected = await t.services.campaigns.withdraw(t.actors.hq_admin, camp.id, { version: pending.version, reason: '文案需修改' })
      expect(rejected.status).toBe('draft')
      const again = await t.services.campaigns.submit(hq(), camp.id, rejected.version)
      await expect(t.services.campaigns.approve(t.actors.hq_admin, camp.id, again.version - 1)).rejects.toMatchObject({ code: 'CAMPAIGN_VERSION' })
      const approved = await t.services.campaigns.approve(t.actors.hq_admin, camp.id, again.version)
      expect(approved).toMatchObject({ status: 'scheduled', approvedBy: expect.any(String) })
      await runAll(1)
      expect((await t.services.campaigns.get(hq(), camp.id))).toMatchObject({ status: 'completed', runs: [{ sent: 2 }] })
      const trail = await t.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', camp.id).execute()
      expect(trail.map((x) => x.action)).toEqual(expect.arrayContaining(['campaign.create', 'campaign.submit', 'campaign.withdraw', 'campaign.approve']))
    } finally {
      await t.services.campaigns.saveSettings(t.actors.hq_admin, { approvalRequired: false })
    }
  })

  it('runs a recurring campaign once per due time until its end', async () => {
    const { segment } = await audience(2)
    const sms = await template('sms', '每日提醒')
    const start = new Date(t.clock.now().getTime() + 3_600_000).toISOString()
    const until = new Date(t.clock.now().getTime() + 3_600_000 + 2 * 86_400_000 + 60_000).toISOString()
    const camp = await newCampaign({ segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id }, holdoutPct: 0, scheduleKind: 'recurring', sendAt: start, recurrence: 'daily', repeatUntil: until })
    await t.services.campaigns.submit(hq(), camp.id, 1)
    await t.drainJobs()
    expect((await t.services.campaigns.get(hq(), camp.id)).runs).toHaveLength(0)
    const saved = t.clock.now()
    try {
      for (let day = 0; day < 4; day++) {
        t.clock.set(new Date(new Date(start).getTime() + day * 86_400_000 + 1000))
        await runAll(1)
      }
      const after = await t.services.campaigns.get(hq(), camp.id)
      expect(after.runs.map((r) => r.sent)).toEqual([2, 2, 2])
      expect(after).toMatchObject({ status: 'completed', nextRunAt: null })
      // Each run is a new send: one message per member per run.
      const msgs = await t.services.db.selectFrom('messages').select('source_id').where('source_id', 'in', after.runs.map((r) => r.id)).execute()
      expect(msgs).toHaveLength(6)
    } finally {
      t.clock.set(saved)
    }
  })

  it('refuses bad campaigns with the field and the reason', async () => {
    const { segment } = await audience(1)
    const sms = await template('sms', '检查')
    const email = await template('email', '检查邮件')
    const bad = (input: Record<string, unknown>) => newCampaign({ segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id }, ...input })
    await expect(bad({ channels: ['sms', 'email'] })).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID', details: [{ field: 'templateIds.email' }] })
    await expect(bad({ templateIds: { sms: email.id } })).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID', details: [{ field: 'templateIds.sms', reason: 'a email template' }] })
    await expect(bad({ segmentId: 'seg_nothing' })).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID', details: [{ field: 'segmentId', reason: 'not found' }] })
    await expect(bad({ scheduleKind: 'at', sendAt: '2020-01-01T00:00:00Z' })).rejects.toMatchObject({ details: [{ field: 'sendAt', reason: 'in the past' }] })
    await expect(bad({ scheduleKind: 'at', sendAt: 'tomorrow' })).rejects.toMatchObject({ details: [{ field: 'sendAt' }] })
    await expect(bad({ scheduleKind: 'recurring', sendAt: '2027-01-01T00:00:00Z' })).rejects.toMatchObject({ details: [{ field: 'recurrence' }] })
    await expect(bad({ holdoutPct: 80 })).rejects.toMatchObject({ details: [{ field: 'holdoutPct' }] })
    await expect(bad({ audienceMode: 'snapshot' })).rejects.toMatchObject({ details: [{ field: 'snapshotId' }] })
    await expect(bad({ excludeSegmentIds: [segment.id] })).rejects.toMatchObject({ details: [{ field: 'excludeSegmentIds' }] })
    await expect(bad({ couponTemplateId: 'ctp_nothing' })).rejects.toMatchObject({ details: [{ field: 'couponTemplateId', reason: 'not found' }] })
    await expect(t.services.campaigns.create(t.actors.analyst, { name: 'x', segmentId: segment.id, channels: ['sms'], templateIds: { sms: sms.id } })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const ok = await bad({ name: '唯一的名字' })
    await expect(bad({ name: '唯一的名字' })).rejects.toMatchObject({ code: 'CAMPAIGN_NAME_TAKEN' })
    await expect(t.services.campaigns.update(hq(), ok.id, { version: 1, holdoutPct: -1 })).rejects.toMatchObject({ details: [{ field: 'holdoutPct' }] })
    expect(await t.services.campaigns.update(hq(), ok.id, { version: 1, holdoutPct: 30 })).toMatchObject({ holdoutPct: 30, version: 2 })
    await expect(t.services.campaigns.update(hq(), ok.id, { version: 1, holdoutPct: 20 })).rejects.toMatchObject({ code: 'CAMPAIGN_VERSION' })
    await expect(t.services.campaigns.saveSettings(t.actors.hq_admin, { quietStart: '25:00', capDays: 0 })).rejects.toMatchObject({ code: 'CAMPAIGN_SETTINGS_INVALID', details: [{ field: 'capDays' }, { field: 'quietStart' }] })
  })
})
