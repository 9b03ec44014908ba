import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { eraseMemberData, exportMemberData } from '../../members/index.js'
import { addDays, dateIn } from '../../../shared/time.js'
import type { Channel } from '../channels/channels.table.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

const hq = () => t.actors.hq_marketing
const DAY = 86_400_000

let count = 0
const template = (bodyZh: string, channel: Channel = 'sms') =>
  t.services.templates.create(hq(), { name: `旅程模板${++count}`, channel, purpose: 'marketing', bodyZh, subjectZh: channel === 'email' ? '会员专享' : undefined })
const couponTemplate = () => t.given.couponTemplate({ name: `旅程券${++count}`, kind: 'amount', value: 1000, minSpend: 0, validDays: 30 })

/** A journey made and activated for the test, archived after it (so no other test's members enter it). */
const withJourney = async (definition: { trigger: unknown; steps: unknown }, body: (j: { id: string }) => Promise<void>) => {
  const j = await t.services.journeys.create(hq(), { name: `旅程${++count}`, ...definition })
  await t.services.journeys.activate(hq(), j.id)
  try {
    await body(j)
  } finally {
    await t.services.journeys.archive(hq(), j.id)
  }
}

const journeyMessages = (memberId: string) =>
  t.services.db.selectFrom('messages').select(['id', 'body', 'channel', 'purpose', 'source_id', 'created_at']).where('member_id', '=', memberId).where('source_type', '=', 'journey').orderBy('id').execute()
const couponsOf = (memberId: string, templateId: string) =>
  t.services.db.selectFrom('coupons').select(['id', 'code', 'issue_key', 'valid_to', 'source']).where('member_id', '=', memberId).where('template_id', '=', templateId).execute()
const enrolmentsOf = (memberId: string) => t.services.db.selectFrom('journey_members').selectAll().where('member_id', '=', memberId).execute()

describe('the welcome journey', () => {
  it('gives a member registered at the till with SMS consent a coupon and a message; a week without a purchase, a reminder; a purchase, none', async () => {
    const coupon = await couponTemplate()
    const hello = await template('{{memberName}}，欢迎加入！新人券{{couponCode}}，{{couponValidUntil}}前有效')
    const remind = await template('{{memberName}}，您的新人券还没用哦')
    await withJourney({
      trigger: { type: 'registered' },
      steps: [
        { type: 'coupon', couponTemplateId: coupon.id },
        { type: 'send', channels: ['sms'], templateIds: { sms: hello.id } },
        { type: 'wait', days: 7 },
        { type: 'condition', check: 'bought_since_entry', ifTrue: 5, ifFalse: 4 },
        { type: 'send', channels: ['sms'], templateIds: { sms: remind.id } },
        { type: 'end' },
      ],
    }, async (j) => {
      const start = t.clock.now()
      const quiet = await t.given.member({ name: '张小华', consents: { sms: true } })
      const buyer = await t.given.member({ name: '李小红', consents: { sms: true } })
      // Imported members are not new members: they enter nothing.
      const imported = await t.given.member({ by: t.actors.hq_admin, channel: 'import', consents: { sms: true } })
      await t.drainJobs()

      for (const m of [quiet, buyer]) {
        const [issued] = await couponsOf(m.id, coupon.id)
        expect(issued!.source).toBe('journey')
        const msgs = await journeyMessages(m.id)
        expect(msgs).toHaveLength(1)
        expect(msgs[0]).toMatchObject({ channel: 'sms', purpose: 'marketing' })
        expect(msgs[0]!.body).toMatch(/^【Patron】.+，欢迎加入！新人券/)
        expect(msgs[0]!.body).toContain(issued!.code)
        expect(msgs[0]!.body).toContain(`${issued!.valid_to}前有效`)
        expect(msgs[0]!.body.endsWith('回T退订')).toBe(true)
        expect(await enrolmentsOf(m.id)).toMatchObject([{ journey_id: j.id, version: 1, current_step: 3, status: 'active', next_at: new Date(start.getTime() + 7 * DAY).toISOString() }])
      }
      expect(await enrolmentsOf(imported.id)).toEqual([])
      expect(await journeyMessages(imported.id)).toEqual([])

      // The buyer buys on day 2; on day 7 the reminder goes to the other one only.
      t.clock.advance(DAY)
      await t.given.receipt({ member: { id: buyer.id }, lines: [['SKU-JNY', 1, 3000]], businessAt: t.clock.now().toISOString() })
      await t.drainJobs()
      expect(await journeyMessages(quiet.id)).toHaveLength(1)
      t.clock.advance(6 * DAY + 60_000)
      await t.drainJobs()

      const reminded = await journeyMessages(quiet.id)
      expect(reminded).toHaveLength(2)
      expect(reminded[1]!.body).toContain('您的新人券还没用哦')
      expect(await journeyMessages(buyer.id)).toHaveLength(1)
      expect(await enrolmentsOf(quiet.id)).toMatchObject([{ status: 'done', current_step: 5, next_at: null }])
      expect(await enrolmentsOf(buyer.id)).toMatchObject([{ status: 'done', current_step: 5 }])

      // The journey's figures: per step, who passed and what it did.
      const detail = await t.services.journeys.get(t.actors.analyst, j.id)
      expect(detail.members).toEqual({ active: 0, done: 2, exited: 0 })
      expect(detail.versions).toHaveLength(1)
      expect(detail.versions[0]!.stats.map((s) => [s.type, s.done, s.outcomes])).toEqual([
        ['coupon', 2, { issued: 2 }], ['send', 2, { sent: 2 }], ['wait', 2, { waited: 2 }], ['condition', 2, { yes: 1, no: 1 }], ['send', 1, { sent: 1 }], ['end', 2, { ended: 2 }],
      ])
      // The member's page: the version, where they are, what each step did.
      const mine = await t.services.journeys.ofMember(hq(), quiet.id)
      expect(mine).toMatchObject([{ journeyId: j.id, version: 1, status: 'done', step: 5, stepType: 'end' }])
      expect(mine[0]!.steps.map((s) => s.outcome)).toEqual(['issued', 'sent', 'waited', 'no', 'sent', 'ended'])
      expect(mine[0]!.steps[1]!.messageId).toBe(reminded[0]!.id)
      const page = await t.services.journeys.members(hq(), j.id, { status: 'done' })
      expect(page.items.map((x) => x.memberId).sort()).toEqual([quiet.id, buyer.id].sort())
      expect(page.items[0]!.name).toContain('*')
    })
  })
})

