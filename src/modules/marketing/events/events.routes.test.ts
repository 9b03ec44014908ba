import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
const auth: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await context()
  for (const key of ['hq_marketing', 'analyst', 'cashier', 'cashierB']) auth[key] = { cookie: await t.login(t.users[key]!.username) }
  auth.till = { authorization: `Bearer ${(await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: 'A 2号收银台' })).key}` }
  auth.tillB = { authorization: `Bearer ${(await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.b, name: 'B 2号收银台' })).key}` }
}, 120_000)
const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, ...auth[who] } })
const url = (path: string) => `/api/v1${path}`

const body = { title: '春季新品试吃会', kind: 'launch', storeId: '', startsAt: '2026-03-05T14:00:00+08:00', endsAt: '2026-03-05T16:00:00+08:00', capacity: 2 }

describe('member events over HTTP', () => {
  it('creates, opens, registers at the desk and the till, checks in, and reports; refuses bad input with the field', async () => {
    const payload = { ...body, storeId: t.stores.a }
    const created = await as('hq_marketing', { method: 'POST', url: url('/marketing/events'), payload })
    expect(created.statusCode).toBe(201)
    const e = created.json()
    expect(e).toMatchObject({ title: '春季新品试吃会', status: 'draft', startsAt: '2026-03-05T06:00:00.000Z', endsAt: '2026-03-05T08:00:00.000Z', capacity: 2, seatsTaken: 0, storeName: '上海浦东店' })

    // Bad input: the schema's 400 names the field; the rules' 422 names it; 404; 409 on a stale version.
    const missing = await as('hq_marketing', { method: 'POST', url: url('/marketing/events'), payload: { ...payload, title: undefined } })
    expect(missing.statusCode).toBe(400)
    expect(JSON.stringify(missing.json().error.details)).toContain('title')
    for (const bad of [{ kind: 'party' }, { capacity: 0 }, { capacity: 'many' }, { startsAt: { at: 5 } }, { extra: 1 }]) {
      expect((await as('hq_marketing', { method: 'POST', url: url('/marketing/events'), payload: { ...payload, ...bad } })).statusCode, JSON.stringify(bad)).toBe(400)
    }
    for (const [bad, field] of [[{ endsAt: '2026-03-05T13:00:00+08:00' }, 'endsAt'], [{ startsAt: 'next friday' }, 'startsAt'], [{ startsAt: '2026-02-30T14:00:00+08:00' }, 'startsAt'], [{ storeId: 'sto_nowhere' }, 'storeId'], [{ segmentId: 'seg_nowhere' }, 'segmentId'], [{ campaignId: 'cmp_nowhere' }, 'campaignId']] as const) {
      const res = await as('hq_marketing', { method: 'POST', url: url('/marketing/events'), payload: { ...payload, ...bad } })
      expect(res.statusCode, JSON.stringify(bad)).toBe(422)
      expect(res.json().error).toMatchObject({ code: 'EVENT_INVALID', details: [{ field }] })
    }
    expect((await as('analyst', { method: 'POST', url: url('/marketing/events'), payload })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'POST', url: url('/marketing/events'), payload })).statusCode).toBe(403)
    expect((await as('hq_marketing', { method: 'GET', url: url('/marketing/events/mev_nothing') })).statusCode).toBe(404)
    expect((await as('hq_marketing', { method: 'PATCH', url: url(`/marketing/events/${e.id}`), payload: { version: 7, capacity: 3 } })).statusCode).toBe(409)
    expect((await as('hq_marketing', { method: 'PATCH', url: url(`/marketing/events/${e.id}`), payload: { version: 1, capacity: -1 } })).statusCode).toBe(400)
    expect((await as('hq_marketing', { method: 'GET', url: url('/marketing/events?from=yesterday') })).statusCode).toBe(400)

    // Registration waits for the event to open.
    const m1 = await t.given.member()
    const early = await as('cashier', { method: 'POST', url: url(`/marketing/events/${e.id}/registrations`), payload: { memberId: m1.id } })
    expect(early.statusCode).toBe(409)
    expect(early.json().error.code).toBe('EVENT_NOT_OPEN')
    expect((await as('hq_marketing', { method: 'POST', url: url(`/marketing/events/${e.id}/open`) })).json()).toMatchObject({ status: 'open', version: 2 })

    const desk = await as('cashier', { method: 'POST', url: url(`/marketing/events/${e.id}/registrations`), payload: { memberId: m1.id } })
    expect(desk.statusCode).toBe(201)
    expect(desk.json()).toMatchObject({ memberId: m1.id, channel: 'desk', status: 'registered' })
    for (const [bad, status] of [[{}, 422], [{ memberId: m1.id, cardNo: m1.cardNo }, 422], [{ memberId: 'mem_nobody' }, 404], [{ cardNo: '123' }, 422], [{ memberId: m1.id, channel: 'fax' }, 400]] as const) {
      const res = await as('cashier', { method: 'POST', url: url(`/marketing/events/${e.id}/registrations`), payload: bad })
      expect(res.statusCode, JSON.stringify(bad)).toBe(status)
      if (status !== 400) expect(res.json().error.details[0].field, JSON.stringify(bad)).toMatch(/memberId|cardNo/)
    }

    // The till offers its store's open events and registers the member it serves by card (channel till).
    const offered = await as('till', { method: 'GET', url: url('/pos/events') })
    expect(offered.json().items.map((x: { id: string }) => x.id)).toContain(e.id)
    expect((await as('tillB', { method: 'GET', url: url('/pos/events') })).json().items.map((x: { id: string }) => x.id)).not.toContain(e.id)
    const m2 = await t.given.member()
    const till = await as('till', { method: 'POST', url: url(`/pos/events/${e.id}/registrations`), payload: { cardNo: m2.cardNo } })
    expect(till.statusCode).toBe(201)
    expect(till.json()).toMatchObject({ memberId: m2.id, channel: 'till' })
    expect((await as('tillB', { method: 'POST', url: url(`/pos/events/${e.id}/registrations`), payload: { memberId: m1.id } })).json().error.code).toBe('OUT_OF_STORE_SCOPE')
    const full = await as('till', { method: 'POST', url: url(`/pos/events/${e.id}/registrations`), payload: { memberId: (await t.given.member()).id } })
    expect(full.statusCode).toBe(409)
    expect(full.json().error.code).toBe('EVENT_FULL')

    // Check-in at the door by card; store B's staff may not.
    const checked = await as('cashier', { method: 'POST', url: url(`/marketing/events/${e.id}/check-ins`), payload: { cardNo: m1.cardNo } })
    expect(checked.statusCode).toBe(200)
    expect(checked.json()).toMatchObject({ memberId: m1.id, status: 'attended' })
    expect((await as('cashierB', { method: 'POST', url: url(`/marketing/events/${e.id}/check-ins`), payload: { memberId: m2.id } })).statusCode).toBe(403)
    const cancel = await as('cashier', { method: 'POST', url: url(`/marketing/events/${e.id}/registrations/${m2.id}/cancel`), payload: { reason: '家里有事' } })
    expect(cancel.json()).toMatchObject({ status: 'cancelled' })

    // Reads: marketing (analyst) and the desk of the event's store; not store B.
    const regs = await as('cashier', { method: 'GET', url: url(`/marketing/events/${e.id}/registrations?status=attended`) })
    expect(regs.json().items).toEqual([expect.objectContaining({ memberId: m1.id, cardNo: m1.cardNo, name: '王**' })])
    expect((await as('cashierB', { method: 'GET', url: url(`/marketing/events/${e.id}`) })).statusCode).toBe(403)
    const report = await as('analyst', { method: 'GET', url: url(`/marketing/events/${e.id}/report?days=7`) })
    expect(report.statusCode).toBe(200)
    expect(report.json()).toMatchObject({ invited: null, registered: 1, cancelled: 1, attended: 1, attendanceRate: 1, byChannel: { desk: 1 }, followUp: { days: 7, attendees: { members: 1 } } })
    expect((await as('analyst', { method: 'GET', url: url(`/marketing/events/${e.id}/report?days=0`) })).statusCode).toBe(400)
    const mine = await as('cashier', { method: 'GET', url: url(`/members/${m1.id}/events`) })
    expect(mine.json().items).toEqual([expect.objectContaining({ event: expect.objectContaining({ id: e.id, title: '春季新品试吃会' }), registration: expect.objectContaining({ status: 'attended' }) })])
    expect((await as('cashierB', { method: 'GET', url: url(`/members/${m1.id}/events`) })).json().items).toEqual([])
    const list = await as('analyst', { method: 'GET', url: url(`/marketing/events?storeId=${t.stores.a}&status=open&limit=1`) })
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([e.id])
    expect((await as('cashierB', { method: 'GET', url: url(`/marketing/events?storeId=${t.stores.a}`) })).statusCode).toBe(403)
    expect((await as('hq_marketing', { method: 'GET', url: url('/marketing/events?cursor=mev_nothing') })).statusCode).toBe(422)

    expect((await as('hq_marketing', { method: 'POST', url: url(`/marketing/events/${e.id}/close`) })).json().status).toBe('closed')
    expect((await as('hq_marketing', { method: 'POST', url: url(`/marketing/events/${e.id}/close`) })).json().error.code).toBe('EVENT_STATUS')
  }, 120_000)
})
