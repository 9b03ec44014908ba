import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { eraseMemberData, exportMemberData } from './index.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

/**
 * A person with something in every module: consents, points, receipts and a return (and so
 * purchase facts), a coupon, a gift order, a draw entry, a rebate, complaints (one compensated and
 * resolved), jobs about them, a marketing message; and a second record of theirs merged into the
 * first, with a sale, a coupon, a complaint, a message and a WeChat OpenID of its own.
 */
const personWithEverything = async (phone: string) => {
  const m = await t.given.member({ phone })
  const old = await t.given.member()
  await t.services.members.setConsent(t.actors.service_agent, m.id, { channel: 'sms', granted: true })
  await t.given.receipt({ member: { id: old.id }, lines: [['SKU-E', 1, 3000]], businessAt: '2026-02-03T02:00:00.000Z' })
  const template = await t.given.couponTemplate({ kind: 'amount', value: 500, minSpend: 0 })
  await t.given.coupon({ templateId: template.id, memberId: old.id })
  await t.services.tickets.create(t.actors.service_agent, { memberId: old.id, categoryId: 'scg_default01', description: '牛奶过期' })
  await t.services.channels.bindChannelIds(old.id, { wechatOpenid: `oPerson${phone}` })
  await t.services.channels.deliver(null, { channel: 'wechat', purpose: 'service', memberId: old.id, body: '积分提醒', sourceType: 'campaign', sourceId: 'cmp_member_data' })
  // A member event the merged record registered for (会员活动).
  const event = await t.services.memberEvents.create(t.actors.hq_marketing, { title: `会员讲座${phone}`, kind: 'talk', storeId: t.stores.a, startsAt: '2026-03-10T06:00:00.000Z', endsAt: '2026-03-10T08:00:00.000Z', capacity: 5 })
  await t.services.memberEvents.open(t.actors.hq_marketing, event.id)
  await t.services.memberEvents.register(t.actors.cashier, event.id, { memberId: old.id })
  // A campaign run the merged record was a recipient of (营销活动): email consent, no address, so skipped but counted.
  await t.services.members.setConsent(t.actors.service_agent, old.id, { channel: 'email', granted: true })
  const segment = await t.services.segments.create(t.actors.hq_marketing, { name: `邮件会员${phone}`, definition: { field: 'consent', op: 'granted', value: 'email' } })
  const mail = await t.services.templates.create(t.actors.hq_marketing, { name: `会员日邮件${phone}`, channel: 'email', purpose: 'marketing', subjectZh: '会员日', bodyZh: '本周六会员日' })
  const campaign = await t.services.campaigns.create(t.actors.hq_marketing, { name: `会员日${phone}`, segmentId: segment.id, channels: ['email'], templateIds: { email: mail.id }, holdoutPct: 0 })
  const submitted = await t.services.campaigns.submit(t.actors.hq_marketing, campaign.id, 1)
  await t.services.campaigns.startDue({ campaignId: campaign.id, dueAt: submitted.nextRunAt! })
  await t.services.members.merge(t.actors.service_agent, m.id, old.id, '重复注册')

  const big = await t.given.receipt({ member: { id: m.id }, lines: [['SKU-E', 2, 100_000]], businessAt: '2026-02-10T02:00:00.000Z' })
  await t.given.return({ originalReceiptNo: big.receiptNo, lines: [{ originalLineNo: 1, quantity: 1 }] })
  await t.given.coupon({ templateId: template.id, memberId: m.id })
  const gift = await t.given.gift({ pointsPrice: 100, initialStock: [{ location: 'central', quantity: 5 }] })
  await t.given.giftOrder({ giftId: gift.id, memberId: m.id })
  const draw = await t.given.draw()
  await t.services.draws.enter(t.actors.cashier, draw.id, { memberId: m.id })
  const rebate = await t.given.rebate({ name: '返利 2026-02', periodFrom: '2026-02-01', periodTo: '2026-02-28' })
  await t.services.rebates.run(t.actors.hq_marketing, rebate.id)
  const complaint = await t.services.tickets.create(t.actors.service_agent, { memberId: m.id, categoryId: 'scg_default01', description: '面包发霉' })
  await t.services.tickets.compensate(t.actors.service_agent, complaint.id, { kind: 'points', points: 50, requestKey: 'member-data' })
  await t.services.tickets.resolve(t.actors.service_agent, complaint.id, { outcome: '退款并致歉' })
  await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId: m.id, body: '会员日双倍积分', sourceType: 'campaign', sourceId: 'cmp_member_data' })
  return { m, old }
}