describe('versions', () => {
  it('lets members inside finish the version they entered while new members enter the new one', async () => {
    const [a, b, c, d] = await Promise.all(['旧版一', '旧版二', '新版一', '新版二'].map((x) => template(x)))
    await withJourney({
      trigger: { type: 'registered' },
      steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: a!.id } }, { type: 'wait', days: 1 }, { type: 'send', channels: ['sms'], templateIds: { sms: b!.id } }],
    }, async (j) => {
      const early = await t.given.member({ consents: { sms: true } })
      await t.drainJobs()
      const before = await t.services.journeys.get(hq(), j.id)
      const changed = await t.services.journeys.update(hq(), j.id, {
        revision: before.revision,
        steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: c!.id } }, { type: 'wait', days: 1 }, { type: 'send', channels: ['sms'], templateIds: { sms: d!.id } }],
      })
      expect(changed).toMatchObject({ version: 2, status: 'active', revision: before.revision + 1 })
      // A change from a revision read before is refused.
      await expect(t.services.journeys.update(hq(), j.id, { revision: before.revision, name: '晚了一步' })).rejects.toMatchObject({ code: 'JOURNEY_REVISION' })
      const late = await t.given.member({ consents: { sms: true } })
      await t.drainJobs()
      t.clock.advance(DAY + 60_000)
      await t.drainJobs()

      expect((await journeyMessages(early.id)).map((m) => m.body)).toEqual([expect.stringContaining('旧版一'), expect.stringContaining('旧版二')])
      expect((await journeyMessages(late.id)).map((m) => m.body)).toEqual([expect.stringContaining('新版一'), expect.stringContaining('新版二')])
      expect((await enrolmentsOf(early.id))[0]).toMatchObject({ version: 1, status: 'done' })
      expect((await enrolmentsOf(late.id))[0]).toMatchObject({ version: 2, status: 'done' })
      const detail = await t.services.journeys.get(hq(), j.id)
      expect(detail.versions.map((v) => [v.version, v.members.done])).toEqual([[2, 1], [1, 1]])
      expect(detail.steps[0]).toMatchObject({ templateIds: { sms: c!.id } })
      const trail = await t.services.db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', j.id).orderBy('at').execute()
      expect(trail.map((x) => x.action)).toEqual(['journey.create', 'journey.activate', 'journey.update'])
      expect(JSON.parse(trail[2]!.changes!)).toEqual({ fields: ['steps'], journeyVersion: { from: 1, to: 2 } })
    })
  })

  it('changes a draft in place and refuses to change an archived journey', async () => {
    const tpl = await template('草稿')
    const draft = await t.services.journeys.create(hq(), { name: `草稿旅程${++count}`, trigger: { type: 'first_purchase' }, steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: tpl.id } }] })
    const edited = await t.services.journeys.update(hq(), draft.id, { revision: draft.revision, trigger: { type: 'birthday', daysBefore: 3 } })
    expect(edited).toMatchObject({ version: 1, status: 'draft', trigger: { type: 'birthday', daysBefore: 3 } })
    await t.services.journeys.archive(hq(), draft.id)
    await expect(t.services.journeys.update(hq(), draft.id, { revision: edited.revision + 1, name: '不行' })).rejects.toMatchObject({ code: 'JOURNEY_STATUS' })
    await expect(t.services.journeys.activate(hq(), draft.id)).rejects.toMatchObject({ code: 'JOURNEY_STATUS' })
  })
})

