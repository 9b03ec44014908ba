import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { testEngine } from '../../test/db.js'
import { defineJob } from '../modules/outbox/index.js'
import { runQueued, runUntilIdle, startWorker } from './worker.js'

const context = useTestContext({ poolSize: 12 })
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const LEASE = 60_000

describe('a worker that dies in the middle of a job', () => {
  it('loses nothing and repeats no effect: the welcome coupon is issued once', async () => {
    const tpl = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '新人券', kind: 'amount', value: 500, minSpend: 0, validDays: 30, autoIssue: 'registration' })
    await t.drainJobs()
    const member = await t.given.member()
    const welcomes = async () => (await t.services.coupons.memberCoupons(t.actors.cashier, member.id)).filter((c) => c.templateId === tpl.id)

    // Worker A claims the member's welcome job and dies before running it.
    const [claimed] = await t.services.outbox.claim('worker-a', { limit: 1, leaseMs: LEASE, names: ['coupons.issueWelcome'] })
    expect(claimed).toMatchObject({ name: 'coupons.issueWelcome', payload: { memberId: member.id }, status: 'running', attempts: 1 })
    // While its lease lasts, nobody else takes it.
    await t.drainJobs()
    expect(await welcomes()).toHaveLength(0)
    // The lease runs out: worker B runs it.
    t.clock.advance(LEASE + 1)
    await runUntilIdle(t.services, { owner: 'worker-b', leaseMs: LEASE })
    expect(await welcomes()).toHaveLength(1)
    // A's late completion changes nothing (B holds the job now).
    expect(await t.services.outbox.complete(claimed!.id, 'worker-a', null)).toBe(false)

    // Worker C dies after the effect but before marking the job done: the job runs again, issues nothing twice.
    const other = await t.given.member()
    const [job] = await t.services.outbox.claim('worker-c', { limit: 1, leaseMs: LEASE, names: ['coupons.issueWelcome'] })
    expect(job!.payload).toMatchObject({ memberId: other.id })
    await t.services.outbox.registry.get('coupons.issueWelcome')!.run(job!.payload, { ...t.services, job: { id: job!.id, name: job!.name, attempt: 1, enqueuedAt: job!.createdAt } })
    t.clock.advance(LEASE + 1)
    // (Other subscribers of the registration, the journeys', run beside it.)
    expect(await runUntilIdle(t.services, { owner: 'worker-d' })).toMatchObject({ failed: 0 })
    expect((await t.services.coupons.memberCoupons(t.actors.cashier, other.id)).filter((c) => c.templateId === tpl.id)).toHaveLength(1)
    expect((await t.services.outbox.jobs(t.actors.hq_admin, { name: 'coupons.issueWelcome', limit: 5 })).items.slice(0, 2).map((j) => [j.status, j.attempts]))
      .toEqual([['done', 2], ['done', 2]])
    expect(await t.services.coupons.verify()).toEqual([])
    await t.services.coupons.setTemplateStatus(t.actors.hq_marketing, tpl.id, 'archived')
  })

  it('sends a job whose worker keeps dying to the dead-letter list after its last attempt', async () => {
    const off = t.services.outbox.registry.add(defineJob({ name: 'test.crashes', description: 'test', maxAttempts: 2, run: async () => null }))
    const id = await t.services.outbox.enqueue(t.services.db, 'test.crashes', {})
    for (let i = 0; i < 2; i++) {
      expect(await t.services.outbox.claim(`dying-${i}`, { limit: 5, leaseMs: LEASE, names: ['test.crashes'] })).toHaveLength(1)
      t.clock.advance(LEASE + 1)
    }
    await t.drainJobs()
    const [job] = (await t.services.outbox.jobs(t.actors.hq_admin, { name: 'test.crashes' })).items
    expect(job).toMatchObject({ id, status: 'dead', attempts: 2 })
    expect(job!.lastError).toMatch(/lease expired/)
    off()
  })
})

