import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { eraseMemberData, newCardNo } from '../../members/index.js'
import { newId } from '../../../shared/ids.js'
import type { EventInput } from './events.service.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

const hq = () => t.actors.hq_marketing
const events = () => t.services.memberEvents
// The test clock stands at 2026-03-02T02:00Z; the events are that afternoon (Shanghai) unless told.
const START = '2026-03-02T06:00:00.000Z'
const END = '2026-03-02T08:00:00.000Z'
let n = 0
const draft = (input: Partial<EventInput> = {}) =>
  events().create(hq(), { title: `新品试吃会${++n}`, kind: 'launch', storeId: t.stores.a, startsAt: START, endsAt: END, capacity: 3, ...input })
const openEvent = async (input: Partial<EventInput> = {}) => {
  const e = await draft(input)
  return events().open(hq(), e.id)
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code)

describe('member events', () => {
  it('creates a draft, refuses bad fields on each field and names it missing, and changes it from the version read', async () => {
    const e = await draft({ title: ' 顾客座谈会 ', kind: 'panel', description: '每月一次，听听顾客的意见' })
    expect(e).toMatchObject({ title: '顾客座谈会', kind: 'panel', status: 'draft', seatsTaken: 0, capacity: 3, storeId: t.stores.a, storeName: '上海浦东店', version: 1 })

    await expect(draft({ startsAt: END, endsAt: START })).rejects.toMatchObject({ code: 'EVENT_INVALID', details: [{ field: 'endsAt' }] })
    await expect(draft({ storeId: 'sto_nowhere' })).rejects.toMatchObject({ code: 'EVENT_INVALID', details: [{ field: 'storeId', reason: 'not found' }] })
    await expect(draft({ segmentId: 'seg_nowhere', campaignId: 'cmp_nowhere' })).rejects.toMatchObject({
      code: 'EVENT_INVALID', details: [{ field: 'segmentId', reason: 'not found' }, { field: 'campaignId', reason: 'not found' }],
    })
    await expect(events().create(t.actors.analyst, { title: 'x', kind: 'talk', storeId: t.stores.a, startsAt: START, endsAt: END, capacity: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const changed = await events().update(hq(), e.id, { version: 1, capacity: 10, startsAt: '2026-03-02T14:00:00+08:00' })
    expect(changed).toMatchObject({ capacity: 10, startsAt: START, version: 2 })
    await expect(events().update(hq(), e.id, { version: 1, capacity: 12 })).rejects.toMatchObject({ code: 'EVENT_VERSION' })
    const trail = await t.services.audit.list(t.actors.hq_admin, { entityId: e.id })
    expect(trail.items.map((x) => x.action).sort()).toEqual(['event.create', 'event.update'])
    expect(trail.items.find((x) => x.action === 'event.update')!.changes).toEqual({ capacity: { from: 3, to: 10 } })
  })

  it('takes a seat per registration up to the capacity, refuses the next as full, and a cancellation frees the seat for someone else', async () => {
    const e = await openEvent({ capacity: 2 })
    const [a, b, c] = [await t.given.member(), await t.given.member(), await t.given.member()]
    const ra = await events().register(t.actors.cashier, e.id, { memberId: a.id })
    expect(ra).toMatchObject({ memberId: a.id, cardNo: a.cardNo, name: '王**', channel: 'desk', status: 'registered', registeredAt: t.clock.now().toISOString() })
    await events().register(t.actors.service_agent, e.id, { cardNo: b.cardNo, channel: 'campaign' })
    expect(await codeOf(events().register(t.actors.cashier, e.id, { memberId: c.id }))).toBe('EVENT_FULL')
    expect(await codeOf(events().register(t.actors.cashier, e.id, { memberId: a.id }))).toBe('EVENT_ALREADY_REGISTERED')
    expect((await events().get(hq(), e.id)).seatsTaken).toBe(2)

    const cancelled = await events().cancelRegistration(t.actors.cashier, e.id, a.id, { reason: '临时有事' })
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: t.clock.now().toISOString() })
    expect((await events().get(hq(), e.id)).seatsTaken).toBe(1)
    expect(await codeOf(events().cancelRegistration(t.actors.cashier, e.id, a.id))).toBe('EVENT_NOT_REGISTERED')
    await events().register(t.actors.cashier, e.id, { memberId: c.id })
    expect(await codeOf(events().register(t.actors.cashier, e.id, { memberId: a.id }))).toBe('EVENT_FULL')

    // Cancelled again, the first member registers again on the same record.
    await events().cancelRegistration(t.actors.store_manager, e.id, c.id)
    const again = await events().register(t.actors.cashier, e.id, { memberId: a.id, channel: 'member_page' })
    expect(again).toMatchObject({ id: ra.id, status: 'registered', channel: 'member_page', cancelledAt: null })
    const all = await events().registrations(hq(), e.id)
    expect(all.items.map((r) => [r.memberId, r.status])).toEqual([[a.id, 'registered'], [b.id, 'registered'], [c.id, 'cancelled']])
    expect((await events().get(hq(), e.id)).seatsTaken).toBe(2)
    // A capacity below the seats taken is refused.
    await expect(events().update(hq(), e.id, { version: (await events().get(hq(), e.id)).version, capacity: 1 })).rejects.toMatchObject({ code: 'EVENT_INVALID', details: [{ field: 'capacity' }] })
  })

  it('checks in by member id or card; refuses whom did not register, twice, and a cancellation after check-in', async () => {
    const e = await openEvent({ capacity: 5 })
    const [a, b, c] = [await t.given.member(), await t.given.member(), await t.given.member()]
    await events().register(t.actors.cashier, e.id, { memberId: a.id })
    await events().register(t.actors.cashier, e.id, { memberId: b.id })
    t.clock.set('2026-03-02T06:10:00.000Z')
    const inA = await events().checkIn(t.actors.cashier, e.id, { cardNo: a.cardNo })
    expect(inA).toMatchObject({ memberId: a.id, status: 'attended', checkedInAt: '2026-03-02T06:10:00.000Z' })
    expect(await codeOf(events().checkIn(t.actors.cashier, e.id, { memberId: a.id }))).toBe('EVENT_ALREADY_CHECKED_IN')
    expect(await codeOf(events().checkIn(t.actors.cashier, e.id, { memberId: c.id }))).toBe('EVENT_NOT_REGISTERED')
    expect(await codeOf(events().checkIn(t.actors.cashier, e.id, { cardNo: newCardNo() }))).toBe('MEMBER_NOT_FOUND')
    expect(await codeOf(events().checkIn(t.actors.cashier, e.id, {}))).toBe('VALIDATION')
    expect(await codeOf(events().cancelRegistration(t.actors.cashier, e.id, a.id))).toBe('EVENT_ALREADY_CHECKED_IN')
    // Registration closes; check-in goes on; registering does not.
    await events().close(hq(), e.id)
    await events().checkIn(t.actors.service_agent, e.id, { memberId: b.id })
    expect(await codeOf(events().register(t.actors.cashier, e.id, { memberId: c.id }))).toBe('EVENT_NOT_OPEN')
    // A registration after the end is refused even while open.
    await events().open(hq(), e.id)
    t.clock.set('2026-03-02T08:00:00.000Z')
    expect(await codeOf(events().register(t.actors.cashier, e.id, { memberId: c.id }))).toBe('EVENT_ENDED')
    // A cancelled event takes nothing and cannot be changed.
    await events().cancel(hq(), e.id)
    expect(await codeOf(events().checkIn(t.actors.cashier, e.id, { memberId: c.id }))).toBe('EVENT_STATUS')
    expect(await codeOf(events().open(hq(), e.id))).toBe('EVENT_STATUS')
    expect(await codeOf(events().update(hq(), e.id, { version: 99, title: '改名' }))).toBe('EVENT_STATUS')
    const trail = await t.services.audit.list(t.actors.hq_admin, { entityId: a.id })
    expect(trail.items.map((x) => x.action).filter((x) => x.startsWith('event.')).sort()).toEqual(['event.check_in', 'event.register'])
    t.clock.set('2026-03-02T02:00:00.000Z')
  })

  it('confines store roles and tills to their own store\'s events, and a till registers at its store with channel till', async () => {
    const atB = await openEvent({ storeId: t.stores.b })
    const atA = await openEvent()
    const m = await t.given.member({ by: t.actors.cashierB })
    for (const actor of [t.actors.cashier, t.actors.store_manager, t.actors.service_agent]) {
      expect(await codeOf(events().register(actor, atB.id, { memberId: m.id }))).toBe('OUT_OF_STORE_SCOPE')
      expect(await codeOf(events().get(actor, atB.id))).toBe('OUT_OF_STORE_SCOPE')
    }
    expect(await codeOf(events().report(t.actors.store_manager, atB.id))).toBe('OUT_OF_STORE_SCOPE')
    // A member of store B registers at store A's event: members shop everywhere.
    const key = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'A 活动收银台' })
    const till = (await t.services.auth.authenticatePosKey(key.key, null))!
    const r = await events().register(till, atA.id, { cardNo: m.cardNo, channel: 'desk' })
    expect(r).toMatchObject({ channel: 'till', status: 'registered' })
    expect(await codeOf(events().register(till, atB.id, { memberId: m.id }))).toBe('OUT_OF_STORE_SCOPE')
    const offered = await events().openAtStore(till)
    expect(offered.map((e) => e.id)).toContain(atA.id)
    expect(offered.some((e) => e.storeId !== t.stores.a)).toBe(false)
    const listed = await events().list(t.actors.cashier)
    expect(listed.items.every((e) => e.storeId === t.stores.a)).toBe(true)
    await expect(events().list(t.actors.cashier, { storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    expect((await events().list(hq(), { storeId: t.stores.b })).items.map((e) => e.id)).toContain(atB.id)
    // The member page: store staff see their own store's events of the member, HQ all.
    await events().register(t.actors.cashierB, atB.id, { memberId: m.id })
    expect((await events().ofMember(t.actors.cashier, m.id)).map((x) => x.event.id)).toEqual([atA.id])
    expect((await events().ofMember(hq(), m.id)).map((x) => x.event.id).sort()).toEqual([atA.id, atB.id].sort())
    expect(await codeOf(events().ofMember(t.actors.analyst, m.id))).toBe('ok')
  })

  it('reports invited, registered, cancelled, attended and the follow-up purchases of attendees against no-shows, as counted from the receipts', async () => {
    // An invitation campaign that sent to 3 members (written as its run left it).
    const campaignId = newId('cmp')
    const runId = newId('crn')
    const at = t.clock.now().toISOString()
    const db = t.services.db
    await db.insertInto('campaigns').values({
      id: campaignId, name: `试吃会邀请${campaignId}`, description: null, status: 'completed', segment_id: 'seg_x', audience_mode: 'dynamic', snapshot_id: null,
      exclude_segment_ids: '[]', channels: '["sms"]', template_ids: '{}', coupon_template_id: null, schedule_kind: 'now', send_at: null, recurrence: null, repeat_until: null,
      rate_per_minute: 1000, holdout_pct: 0, attribution_days: 14, version: 1, created_by: null, created_at: at, updated_by: null, updated_at: at, submitted_by: null,
      approved_by: null, approved_at: null, next_run_at: null,
    }).execute()
    await db.insertInto('campaign_runs').values({ id: runId, campaign_id: campaignId, due_at: at, status: 'done', started_at: at, prepared_at: at, finished_at: at, audience: 4, excluded: 0, no_consent: 0, chain_holdout: 0, holdout: 0, targets: 4, error: null }).execute()
    const people = await Promise.all(Array.from({ length: 6 }, () => t.given.member()))
    const [a, b, c, d, e, f] = people
    for (const [m, status] of [[a, 'sent'], [b, 'sent'], [c, 'sent'], [d, 'failed']] as const) {
      await db.insertInto('campaign_recipients').values({ run_id: runId, member_id: m!.id, grp: 'target', status, channel: 'sms', reason: null, message_id: null, coupon_id: null, updated_at: at }).execute()
    }
    const ev = await openEvent({ capacity: 10, campaignId })
    for (const m of [a, b, c, d, e]) await events().register(t.actors.cashier, ev.id, { memberId: m!.id })
    await events().cancelRegistration(t.actors.cashier, ev.id, e!.id)
    t.clock.set('2026-03-02T06:05:00.000Z')
    await events().checkIn(t.actors.cashier, ev.id, { memberId: a!.id })
    await events().checkIn(t.actors.cashier, ev.id, { memberId: b!.id })

    // Purchases: before the event (not counted), on the day, in the window, a return, after the window, of a member not registered.
    const buy = (m: { id: string }, businessAt: string, amount: number) => t.given.receipt({ member: { id: m.id }, businessAt, lines: [['SKU-EV', 1, amount]] })
    await buy(a!, '2026-03-01T03:00:00.000Z', 50_000)
    const onTheDay = await buy(a!, '2026-03-02T07:00:00.000Z', 12_000)
    t.clock.set('2026-03-25T02:00:00.000Z')
    await buy(a!, '2026-03-10T03:00:00.000Z', 8_000)
    await t.given.return({ originalReceiptNo: onTheDay.receiptNo, businessAt: '2026-03-11T03:00:00.000Z' })
    await buy(c!, '2026-03-05T03:00:00.000Z', 20_000)
    await buy(b!, '2026-03-20T03:00:00.000Z', 30_000)
    await buy(f!, '2026-03-05T03:00:00.000Z', 40_000)

    const r = await events().report(hq(), ev.id)
    // Computed again, plainly, from the receipts in the window [start, end + 14 days).
    const to = '2026-03-16T08:00:00.000Z'
    const figures = async (ids: string[]) => {
      const rows = await db.selectFrom('receipts').select(['member_id', 'kind', 'total']).where('member_id', 'in', ids).where('status', '=', 'posted')
        .where('business_at', '>=', START).where('business_at', '<', to).execute()
      const sales = rows.filter((x) => x.kind === 'sale')
      return {
        members: ids.length, buyers: new Set(sales.map((x) => x.member_id)).size, receipts: sales.length,
        sales: rows.reduce((s, x) => s + (x.kind === 'sale' ? Number(x.total) : -Number(x.total)), 0),
      }
    }
    const attendees = await figures([a!.id, b!.id])
    const noShows = await figures([c!.id, d!.id])
    expect(attendees).toEqual({ members: 2, buyers: 1, receipts: 2, sales: 8_000 })
    expect(noShows).toEqual({ members: 2, buyers: 1, receipts: 1, sales: 20_000 })
    expect(r).toMatchObject({
      invited: 3, registered: 4, cancelled: 1, attended: 2, noShows: 2, attendanceRate: 0.5, byChannel: { desk: 4 },
      followUp: { days: 14, from: START, to, partial: false, attendees: { ...attendees, buyRate: 0.5, salesPerMember: 4_000 }, noShows: { ...noShows, buyRate: 0.5, salesPerMember: 10_000 } },
    })
    // With 30 days b's purchase counts too; while the window is open the figures are partial.
    expect((await events().report(hq(), ev.id, { days: 30 })).followUp).toMatchObject({ partial: true, to: '2026-03-25T02:00:00.000Z', attendees: { buyers: 2, sales: 38_000 } })
    // A store's staff read their store's event's report.
    expect((await events().report(t.actors.store_manager, ev.id)).attended).toBe(2)
    t.clock.set('2026-03-02T02:00:00.000Z')
  })

  it('moves registrations to the survivor in a merge (one seat per person) and hands them to the holder on erasure', async () => {
    const ev = await openEvent({ capacity: 5 })
    const other = await openEvent({ capacity: 5 })
    const [m, old] = [await t.given.member(), await t.given.member()]
    await events().register(t.actors.cashier, ev.id, { memberId: m.id })
    await events().register(t.actors.cashier, ev.id, { memberId: old.id })
    await events().register(t.actors.cashier, other.id, { memberId: old.id })
    await events().checkIn(t.actors.cashier, ev.id, { memberId: old.id })
    await t.services.members.merge(t.actors.service_agent, m.id, old.id, '重复注册')
    const mine = await events().ofMember(hq(), m.id)
    expect(mine.map((x) => [x.event.id, x.registration.status]).sort()).toEqual([[ev.id, 'attended'], [other.id, 'registered']].sort())
    expect((await events().get(hq(), ev.id)).seatsTaken).toBe(1)
    // The merged record's id still finds the survivor's registration.
    expect(await codeOf(events().cancelRegistration(t.actors.cashier, other.id, old.id))).toBe('ok')

    await t.services.db.transaction().execute((trx) => eraseMemberData(trx, t.services.memberData, m.id, t.clock.now().toISOString()))
    expect(await events().ofMember(hq(), m.id)).toEqual([])
    const left = await events().registrations(hq(), ev.id)
    expect(left.items).toHaveLength(1)
    expect(left.items[0]).toMatchObject({ status: 'attended' })
    expect(left.items[0]!.memberId).not.toBe(m.id)
    expect((await events().report(hq(), ev.id)).attended).toBe(1)
  })
})