describe('once per member', () => {
  it('does a step once when the jobs run again, when two workers run at once, and when an event comes twice', async () => {
    const coupon = await couponTemplate()
    const hello = await template('券码{{couponCode}}')
    await withJourney({
      trigger: { type: 'registered' },
      steps: [{ type: 'wait', hours: 1 }, { type: 'coupon', couponTemplateId: coupon.id }, { type: 'send', channels: ['sms'], templateIds: { sms: hello.id } }],
    }, async () => {
      const members = []
      for (let i = 0; i < 6; i++) members.push(await t.given.member({ consents: { sms: true } }))
      await t.drainJobs()
      t.clock.advance(3_600_000 + 60_000)
      // Two workers at once over the same due enrolments.
      await Promise.all([t.services.journeys.advanceDue(), t.services.journeys.advanceDue()])
      await t.drainJobs()
      // Again: the job repeated, a step asked for again, the registration delivered again.
      await t.services.journeys.advanceDue()
      for (const m of members) {
        const [e] = await enrolmentsOf(m.id)
        expect(await t.services.journeys.advanceOne(e!.id)).toBe(0)
        expect(await t.services.journeys.onRegistered({ memberId: m.id, channel: 'till', at: t.clock.now().toISOString() })).toEqual({ enrolled: 0 })
        expect(await journeyMessages(m.id)).toHaveLength(1)
        expect(await couponsOf(m.id, coupon.id)).toHaveLength(1)
        expect(e).toMatchObject({ status: 'done' })
      }
    })
  })

  it('takes over a step whose worker died after its lease, repeating none of what it did', async () => {
    const coupon = await couponTemplate()
    const hello = await template('券码{{couponCode}}')
    await withJourney({
      trigger: { type: 'registered' },
      steps: [{ type: 'wait', hours: 1 }, { type: 'coupon', couponTemplateId: coupon.id }, { type: 'send', channels: ['sms'], templateIds: { sms: hello.id } }],
    }, async (j) => {
      const m = await t.given.member({ consents: { sms: true } })
      await t.drainJobs()
      t.clock.advance(3_600_000)
      const [e] = await enrolmentsOf(m.id)
      // A worker claimed the coupon step, issued the coupon, and died before recording it.
      await t.services.db.insertInto('journey_steps_log').values({
        enrolment_id: e!.id, step_index: 1, step_type: 'coupon', status: 'claimed', claimed_by: 'dead-worker', claimed_at: t.clock.now().toISOString(),
        done_at: null, outcome: null, next_step: null, channel: null, message_id: null, coupon_id: null,
      }).execute()
      const issued = await t.services.coupons.issueForCampaign({ templateId: coupon.id, memberId: m.id, issueKey: `journey:${j.id}:v1:s1` })
      // While its lease runs, nobody else does the step.
      t.clock.advance(60_000)
      expect(await t.services.journeys.advanceDue()).toMatchObject({ steps: 0 })
      expect(await journeyMessages(m.id)).toEqual([])
      // After it, the step is taken over: the same coupon, one message naming it.
      t.clock.advance(5 * 60_000)
      expect(await t.services.journeys.advanceDue()).toMatchObject({ steps: 2 })
      expect(await couponsOf(m.id, coupon.id)).toEqual([expect.objectContaining({ id: issued.id })])
      const msgs = await journeyMessages(m.id)
      expect(msgs).toHaveLength(1)
      expect(msgs[0]!.body).toContain(issued.code)
      expect(await t.services.db.selectFrom('journey_steps_log').select(['step_index', 'status', 'claimed_by', 'coupon_id']).where('enrolment_id', '=', e!.id).orderBy('step_index').execute())
        .toMatchObject([{ step_index: 0, status: 'done' }, { step_index: 1, status: 'done', coupon_id: issued.id }, { step_index: 2, status: 'done' }])
    })
  })
})

