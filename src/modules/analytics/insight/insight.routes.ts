import type { Db } from '../../../db/database.js'
import { errors } from '../../../shared/http/schemas.js'
import type { TypedApp } from '../../../shared/http/request.js'
import type { OutboxService } from '../../outbox/index.js'
import { refreshInsight } from '../analytics.jobs.js'
import type { InsightRefresh } from './insight-refresh.js'
import { FreshnessSchema, RefreshBody, RefreshQueuedSchema } from './insight.schemas.js'

const tags = ['insight']

export const insightRoutes = (app: TypedApp, { insight, outbox, db, clock }: { insight: InsightRefresh; outbox: Pick<OutboxService, 'enqueue' | 'findByKey'>; db: Db; clock: { now(): Date } }) => {
  app.get('/insight/freshness', {
    schema: {
      tags, summary: 'How fresh the insight figures are: their as-of date and window, the last full and incremental refresh, receipts not yet in them, members covered',
      response: { 200: FreshnessSchema, ...errors(401, 403) },
    },
    config: { permission: 'insight.read' },
  }, async () => insight.freshness())

  app.post('/insight/refresh', {
    schema: {
      tags, summary: 'Queue a refresh of the insight figures (incremental unless full); requests within the same minute join one job',
      body: RefreshBody, response: { 202: RefreshQueuedSchema, ...errors(400, 401, 403) },
    },
    config: { permission: 'insight.manage' },
  }, async (req, reply) => {
    const rebuild = req.body?.rebuild === true
    const full = rebuild || req.body?.full === true
    const key = `${refreshInsight.name}:${rebuild ? 'rebuild' : full ? 'full' : 'incremental'}:${clock.now().toISOString().slice(0, 16)}`
    const id = await outbox.enqueue(db, refreshInsight.name, { full, rebuild }, { key })
    const jobId = id ?? (await outbox.findByKey(key))!.id
    return reply.code(202).send({ jobId, full, rebuild, joined: id === null })
  })
}
