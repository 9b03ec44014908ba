import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { errors, IdParams } from '../../shared/http/schemas.js'
import { JobPageSchema, JobSchema, JobsQuery, QueuesSchema } from './outbox.schemas.js'
import type { OutboxService } from './outbox.service.js'

const tags = ['jobs']

export const outboxRoutes = (app: TypedApp, { outbox }: { outbox: OutboxService }) => {
  app.get('/jobs/queues', {
    schema: { tags, summary: 'Each job queue: depth, lag of its oldest due job, running, done and dead jobs (HQ admin)', response: { 200: QueuesSchema, ...errors(401, 403) } },
    config: { permission: 'jobs.manage' },
  }, async (req) => ({ items: await outbox.queues(actorOf(req)) }))

  app.get('/jobs', {
    schema: { tags, summary: 'Jobs, newest first: by status, name, or those whose last attempt failed (HQ admin)', querystring: JobsQuery, response: { 200: JobPageSchema, ...errors(400, 401, 403) } },
    config: { permission: 'jobs.manage' },
  }, async (req) => outbox.jobs(actorOf(req), req.query))

  app.post('/jobs/:id/retry', {
    schema: { tags, summary: 'Queue a dead job again now, its attempts reset; audited', params: IdParams, response: { 200: JobSchema, ...errors(401, 403, 404, 409) } },
    config: { permission: 'jobs.manage' },
  }, async (req) => outbox.retry(actorOf(req), req.params.id))

  app.delete('/jobs/:id', {
    schema: { tags, summary: 'Discard a dead job: what it would have done is given up; audited', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } },
    config: { permission: 'jobs.manage' },
  }, async (req, reply) => {
    await outbox.discard(actorOf(req), req.params.id)
    return reply.code(204).send(null)
  })
}
