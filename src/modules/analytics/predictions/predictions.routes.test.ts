import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
let analyst: string
let manager: string

const day = (from: string, plus: number) => new Date(Date.parse(`${from}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  t = await context()
  analyst = await t.login(t.users.analyst!.username)
  manager = await t.login(t.users.store_manager!.username)
  // 40 members, each buying 1–4 times from November 2025 on, at differing gaps and values.
  for (let i = 0; i < 40; i++) {
    const m = await t.given.member()
    let at = day('2025-11-01', (i * 3) % 40)
    for (let k = 0; k <= i % 4; k++) {
      await t.given.receipt({ member: { id: m.id }, businessAt: `${at}T03:00:00.000Z`, lines: [['SKU-T', 1, 1_000 + ((i * 7 + k * 13) % 30) * 100]] })
      at = day(at, 5 + ((i + k) % 9) * 3)
    }
  }
  await t.services.insight.refresh({ full: true })
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })

describe('lifetime value through the API', () => {
  it('shows no fit before the first, queues a scoring (202), runs it, and shows the fit that scored the members', async () => {
    const before = await as(manager, { method: 'GET', url: '/api/v1/insight/clv' })
    expect(before.statusCode, before.body).toBe(200)
    expect(before.json()).toEqual({ fit: null })

    const queued = await as(analyst, { method: 'POST', url: '/api/v1/insight/clv/score', payload: { horizonMonths: 6 } })
    expect(queued.statusCode, queued.body).toBe(202)
    const again = await as(analyst, { method: 'POST', url: '/api/v1/insight/clv/score', payload: { horizonMonths: 6 } })
    expect(again.json()).toEqual({ jobId: queued.json().jobId, joined: true })
    await t.drainJobs()

    const after = await as(analyst, { method: 'GET', url: '/api/v1/insight/clv' })
    expect(after.statusCode, after.body).toBe(200)
    expect(after.json().fit).toMatchObject({
      calibrationEnd: '2026-03-02', scored: 40, horizonMonths: 6, discountRate: 0.1,
      result: { model: 'bg/nbd', members: 40, repeatMembers: 30, unit: 'week', gammaGamma: { p: expect.any(Number) } },
    })
    const stored = await t.services.clv.latest()
    expect(after.json().fit).toEqual(JSON.parse(JSON.stringify(stored)))

    // The CLV page: members per tenth of P(alive) and the at-risk list, as the rows say.
    const page = await as(analyst, { method: 'GET', url: '/api/v1/insight/clv/overview' })
    expect(page.statusCode, page.body).toBe(200)
    const rows = await t.services.db.selectFrom('member_insight').select(['member_id', 'p_alive_pm', 'clv']).where('clv_fit_id', '=', stored!.id).execute()
    const body = page.json()
    expect(body.bands.map((b: { members: number }) => b.members)).toEqual(
      Array.from({ length: 10 }, (_, band) => rows.filter((r) => Math.min(9, Math.floor(r.p_alive_pm! / 100)) === band).length))
    expect(body.totals).toMatchObject({ members: 40, clv: rows.reduce((s, r) => s + Number(r.clv), 0) })
    const risky = rows.filter((r) => r.p_alive_pm! < 300).sort((p, q) => Number(q.clv) - Number(p.clv) || (p.member_id < q.member_id ? -1 : 1))
    expect(body.atRisk.map((m: { memberId: string }) => m.memberId)).toEqual(risky.map((r) => r.member_id))
    // A store manager sees the members of the store only (all of these registered at store A).
    const storeB = await t.login((await t.given.staff('store_manager', t.stores.b)).username)
    expect((await as(storeB, { method: 'GET', url: '/api/v1/insight/clv/overview' })).json().totals.members).toBe(0)
  })

  it('refuses a scoring to those without insight.manage, a bad body, and no session', async () => {
    expect((await as(manager, { method: 'POST', url: '/api/v1/insight/clv/score', payload: {} })).statusCode).toBe(403)
    const bad = await as(analyst, { method: 'POST', url: '/api/v1/insight/clv/score', payload: { horizonMonths: 0 } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toContainEqual(expect.objectContaining({ field: expect.stringContaining('horizonMonths') }))
    expect((await as(analyst, { method: 'POST', url: '/api/v1/insight/clv/score', payload: { discountRate: 2 } })).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/insight/clv' })).statusCode).toBe(401)
  })

  it('scores with HQ\'s horizon and discount rate (洞察设置) unless the request says otherwise', async () => {
    const put = await as(analyst, { method: 'PUT', url: '/api/v1/insight/settings', payload: { clv: { horizonMonths: 24, discountRate: 0.05 } } })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json().settings.clv).toEqual({ horizonMonths: 24, discountRate: 0.05 })
    const worth = async () => Number((await t.services.db.selectFrom('member_insight').select((eb) => eb.fn.sum<number>('clv').as('v')).executeTakeFirstOrThrow()).v)
    expect(await t.services.clv.score(t.actors.hq_admin, {})).toMatchObject({ horizonMonths: 24, discountRate: 0.05 })
    const twoYears = await worth()
    expect(await t.services.clv.score(t.actors.hq_admin, { horizonMonths: 3 })).toMatchObject({ horizonMonths: 3, discountRate: 0.05 })
    // The members are worth more over two years than over three months.
    expect(twoYears).toBeGreaterThan(await worth())
    const bad = await as(analyst, { method: 'PUT', url: '/api/v1/insight/settings', payload: { clv: { horizonMonths: 0, discountRate: 0.05 } } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toContainEqual(expect.objectContaining({ field: expect.stringContaining('horizonMonths') }))
    expect((await as(analyst, { method: 'GET', url: '/api/v1/insight/settings' })).json().settings.clv).toEqual({ horizonMonths: 24, discountRate: 0.05 })
  })

  it('stores the calibration / holdout check as a job, as the fit with a holdout gives it', async () => {
    expect((await as(analyst, { method: 'GET', url: '/api/v1/insight/clv/checks/latest' })).json()).toEqual({ check: null })
    t.clock.set('2026-03-02T02:00:00.000Z')
    const queued = await as(analyst, { method: 'POST', url: '/api/v1/insight/clv/checks', payload: { calibrationEnd: '2026-01-31' } })
    expect(queued.statusCode, queued.body).toBe(202)
    await t.drainJobs()
    const { check } = (await as(manager, { method: 'GET', url: '/api/v1/insight/clv/checks/latest' })).json()
    const direct = await t.services.clv.fit(t.actors.analyst, { calibrationEnd: '2026-01-31', holdoutEnd: '2026-03-02', unit: 'week' })
    // The job stores the check as the analyst's, who asked for it.
    expect(check).toMatchObject({ regionId: null, createdBy: t.users.analyst!.username })
    expect({ ...check.result, seconds: 0 }).toEqual({ ...direct, seconds: 0 })
    // Members with 0, 1, 2 … repeat purchases before the calibration end, in that order.
    const repeats = check.result.holdout.byRepeats.map((r: { repeats: string }) => Number(r.repeats))
    expect(repeats.length).toBeGreaterThan(1)
    expect(repeats).toEqual([...repeats].sort((a: number, b: number) => a - b))
    expect(check.result.holdout.actual).toBe(check.result.holdout.byRepeats.reduce((s: number, r: { actual: number }) => s + r.actual, 0))

    // Too few purchases before the calibration end: the job ends with the refusal, the last check stays.
    await as(analyst, { method: 'POST', url: '/api/v1/insight/clv/checks', payload: { calibrationEnd: '2025-11-15' } })
    await t.drainJobs()
    expect((await as(analyst, { method: 'GET', url: '/api/v1/insight/clv/checks/latest' })).json().check.id).toBe(check.id)
    expect((await as(manager, { method: 'POST', url: '/api/v1/insight/clv/checks', payload: {} })).statusCode).toBe(403)
    expect((await as(analyst, { method: 'POST', url: '/api/v1/insight/clv/checks', payload: { calibrationEnd: 'soon' } })).statusCode).toBe(400)
  })
})

