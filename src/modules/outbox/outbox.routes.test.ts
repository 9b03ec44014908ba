import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { defineJob } from './index.js'

const context = useTestContext()
let t: TestContext
let admin: string
let marketing: string
beforeAll(async () => {
  t = await context()
  admin = await t.login(t.users.hq_admin!.username)
  marketing = await t.login(t.users.hq_marketing!.username)
})

const as = (cookie: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, cookie } })

/** A job that fails on its only attempt, so it lands in the dead-letter list. */
const deadJob = async (payload: Record<string, unknown>) => {
  const id = (await t.services.outbox.enqueue(t.services.db, 'test.alwaysFails', payload, { maxAttempts: 1 }))!
  await t.drainJobs()
  return id
}

describe('the job queue through the API', () => {
  it('shows queues and dead jobs with their error to the HQ admin only', async () => {
    const off = t.services.outbox.registry.add(defineJob({ name: 'test.alwaysFails', description: 'test', run: async () => { throw new Error('券模板不存在') } }))
    const id = await deadJob({ n: 1 })
    const queues = await as(admin, { method: 'GET', url: '/api/v1/jobs/queues' })
    expect(queues.statusCode, queues.body).toBe(200)
    expect(queues.json().items).toContainEqual(expect.objectContaining({ name: 'test.alwaysFails', dead: 1, queued: 0 }))
    expect(queues.json().items.map((q: { name: string }) => q.name)).toContain('coupons.issueWelcome')
    const dead = await as(admin, { method: 'GET', url: '/api/v1/jobs?status=dead' })
    expect(dead.json().items).toContainEqual(expect.objectContaining({ id, name: 'test.alwaysFails', status: 'dead', attempts: 1, lastError: '券模板不存在', payload: { n: 1 } }))
    for (const url of ['/api/v1/jobs/queues', '/api/v1/jobs?failed=true']) {
      expect((await as(marketing, { method: 'GET', url })).statusCode).toBe(403)
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/jobs/queues' })).statusCode).toBe(401)
    expect((await as(admin, { method: 'GET', url: '/api/v1/jobs?status=lost' })).statusCode).toBe(400)
    off()
  })

  it('retries and discards dead jobs, audited; refuses live or unknown ones', async () => {
    let succeed = false
    const off = t.services.outbox.registry.add(defineJob({
      name: 'test.alwaysFails', description: 'test',
      run: async () => {
        if (!succeed) throw new Error('not yet')
        return { ok: true }
      },
    }))
    const retried = await deadJob({ n: 2 })
    const discarded = await deadJob({ n: 3 })
    expect((await as(marketing, { method: 'POST', url: `/api/v1/jobs/${retried}/retry` })).statusCode).toBe(403)
    expect((await as(marketing, { method: 'DELETE', url: `/api/v1/jobs/${discarded}` })).statusCode).toBe(403)

    const res = await as(admin, { method: 'POST', url: `/api/v1/jobs/${retried}/retry` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ id: retried, status: 'queued', attempts: 0 })
    // Queued again, it is no longer dead: a second retry or a discard is refused.
    expect((await as(admin, { method: 'POST', url: `/api/v1/jobs/${retried}/retry` })).json().error.code).toBe('JOB_NOT_DEAD')
    expect((await as(admin, { method: 'DELETE', url: `/api/v1/jobs/${retried}` })).statusCode).toBe(409)
    succeed = true
    await t.drainJobs()
    expect((await t.services.outbox.jobs(t.actors.hq_admin, { name: 'test.alwaysFails', status: 'done' })).items.map((j) => [j.id, j.result])).toEqual([[retried, { ok: true }]])

    expect((await as(admin, { method: 'DELETE', url: `/api/v1/jobs/${discarded}` })).statusCode).toBe(204)
    expect((await as(admin, { method: 'DELETE', url: `/api/v1/jobs/${discarded}` })).json().error.code).toBe('JOB_NOT_FOUND')
    expect((await as(admin, { method: 'POST', url: '/api/v1/jobs/job_nope/retry' })).statusCode).toBe(404)

    const audit = await t.services.audit.list(t.actors.hq_admin, { entityType: 'job' })
    expect(audit.items.map((e) => [e.action, e.entityId, e.actorName])).toEqual([
      ['job.discard', discarded, t.users.hq_admin!.username],
      ['job.retry', retried, t.users.hq_admin!.username],
    ])
    expect(audit.items[0]!.changes).toEqual({ job: 'test.alwaysFails', attempts: 1, error: 'not yet' })
    off()
  })
})
