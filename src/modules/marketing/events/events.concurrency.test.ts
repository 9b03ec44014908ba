import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

// On PostgreSQL the context's pool has 12 connections, so these races are real.
const context = useTestContext({ poolSize: 12 })
let t: TestContext
beforeAll(async () => { t = await context() })

const codeOf = (o: PromiseSettledResult<unknown>) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'ok')
let n = 0
const openEvent = async (capacity: number) => {
  const e = await t.services.memberEvents.create(t.actors.hq_marketing, {
    title: `抢名额${++n}`, kind: 'talk', storeId: t.stores.a, startsAt: '2026-03-03T06:00:00.000Z', endsAt: '2026-03-03T08:00:00.000Z', capacity,
  })
  return t.services.memberEvents.open(t.actors.hq_marketing, e.id)
}
const seatsOf = async (id: string) => {
  const e = await t.services.memberEvents.get(t.actors.hq_admin, id)
  const held = (await t.services.memberEvents.registrations(t.actors.hq_admin, id, { limit: 200 })).items.filter((r) => r.status !== 'cancelled').length
  return { seatsTaken: e.seatsTaken, held }
}

describe('event seat races', () => {
  it('two desks registering two members for the last seat: one wins, the other is told it is full', async () => {
    const e = await openEvent(3)
    for (let i = 0; i < 2; i++) await t.services.memberEvents.register(t.actors.cashier, e.id, { memberId: (await t.given.member()).id })
    const [a, b] = [await t.given.member(), await t.given.member()]
    const outcomes = await Promise.allSettled([
      t.services.memberEvents.register(t.actors.cashier, e.id, { memberId: a.id }),
      t.services.memberEvents.register(t.actors.service_agent, e.id, { cardNo: b.cardNo }),
    ])
    expect(outcomes.map(codeOf).sort()).toEqual(['EVENT_FULL', 'ok'])
    expect(await seatsOf(e.id)).toEqual({ seatsTaken: 3, held: 3 })
  })

  it('20 members at once for 5 seats: 5 registrations, 15 full, and the seats taken match the registrations', async () => {
    const e = await openEvent(5)
    const members = await Promise.all(Array.from({ length: 20 }, () => t.given.member()))
    const outcomes = await Promise.allSettled(members.map((m) => t.services.memberEvents.register(t.actors.cashier, e.id, { memberId: m.id })))
    const codes = outcomes.map(codeOf)
    expect(codes.filter((c) => c === 'ok')).toHaveLength(5)
    expect(codes.filter((c) => c === 'EVENT_FULL')).toHaveLength(15)
    expect(await seatsOf(e.id)).toEqual({ seatsTaken: 5, held: 5 })
  })

  it('one member registered from several desks at once: one registration, one seat', async () => {
    const e = await openEvent(10)
    const m = await t.given.member()
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => t.services.memberEvents.register(t.actors.cashier, e.id, { memberId: m.id })))
    const codes = outcomes.map(codeOf)
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1)
    expect(codes.filter((c) => c === 'EVENT_ALREADY_REGISTERED')).toHaveLength(5)
    expect(await seatsOf(e.id)).toEqual({ seatsTaken: 1, held: 1 })
  })

  it('cancellations and registrations racing on a full event never hold more seats than the capacity', async () => {
    const e = await openEvent(4)
    const first = await Promise.all(Array.from({ length: 4 }, () => t.given.member()))
    for (const m of first) await t.services.memberEvents.register(t.actors.cashier, e.id, { memberId: m.id })
    const waiting = await Promise.all(Array.from({ length: 8 }, () => t.given.member()))
    const outcomes = await Promise.allSettled([
      ...first.slice(0, 2).map((m) => t.services.memberEvents.cancelRegistration(t.actors.cashier, e.id, m.id)),
      ...waiting.map((m) => t.services.memberEvents.register(t.actors.cashier, e.id, { memberId: m.id })),
    ])
    expect(outcomes.slice(0, 2).map(codeOf)).toEqual(['ok', 'ok'])
    const won = outcomes.slice(2).map(codeOf).filter((c) => c === 'ok').length
    expect(won).toBeLessThanOrEqual(2)
    const seats = await seatsOf(e.id)
    expect(seats.seatsTaken).toBe(seats.held)
    expect(seats.held).toBe(2 + won)
  })

  it('the same over HTTP: one 201 and one 409 EVENT_FULL for the last seat', async () => {
    const e = await openEvent(1)
    const [a, b] = [await t.given.member(), await t.given.member()]
    const cookie = await t.login(t.users.cashier!.username)
    const responses = await Promise.all([a, b].map((m) => t.app.inject({
      method: 'POST', url: `/api/v1/marketing/events/${e.id}/registrations`, headers: { cookie }, payload: { memberId: m.id },
    })))
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409])
    expect(responses.find((r) => r.statusCode === 409)!.json().error.code).toBe('EVENT_FULL')
  }, 90_000)
})