/** Every text cell of every table that holds `needle`, as table.column. */
const cellsHolding = async (needle: string): Promise<string[]> => {
  const found: string[] = []
  for (const table of await t.services.db.introspection.getTables()) {
    for (const column of table.columns) {
      if (!/char|text/i.test(column.dataType)) continue
      const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)} where ${sql.ref(column.name)} like ${`%${needle}%`}`.execute(t.services.db)
      if (Number(row.rows[0]?.n ?? 0) > 0) found.push(`${table.name}.${column.name}`)
    }
  }
  return found
}

describe('member data', () => {
  it('exports what every module holds about a person, both records of them', async () => {
    const { m, old } = await personWithEverything('13900007001')
    const data = await exportMemberData(t.services.db, t.services.memberData, m.id)
    expect(Object.keys(data).sort()).toEqual(['campaigns', 'consentChanges', 'eventRegistrations', 'facts', 'feedback', 'insight', 'jobs', 'journeys', 'memberPageSessions', 'messages', 'points', 'receipts', 'rewards', 'tickets'])
    const sizes = Object.fromEntries(Object.values(data).flatMap((byTable) => Object.entries(byTable).map(([table, rows]) => [table, rows.length])))
    // Two sales and a return (February, and the return on 2 March); a coupon on each record.
    expect(sizes).toMatchObject({
      members: 2, member_consents: 2, member_profile: 2, points_accounts: 2,
      member_purchase_stats: 1, member_monthly_activity: 2, receipts: 3, receipt_lines: 3,
      coupons: 2, gift_orders: 1, draw_entries: 1, rebate_awards: 1,
      tickets: 2, ticket_compensations: 1, ticket_followups: 1, messages: 2, member_channel_ids: 1, campaign_recipients: 1,
    })
    for (const table of ['member_consent_history', 'points_lots', 'points_entries', 'points_allocations', 'member_tier_history', 'receipt_tenders', 'job_queue', 'event_registrations']) expect(sizes[table], table).toBeGreaterThan(0)
    expect(data.consentChanges!.member_profile).toEqual(expect.arrayContaining([
      expect.objectContaining({ member_id: m.id, phone: '13900007001' }), expect.objectContaining({ member_id: old.id }),
    ]))
  })

  it('erases a person: no row names either record, the books still add up, and the card finds nobody', async () => {
    const { m, old } = await personWithEverything('13900007002')
    const card = (await t.services.db.selectFrom('members').select('card_no').where('id', '=', m.id).executeTakeFirstOrThrow()).card_no
    const receiptsBefore = Number((await t.services.db.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const { erased } = await t.services.db.transaction().execute((trx) => eraseMemberData(trx, t.services.memberData, m.id, t.clock.now().toISOString()))
    expect(erased.sort()).toEqual([m.id, old.id].sort())

    // The erased records stay as empty pointers (the audit log names them, as the law lets it).
    for (const id of [m.id, old.id]) expect((await cellsHolding(id)).filter((c) => c !== 'members.id' && !c.startsWith('audit_log.'))).toEqual([])
    expect((await cellsHolding(card)).filter((c) => !c.startsWith('audit_log.'))).toEqual([])
    expect(await t.services.db.selectFrom('members').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow()).toMatchObject({
      status: 'erased', phone_enc: null, phone_bidx: null, phone_masked: null, name_enc: null, birthday: null, merged_into_id: null,
    })
    // The receipts stay, for tax and the reports, with an anonymous record (the erasure's holder,
    // one per record: nothing kept links the two); the points are forfeited there, the coupons voided.
    expect(Number((await t.services.db.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(receiptsBefore)
    const holders = await t.services.db.selectFrom('members').select(['id', 'status', 'phone_enc', 'name_enc', 'registration_store_id']).where('status_reason', '=', 'erasure holder')
      .where('registered_at', '=', t.clock.now().toISOString()).execute()
    expect(holders).toHaveLength(2)
    for (const h of holders) expect(h).toMatchObject({ status: 'erased', phone_enc: null, name_enc: null, registration_store_id: null })
    const kept = await t.services.db.selectFrom('receipts').select('member_id').distinct().where('member_id', 'in', holders.map((h) => h.id)).execute()
    expect(kept).toHaveLength(1) // the merge had moved the old record's receipts to the survivor
    const accounts = await t.services.db.selectFrom('points_accounts').select('balance').where('member_id', 'in', holders.map((h) => h.id)).execute()
    expect(accounts.length).toBeGreaterThan(0)
    for (const a of accounts) expect(Number(a.balance)).toBe(0)
    expect(await t.services.db.selectFrom('coupons').select('status').where('member_id', 'in', holders.map((h) => h.id)).where('status', '=', 'issued').execute()).toEqual([])
    await expect(t.services.members.get(t.actors.service_agent, m.id)).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    await expect(t.services.members.lookup(t.actors.cashier, { phone: '13900007002' })).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    expect(await t.services.loyalty.verify()).toEqual([])
    expect(await t.services.verifyRewards()).toEqual([])
    const data = await exportMemberData(t.services.db, t.services.memberData, m.id)
    expect(Object.values(data).flatMap((byTable) => Object.entries(byTable).filter(([table, rows]) => table !== 'members' && table !== 'member_profile' && rows.length > 0))).toEqual([])
  })
})
