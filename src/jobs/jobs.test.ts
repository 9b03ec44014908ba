import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { findJob, runJob, type JobDefinition } from './jobs.js'

const context = useTestContext({ poolSize: 12 })
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const counting = (name: string, fail = false) => {
  const job: JobDefinition & { runs: number } = {
    name, description: 'test', runs: 0, runKey: () => '2026-03-02',
    run: async () => {
      job.runs++
      await new Promise((r) => setTimeout(r, 20))
      if (fail) throw new Error('boom')
      return { ok: true }
    },
  }
  return job
}

describe('jobs', () => {
  it('runs once per key however many processes try at once', async () => {
    const job = counting('test.once')
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => runJob(t.services, job, { owner: `proc-${i}` })))
    expect(outcomes.filter((o) => o.status === 'completed')).toHaveLength(1)
    expect(outcomes.filter((o) => o.status === 'skipped')).toHaveLength(5)
    expect(job.runs).toBe(1)
    expect((await runJob(t.services, job)).status).toBe('skipped')
    expect(job.runs).toBe(1)
  })

  it('runs a failed job again, and takes over a run whose process died', async () => {
    const failing = counting('test.fail', true)
    expect(await runJob(t.services, failing)).toEqual({ status: 'failed', error: 'boom' })
    expect((await runJob(t.services, failing)).status).toBe('failed')
    expect(failing.runs).toBe(2)

    const job = counting('test.stale')
    // A process claimed today's run and died: its lease runs out.
    await t.services.outbox.enqueue(t.services.db, 'test.stale', {}, { key: 'test.stale:2026-03-02' })
    expect(await t.services.outbox.claimByKey('test.stale:2026-03-02', 'dead:1', 60_000)).not.toBeNull()
    expect((await runJob(t.services, job)).status).toBe('skipped')
    t.clock.advance(61_000)
    expect((await runJob(t.services, job)).status).toBe('completed')
    expect(job.runs).toBe(1)
  })

  it('the expiry job twice changes nothing the second time', async () => {
    const m = await t.given.member()
    await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 50, reason: '测试' })
    t.clock.set('2028-01-02T02:00:00.000Z')
    const expire = findJob('points.expire')!
    expect(await runJob(t.services, expire, { key: 'a' })).toMatchObject({ status: 'completed', result: { lots: 1, points: 50 } })
    expect(await runJob(t.services, expire, { key: 'b' })).toMatchObject({ status: 'completed', result: { lots: 0, points: 0 } })
    expect((await t.services.loyalty.points(t.actors.hq_admin, m.id)).balance).toBe(0)
    expect(await t.services.loyalty.verify()).toEqual([])
  })
})
