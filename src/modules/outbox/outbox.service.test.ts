import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { backoffMs, defineJob } from './index.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const jobsNamed = async (name: string) => (await t.services.outbox.jobs(t.actors.hq_admin, { name, limit: 200 })).items

describe('enqueue', () => {
  it('writes the job in the caller\'s transaction: a rolled-back change leaves no job', async () => {
    await expect(t.services.db.transaction().execute(async (trx) => {
      await t.services.outbox.enqueue(trx, 'test.rolledBack', { n: 1 })
      throw new Error('the change failed')
    })).rejects.toThrow('the change failed')
    expect(await jobsNamed('test.rolledBack')).toEqual([])
    await t.services.db.transaction().execute((trx) => t.services.outbox.enqueue(trx, 'test.rolledBack', { n: 2 }))
    expect((await jobsNamed('test.rolledBack')).map((j) => j.payload)).toEqual([{ n: 2 }])
  })

  it('enqueues a keyed job once: a second enqueue with the key is a no-op', async () => {
    const first = await t.services.outbox.enqueue(t.services.db, 'test.keyed', { n: 1 }, { key: 'test.keyed:a' })
    const second = await t.services.outbox.enqueue(t.services.db, 'test.keyed', { n: 2 }, { key: 'test.keyed:a' })
    expect(first).not.toBeNull()
    expect(second).toBeNull()
    expect((await jobsNamed('test.keyed')).map((j) => j.payload)).toEqual([{ n: 1 }])
  })

  it('publishes a durable event as one job per subscriber, skipping the subscribers whose filter says no', async () => {
    const offA = t.services.outbox.registry.add(defineJob({ name: 'test.onMergedA', description: 'test', on: 'member.merged', run: async () => null }))
    const offB = t.services.outbox.registry.add(defineJob({
      name: 'test.onMergedB', description: 'test', on: 'member.merged', when: (e) => e.survivorId !== 'mem_skip', key: (e) => e.mergedId, run: async () => null,
    }))
    const at = t.clock.now().toISOString()
    await t.services.db.transaction().execute(async (trx) => {
      expect(await t.services.outbox.publish(trx, 'member.merged', { survivorId: 'mem_a', mergedId: 'mem_b', at })).toBe(2)
      expect(await t.services.outbox.publish(trx, 'member.merged', { survivorId: 'mem_skip', mergedId: 'mem_c', at })).toBe(1)
      // The same event again: the keyed subscriber's job exists already.
      expect(await t.services.outbox.publish(trx, 'member.merged', { survivorId: 'mem_a', mergedId: 'mem_b', at })).toBe(1)
    })
    expect(await jobsNamed('test.onMergedA')).toHaveLength(3)
    expect((await jobsNamed('test.onMergedB')).map((j) => j.payload)).toEqual([{ survivorId: 'mem_a', mergedId: 'mem_b', at }])
    offA()
    offB()
  })
})

describe('running jobs', () => {
  it('does not run a job scheduled for later early, then runs it when due', async () => {
    const ran: number[] = []
    const off = t.services.outbox.registry.add(defineJob<{ n: number }>({ name: 'test.later', description: 'test', run: async ({ n }) => ran.push(n) }))
    const runAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString()
    await t.services.outbox.enqueue(t.services.db, 'test.later', { n: 1 }, { runAt })
    await t.drainJobs()
    t.clock.advance(3_599_000)
    await t.drainJobs()
    expect(ran).toEqual([])
    expect((await jobsNamed('test.later'))[0]).toMatchObject({ status: 'queued', runAt })
    t.clock.advance(1_000)
    await t.drainJobs()
    expect(ran).toEqual([1])
    expect((await jobsNamed('test.later'))[0]).toMatchObject({ status: 'done', attempts: 1 })
    off()
  })

  it('retries a failing job after a growing backoff, then parks it in the dead-letter list with its error', async () => {
    let runs = 0
    const off = t.services.outbox.registry.add(defineJob({
      name: 'test.failing', description: 'test', maxAttempts: 3,
      run: async () => {
        runs++
        throw new Error(`boom ${runs}`)
      },
    }))
    await t.services.outbox.enqueue(t.services.db, 'test.failing', {})
    const start = t.clock.now().getTime()
    expect(await t.drainJobs()).toMatchObject({ failed: 1 })
    let [job] = await jobsNamed('test.failing')
    expect(job).toMatchObject({ status: 'queued', attempts: 1, lastError: 'boom 1', runAt: new Date(start + backoffMs(1)).toISOString() })
    // Not before its backoff.
    t.clock.advance(backoffMs(1) - 1)
    await t.drainJobs()
    expect(runs).toBe(1)
    t.clock.advance(1)
    await t.drainJobs()
    ;[job] = await jobsNamed('test.failing')
    expect(job).toMatchObject({ status: 'queued', attempts: 2, lastError: 'boom 2' })
    expect(Date.parse(job!.runAt) - t.clock.now().getTime()).toBe(backoffMs(2))
    expect(backoffMs(2)).toBe(2 * backoffMs(1))
    t.clock.advance(backoffMs(2))
    await t.drainJobs()
    ;[job] = await jobsNamed('test.failing')
    expect(job).toMatchObject({ status: 'dead', attempts: 3, lastError: 'boom 3' })
    t.clock.advance(86_400_000)
    await t.drainJobs()
    expect(runs).toBe(3)
    const failed = await t.services.outbox.jobs(t.actors.hq_admin, { failed: true, name: 'test.failing' })
    expect(failed.items.map((j) => j.id)).toEqual([job!.id])
    const queue = (await t.services.outbox.queues(t.actors.hq_admin)).find((q) => q.name === 'test.failing')
    expect(queue).toMatchObject({ queued: 0, running: 0, dead: 1 })
    off()
    t.clock.set('2026-03-02T02:00:00.000Z')
  })

  it('shows each queue\'s depth and how long its oldest due job has waited', async () => {
    const off = t.services.outbox.registry.add(defineJob({ name: 'test.lag', description: 'test', run: async () => null }))
    const at = t.clock.now().getTime()
    await t.services.outbox.enqueue(t.services.db, 'test.lag', {})
    await t.services.outbox.enqueue(t.services.db, 'test.lag', {}, { runAt: new Date(at + 600_000).toISOString() })
    t.clock.advance(90_000)
    const queue = (await t.services.outbox.queues(t.actors.hq_admin)).find((q) => q.name === 'test.lag')
    expect(queue).toMatchObject({ queued: 2, due: 1, lagSeconds: 90, running: 0, dead: 0 })
    await expect(t.services.outbox.queues(t.actors.hq_marketing)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    off()
    t.clock.set('2026-03-02T02:00:00.000Z')
  })
})