describe('consent, caps and quiet hours', () => {
  it('sends on the first channel the member agreed to and can be reached on, and to nobody else', async () => {
    const wechat = await template('微信欢迎', 'wechat')
    const sms = await template('短信欢迎')
    await withJourney({ trigger: { type: 'registered' }, steps: [{ type: 'send', channels: ['wechat', 'sms'], templateIds: { wechat: wechat.id, sms: sms.id } }] }, async () => {
      const both = await t.given.member({ consents: { sms: true, wechat: true } })
      const none = await t.given.member({ consents: { sms: false } })
      await t.drainJobs()
      // WeChat agreed to but no OpenID bound: the SMS goes.
      expect((await journeyMessages(both.id)).map((m) => m.channel)).toEqual(['sms'])
      expect(await journeyMessages(none.id)).toEqual([])
      expect((await t.services.journeys.ofMember(hq(), none.id))[0]!.steps).toMatchObject([{ outcome: 'skipped_no_channel' }])
    })
  })

  it('counts every campaign and journey message against the cap', async () => {
    const one = await template('第一条')
    const two = await template('第二条')
    await t.services.campaigns.saveSettings(t.actors.hq_admin, { capCount: 1, capDays: 7 })
    try {
      await withJourney({ trigger: { type: 'first_purchase' }, steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: one.id } }] }, async () => {
        await withJourney({ trigger: { type: 'first_purchase' }, steps: [{ type: 'wait', hours: 2 }, { type: 'send', channels: ['sms'], templateIds: { sms: two.id } }] }, async () => {
          const m = await t.given.member({ consents: { sms: true } })
          await t.given.receipt({ member: { id: m.id }, businessAt: t.clock.now().toISOString() })
          await t.drainJobs()
          t.clock.advance(2 * 3_600_000 + 60_000)
          await t.drainJobs()
          expect((await journeyMessages(m.id)).map((x) => x.body)).toEqual([expect.stringContaining('第一条')])
          const steps = (await t.services.journeys.ofMember(hq(), m.id)).flatMap((x) => x.steps.map((s) => s.outcome))
          expect(steps.sort()).toEqual(['sent', 'skipped_cap', 'waited'])
        })
      })
    } finally {
      await t.services.campaigns.saveSettings(t.actors.hq_admin, { capCount: 4, capDays: 30 })
    }
  })

  it('holds a message due in quiet hours until they end', async () => {
    const night = await template('夜里不发')
    const saved = t.clock.now()
    try {
      t.clock.set('2026-03-03T14:30:00.000Z') // 22:30 in Shanghai
      await withJourney({ trigger: { type: 'registered' }, steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: night.id } }] }, async () => {
        const m = await t.given.member({ consents: { sms: true } })
        await t.drainJobs()
        expect(await journeyMessages(m.id)).toEqual([])
        expect(await enrolmentsOf(m.id)).toMatchObject([{ status: 'active', current_step: 0, next_at: '2026-03-04T00:00:00.000Z' }])
        t.clock.set('2026-03-04T00:00:30.000Z') // 08:00:30
        await t.drainJobs()
        const msgs = await journeyMessages(m.id)
        expect(msgs).toHaveLength(1)
        expect(msgs[0]!.created_at >= '2026-03-04T00:00:00.000Z').toBe(true)
      })
    } finally {
      t.clock.set(saved)
    }
  })

  it('stops a member whose record is frozen, and holds everyone while the journey is paused', async () => {
    const msg = await template('稍后')
    await withJourney({ trigger: { type: 'registered' }, steps: [{ type: 'wait', hours: 1 }, { type: 'send', channels: ['sms'], templateIds: { sms: msg.id } }] }, async (j) => {
      const frozen = await t.given.member({ consents: { sms: true } })
      const held = await t.given.member({ consents: { sms: true } })
      await t.drainJobs()
      await t.services.members.setFrozen(t.actors.hq_admin, frozen.id, true, '测试冻结')
      await t.services.journeys.pause(hq(), j.id)
      t.clock.advance(3_600_000 + 60_000)
      await t.drainJobs()
      expect(await journeyMessages(held.id)).toEqual([])
      await t.services.journeys.activate(hq(), j.id)
      await t.services.journeys.advanceDue()
      expect(await journeyMessages(held.id)).toHaveLength(1)
      expect(await journeyMessages(frozen.id)).toEqual([])
      expect(await enrolmentsOf(frozen.id)).toMatchObject([{ status: 'exited', exit_reason: 'member_inactive' }])
    })
  })
})

