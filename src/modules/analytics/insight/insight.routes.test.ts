import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { findJob, runJob } from '../../../jobs/jobs.js'

const context = useTestContext()
let t: TestContext
let analyst: string
let manager: string
beforeAll(async () => {
  t = await context()
  analyst = await t.login(t.users.analyst!.username)
  manager = await t.login(t.users.store_manager!.username)
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })

describe('insight freshness and refresh through the API', () => {
  it('queues a refresh (202 with the job id), runs it, and shows the freshness', async () => {
    const m = await t.given.member()
    await t.given.receipt({ member: { id: m.id } })
    const before = await as(manager, { method: 'GET', url: '/api/v1/insight/freshness' })
    expect(before.statusCode, before.body).toBe(200)
    expect(before.json()).toMatchObject({ asOf: null, today: '2026-03-02', windowDays: 365, lastFullAt: null, pendingReceipts: 1, membersCovered: 0 })

    const queued = await as(analyst, { method: 'POST', url: '/api/v1/insight/refresh', payload: { full: true } })
    expect(queued.statusCode, queued.body).toBe(202)
    expect(queued.json()).toMatchObject({ jobId: expect.any(String), full: true, joined: false })
    // A second click in the same minute joins the same job.
    const again = await as(analyst, { method: 'POST', url: '/api/v1/insight/refresh', payload: { full: true } })
    expect(again.json()).toEqual({ jobId: queued.json().jobId, full: true, rebuild: false, joined: true })
    await t.drainJobs()
    const job = await t.services.outbox.findByKey(`analytics.refreshInsight:full:${t.clock.now().toISOString().slice(0, 16)}`)
    expect(job).toMatchObject({ status: 'done', result: { mode: 'full', members: expect.any(Number) } })

    const after = await as(analyst, { method: 'GET', url: '/api/v1/insight/freshness' })
    expect(after.json()).toMatchObject({
      asOf: '2026-03-02', window: { from: '2025-03-03', to: '2026-03-02' }, lastFullAt: t.clock.now().toISOString(), lastIncrementalAt: null,
      pendingReceipts: 0, membersCovered: expect.any(Number),
    })
    expect(after.json().membersCovered).toBeGreaterThan(0)
  })

  it('refuses a refresh to those without insight.manage, a bad body, and no session', async () => {
    expect((await as(manager, { method: 'POST', url: '/api/v1/insight/refresh', payload: {} })).statusCode).toBe(403)
    const bad = await as(analyst, { method: 'POST', url: '/api/v1/insight/refresh', payload: { full: 'yes please' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toContainEqual(expect.objectContaining({ field: expect.stringContaining('full') }))
    expect((await as(analyst, { method: 'POST', url: '/api/v1/insight/refresh', payload: { everything: true } })).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/insight/freshness' })).statusCode).toBe(401)
    const cashier = await t.login((await t.given.staff('cashier', t.stores.a)).username)
    expect((await as(cashier, { method: 'GET', url: '/api/v1/insight/freshness' })).statusCode).toBe(403)
  })

  it('runs the daily full schedule and the incremental one', async () => {
    t.clock.advance(10 * 60_000)
    expect(await runJob(t.services, findJob('analytics.refreshInsight.full')!)).toMatchObject({ status: 'completed', result: { mode: 'full' } })
    t.clock.advance(10 * 60_000)
    const m = await t.given.member()
    await t.given.receipt({ member: { id: m.id } })
    const inc = await runJob(t.services, findJob('analytics.refreshInsight')!)
    expect(inc).toMatchObject({ status: 'completed', result: { mode: 'incremental', members: 1, receiptsRead: 1 } })
  })
})