describe('a long job\'s progress', () => {
  it('is written while the job runs (at most once a second, and at its end) and kept with it', async () => {
    const seen: unknown[] = []
    const off = t.services.outbox.registry.add(defineJob({
      name: 'test.progress', description: 'test',
      run: async (_input, { job }) => {
        await job.progress!(0, 3, 'first')
        seen.push((await t.services.outbox.findById(job.id))!.progress)
        // Within the second: not written.
        await job.progress!(1, 3, 'second')
        seen.push((await t.services.outbox.findById(job.id))!.progress)
        await job.progress!(3, 3)
        return 'ok'
      },
    }))
    const id = await t.services.outbox.enqueue(t.services.db, 'test.progress', {})
    await t.drainJobs()
    expect(seen).toEqual([{ done: 0, total: 3, step: 'first' }, { done: 0, total: 3, step: 'first' }])
    expect(await t.services.outbox.findById(id!)).toMatchObject({ status: 'done', result: 'ok', progress: { done: 3, total: 3, step: null } })
    off()
  })
})

describe('several workers', () => {
  it(`never run one job twice (${testEngine()}: two workers racing over 200 jobs)`, async () => {
    const runs = new Map<number, number>()
    const off = t.services.outbox.registry.add(defineJob<{ n: number }>({
      name: 'test.race', description: 'test',
      run: async ({ n }) => {
        runs.set(n, (runs.get(n) ?? 0) + 1)
        await new Promise((r) => setTimeout(r, 1))
      },
    }))
    await t.services.db.transaction().execute(async (trx) => {
      for (let n = 0; n < 200; n++) await t.services.outbox.enqueue(trx, 'test.race', { n })
    })
    const [a, b] = await Promise.all([
      runUntilIdle(t.services, { owner: 'racer-a', batch: 7 }),
      runUntilIdle(t.services, { owner: 'racer-b', batch: 7 }),
    ])
    expect(runs.size).toBe(200)
    expect([...runs.values()].every((n) => n === 1)).toBe(true)
    expect(a.failed + b.failed).toBe(0)
    if (testEngine() === 'postgres') {
      // Both took part: SKIP LOCKED hands them disjoint jobs instead of making one wait.
      expect(a.completed).toBeGreaterThan(0)
      expect(b.completed).toBeGreaterThan(0)
    }
    const queue = (await t.services.outbox.queues(t.actors.hq_admin)).find((q) => q.name === 'test.race')
    expect(queue).toMatchObject({ queued: 0, running: 0, done: 200, dead: 0 })
    off()
  })

  it('a worker loop runs what is queued and stops gracefully, giving back what it had not started', async () => {
    const seen: number[] = []
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => (release = r))
    const off = t.services.outbox.registry.add(defineJob<{ n: number }>({
      name: 'test.loop', description: 'test',
      run: async ({ n }) => {
        seen.push(n)
        if (n === 0) await gate
      },
    }))
    for (let n = 0; n < 3; n++) await t.services.outbox.enqueue(t.services.db, 'test.loop', { n })
    const worker = startWorker(t.services, { owner: 'loop', pollMs: 20, batch: 3 })
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10))
    const stopped = worker.stop()
    release()
    await stopped
    expect(seen).toEqual([0])
    const jobs = (await t.services.outbox.jobs(t.actors.hq_admin, { name: 'test.loop' })).items
    expect(jobs.map((j) => [j.payload, j.status, j.attempts])).toEqual([[{ n: 2 }, 'queued', 0], [{ n: 1 }, 'queued', 0], [{ n: 0 }, 'done', 1]])
    await t.drainJobs()
    expect(seen.sort()).toEqual([0, 1, 2])
    off()
  })

  it('wakes a napping worker when a job is queued in its process', async () => {
    let ran = 0
    const off = t.services.outbox.registry.add(defineJob({ name: 'test.wake', description: 'test', run: async () => void ran++ }))
    const worker = startWorker(t.services, { owner: 'napper', pollMs: 60_000 })
    await new Promise((r) => setTimeout(r, 100))
    await t.services.db.transaction().execute((trx) => t.services.outbox.enqueue(trx, 'test.wake', {}))
    const started = Date.now()
    while (ran === 0 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 10))
    await worker.stop()
    expect(ran).toBe(1)
    off()
  })

  it('skips a job this process has no handler for', async () => {
    await t.services.outbox.enqueue(t.services.db, 'test.unknown', {})
    expect(await t.services.outbox.claim('w', { limit: 5, leaseMs: LEASE, names: t.services.outbox.registry.names() })).toEqual([])
    const [job] = await t.services.outbox.claim('w', { limit: 5, leaseMs: LEASE, names: ['test.unknown'] })
    expect(await runQueued(t.services, job!, 'w')).toMatchObject({ status: 'skipped' })
  })
})