describe('the other triggers', () => {
  it('takes members a week before their birthday, once a year', async () => {
    const coupon = await couponTemplate()
    const hb = await template('{{memberName}}，生日快乐！')
    await withJourney({ trigger: { type: 'birthday', daysBefore: 7 }, steps: [{ type: 'coupon', couponTemplateId: coupon.id }, { type: 'send', channels: ['sms'], templateIds: { sms: hb.id } }] }, async () => {
      // The birthday a week from today (in Shanghai), and a day later.
      const inDays = (n: number) => `1990-${addDays(dateIn(t.clock.now(), 'Asia/Shanghai'), n).slice(5)}`
      const due = await t.given.member({ consents: { sms: true }, birthday: inDays(7) })
      const other = await t.given.member({ consents: { sms: true }, birthday: inDays(8) })
      expect(await t.services.journeys.enrolBirthdays()).toMatchObject({ enrolled: 1 })
      expect(await t.services.journeys.enrolBirthdays()).toMatchObject({ enrolled: 0 })
      await t.drainJobs()
      expect(await journeyMessages(due.id)).toHaveLength(1)
      expect(await couponsOf(due.id, coupon.id)).toHaveLength(1)
      expect(await enrolmentsOf(due.id)).toMatchObject([{ occurrence: addDays(dateIn(t.clock.now(), 'Asia/Shanghai'), 7).slice(0, 4), status: 'done' }])
      expect(await journeyMessages(other.id)).toEqual([])
    })
  })

  it('takes members given a tag, adds a tag and asks for it', async () => {
    const vip = await t.services.tags.create(t.actors.hq_admin, { name: `旅程触发标签${++count}`, kind: 'manual' })
    const welcomed = await t.services.tags.create(t.actors.hq_admin, { name: `旅程已欢迎${++count}`, kind: 'manual' })
    const hi = await template('贵宾您好')
    await withJourney({
      trigger: { type: 'tag_added', tagId: vip.id },
      steps: [
        { type: 'tag', action: 'add', tagId: welcomed.id },
        { type: 'condition', check: 'has_tag', tagId: welcomed.id, ifTrue: 2, ifFalse: 3 },
        { type: 'send', channels: ['sms'], templateIds: { sms: hi.id } },
        { type: 'end' },
      ],
    }, async () => {
      const m = await t.given.member({ consents: { sms: true } })
      await t.services.tags.attach(t.actors.service_agent, m.id, { tagId: vip.id })
      expect(await t.services.journeys.enrolTagged()).toMatchObject({ enrolled: 1 })
      expect(await t.services.journeys.enrolTagged()).toMatchObject({ enrolled: 0 })
      await t.drainJobs()
      expect((await t.services.tags.memberTags(hq(), m.id)).map((x) => x.tagId).sort()).toEqual([vip.id, welcomed.id].sort())
      expect(await journeyMessages(m.id)).toHaveLength(1)
      expect((await t.services.journeys.ofMember(hq(), m.id))[0]!.steps.map((s) => s.outcome)).toEqual(['tagged', 'yes', 'sent', 'ended'])
    })
  })

  it('takes members entering a lifecycle stage, not those already in it', async () => {
    const back = await template('好久不见')
    const m = await t.given.member({ consents: { sms: true } })
    const already = await t.given.member({ consents: { sms: true } })
    await t.services.insight.refresh({ full: true })
    const setStage = (id: string, stage: string) => t.services.db.updateTable('member_insight').set({ lifecycle: stage as never }).where('member_id', '=', id).execute()
    await setStage(already.id, 'dormant')
    await withJourney({ trigger: { type: 'lifecycle', stage: 'dormant' }, steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: back.id } }] }, async () => {
      // The first run notes where everyone is.
      expect(await t.services.journeys.enrolLifecycle()).toMatchObject({ enrolled: 0 })
      await setStage(m.id, 'dormant')
      expect(await t.services.journeys.enrolLifecycle()).toMatchObject({ entered: 1, enrolled: 1 })
      expect(await t.services.journeys.enrolLifecycle()).toMatchObject({ entered: 0, enrolled: 0 })
      await t.drainJobs()
      expect(await journeyMessages(m.id)).toHaveLength(1)
      expect(await journeyMessages(already.id)).toEqual([])
    })
  })

  it('takes members whose points expire in the days set, once per expiry, and names the points and the day', async () => {
    const note = await template('{{memberName}}，您有{{expiringPoints}}积分将于{{expiringDate}}到期')
    const m = await t.given.member({ consents: { sms: true } })
    const none = await t.given.member({ consents: { sms: true } })
    await t.given.receipt({ member: { id: m.id } })
    const lot = await t.services.db.selectFrom('points_lots').select(['expires_on', 'remaining']).where('member_id', '=', m.id).executeTakeFirstOrThrow()
    const was = t.clock.now().toISOString()
    try {
      await withJourney({ trigger: { type: 'points_expiring', daysAhead: 30 }, steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: note.id } }] }, async () => {
        // 10:00 in Shanghai, 30 days before the lot's last day.
        t.clock.set(`${addDays(lot.expires_on, -30)}T02:00:00.000Z`)
        await t.services.journeys.enrolPointsExpiring()
        expect(await t.services.journeys.enrolPointsExpiring()).toMatchObject({ enrolled: 0 })
        await t.drainJobs()
        expect(await enrolmentsOf(m.id)).toMatchObject([{ occurrence: lot.expires_on, status: 'done' }])
        const [msg, ...more] = await journeyMessages(m.id)
        expect(more).toEqual([])
        expect(msg!.body).toContain(`您有${Number(lot.remaining)}积分将于${lot.expires_on}到期`)
        expect(await enrolmentsOf(none.id)).toEqual([])
      })
    } finally {
      t.clock.set(was)
    }
  })

  it('takes a segment\'s members on a date, and an upgraded member', async () => {
    const storeId = await t.given.store()
    const segment = await t.services.segments.create(hq(), { name: `旅程客群 ${storeId}`, definition: { field: 'registration_store', op: 'in', value: [storeId] } })
    const day = await template('会员日快乐')
    const m = await t.given.member({ by: t.actors.hq_admin, registrationStoreId: storeId, consents: { sms: true } })
    const outside = await t.given.member({ consents: { sms: true } })
    await withJourney({ trigger: { type: 'date', date: dateIn(t.clock.now(), 'Asia/Shanghai'), segmentId: segment.id }, steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: day.id } }] }, async () => {
      expect(await t.services.journeys.enrolDates()).toMatchObject({ enrolled: 1 })
      await t.drainJobs()
      expect(await journeyMessages(m.id)).toHaveLength(1)
      expect(await journeyMessages(outside.id)).toEqual([])
    })
    const up = await template('恭喜升级为{{tier}}')
    await withJourney({ trigger: { type: 'tier_upgrade' }, steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: up.id } }] }, async () => {
      expect(await t.services.journeys.onTierChanged({ memberId: m.id, from: null, to: 'gold', reason: 'upgrade', at: t.clock.now().toISOString() })).toEqual({ enrolled: 1 })
      expect(await t.services.journeys.onTierChanged({ memberId: m.id, from: 'gold', to: 'silver', reason: 'downgrade', at: t.clock.now().toISOString() })).toEqual({ enrolled: 0 })
      expect((await journeyMessages(m.id)).map((x) => x.body)).toEqual([expect.any(String), expect.stringContaining('恭喜升级')])
    })
  })
})

