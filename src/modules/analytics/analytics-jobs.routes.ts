import { Type } from 'typebox'
import { assertCan } from '../../shared/actor.js'
import { notFound } from '../../shared/errors.js'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { Nullable, errors } from '../../shared/http/schemas.js'
import type { OutboxService } from '../outbox/index.js'

const AnalyticsJobSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.String({ description: 'queued, running, done or dead' }),
  progress: Nullable(Type.Object({ done: Type.Number(), total: Type.Number(), step: Nullable(Type.String()) })),
  /** what the job returned (its run's id, counts; or why it refused) */
  result: Type.Unknown(),
  lastError: Nullable(Type.String()),
  attempts: Type.Integer(),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
})

/**
 * The status of an analytics job a page queued (a forecast, a model build, a check): anyone who
 * reads the insight pages follows it, with its progress; other jobs are the job console's (HQ admin).
 */
export const analyticsJobsRoutes = (app: TypedApp, { outbox }: { outbox: Pick<OutboxService, 'findById'> }) => {
  app.get('/insight/jobs/:id', {
    schema: {
      tags: ['insight', 'jobs'], summary: 'An analytics job queued by an insight page: its status, progress, result or last error',
      params: Type.Object({ id: Type.String({ minLength: 1 }) }), response: { 200: AnalyticsJobSchema, ...errors(401, 403, 404) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => {
    assertCan(actorOf(req), 'insight.read')
    const job = await outbox.findById(req.params.id)
    if (!job || !job.name.startsWith('analytics.')) throw notFound('JOB_NOT_FOUND', [{ field: 'id', reason: 'no such analytics job' }])
    return {
      id: job.id, name: job.name, status: job.status, progress: job.progress, result: job.result, lastError: job.lastError,
      attempts: job.attempts, createdAt: job.createdAt, finishedAt: job.finishedAt,
    }
  })
}