describe('a journey\'s definition', () => {
  it('is refused with every problem\'s field, what it names included', async () => {
    const email = await template('邮件', 'email')
    const service = await t.services.templates.create(hq(), { name: `服务通知${++count}`, channel: 'sms', purpose: 'service', bodyZh: '礼品到店' })
    const rule = await t.services.tags.create(t.actors.hq_admin, { name: `规则标签${++count}`, kind: 'rule', rule: { field: 'gender', op: 'in', value: ['female'] } })
    const bad = (trigger: unknown, steps: unknown) => t.services.journeys.create(hq(), { name: `坏旅程${++count}`, trigger, steps })
    await expect(bad({ type: 'registered' }, [{ type: 'send', channels: ['sms'], templateIds: { sms: email.id } }]))
      .rejects.toMatchObject({ code: 'JOURNEY_INVALID', details: [{ field: 'steps.0.templateIds.sms', reason: 'a email template' }] })
    await expect(bad({ type: 'registered' }, [{ type: 'send', channels: ['sms'], templateIds: { sms: service.id } }]))
      .rejects.toMatchObject({ details: [{ field: 'steps.0.templateIds.sms', reason: expect.stringContaining('service') }] })
    await expect(bad({ type: 'registered' }, [{ type: 'coupon', couponTemplateId: 'ctp_nothing' }, { type: 'tag', action: 'add', tagId: rule.id }]))
      .rejects.toMatchObject({ details: [{ field: 'steps.0.couponTemplateId', reason: 'not found' }, { field: 'steps.1.tagId', reason: expect.stringContaining('manual') }] })
    await expect(bad({ type: 'tier_upgrade', tierCode: 'no_such_tier' }, [{ type: 'end' }])).rejects.toMatchObject({ details: [{ field: 'trigger.tierCode' }] })
    await expect(bad({ type: 'date', date: '2026-03-02', segmentId: 'seg_nothing' }, [{ type: 'end' }])).rejects.toMatchObject({ details: [{ field: 'trigger.segmentId', reason: 'not found' }] })
    await expect(bad({ type: 'registered' }, [{ type: 'wait', days: 1 }, { type: 'condition', check: 'bought_since_entry', ifTrue: 0, ifFalse: 0 }]))
      .rejects.toMatchObject({ details: [{ field: 'steps.1.ifTrue' }, { field: 'steps.1.ifFalse' }] })
    await expect(t.services.journeys.create(t.actors.analyst, { name: 'x', trigger: { type: 'registered' }, steps: [{ type: 'end' }] })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const past = await t.services.journeys.create(hq(), { name: `过期日期${++count}`, trigger: { type: 'date', date: '2026-03-01' }, steps: [{ type: 'end' }] })
    await expect(t.services.journeys.activate(hq(), past.id)).rejects.toMatchObject({ code: 'JOURNEY_INVALID', details: [{ field: 'trigger.date', reason: 'in the past' }] })
    await expect(t.services.journeys.create(hq(), { name: past.name, trigger: { type: 'registered' }, steps: [{ type: 'end' }] })).rejects.toMatchObject({ code: 'JOURNEY_NAME_TAKEN' })
  })
})

// The member-data contract: a merge moves a member's journeys, an erasure leaves nothing of them.
describe('member data', () => {
  it('moves a merged member\'s enrolments to the survivor, exports them, and erases them with the person', async () => {
    const hi = await template('合并')
    await withJourney({ trigger: { type: 'registered' }, steps: [{ type: 'wait', days: 1 }, { type: 'send', channels: ['sms'], templateIds: { sms: hi.id } }] }, async () => {
      const keep = await t.given.member({ consents: { sms: true } })
      const dup = await t.given.member({ consents: { sms: true } })
      await t.drainJobs()
      await t.services.members.merge(t.actors.service_agent, keep.id, dup.id, '重复注册')
      // Both were in the same journey for the same occurrence: the survivor keeps its own.
      expect(await enrolmentsOf(keep.id)).toHaveLength(1)
      expect(await enrolmentsOf(dup.id)).toEqual([])
      const [kept] = await enrolmentsOf(keep.id)
      const logOf = async (id: string) => Number((await sql<{ n: number }>`select count(*) as n from journey_steps_log where enrolment_id = ${id}`.execute(t.services.db)).rows[0]!.n)
      expect(await logOf(kept!.id)).toBe(1)
      expect(Object.keys((await exportMemberData(t.services.db, t.services.memberData, keep.id)).journeys!)).toEqual(['journey_members', 'journey_steps_log', 'journey_lifecycle_seen'])
      // Erased: no enrolment, no step of theirs stays.
      await t.services.db.transaction().execute((trx) => eraseMemberData(trx, t.services.memberData, keep.id, t.clock.now().toISOString()))
      expect(await enrolmentsOf(keep.id)).toEqual([])
      expect(await logOf(kept!.id)).toBe(0)
    })
  })
})
