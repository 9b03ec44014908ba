import { actorName } from '../../../shared/actor.js'
import type { Db } from '../../../db/database.js'
import { errors } from '../../../shared/http/schemas.js'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import type { OutboxService } from '../../outbox/index.js'
import { queueJoining } from '../analytics-queue.js'
import { checkClv, scoreClv } from '../analytics.jobs.js'
import type { ClvService } from './clv.service.js'
import { CheckBody, ClvOverviewSchema, LatestCheckSchema, LatestFitSchema, ScoreBody, ScoreQueuedSchema } from './predictions.schemas.js'

const tags = ['insight']

export const predictionsRoutes = (app: TypedApp, { clv, outbox, db, clock }: { clv: ClvService; outbox: Pick<OutboxService, 'enqueue' | 'findByKey'>; db: Db; clock: { now(): Date } }) => {
  app.get('/insight/clv', {
    schema: {
      tags, summary: 'The last lifetime-value fit that scored the members: BG/NBD and Gamma-Gamma parameters, log-likelihoods, members, horizon and discount rate',
      response: { 200: LatestFitSchema, ...errors(401, 403) },
    },
    config: { permission: 'insight.read' },
  }, async () => ({ fit: await clv.latest() }))

  app.get('/insight/clv/overview', {
    schema: {
      tags, summary: 'The CLV page: the last fit, the members it scored per tenth of P(alive) with their CLV, and the 50 members most worth winning back (P(alive) below 30 %, the highest CLV first); store roles see their store',
      response: { 200: ClvOverviewSchema, ...errors(401, 403) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => clv.overview(actorOf(req)))

  app.post('/insight/clv/score', {
    schema: {
      tags, summary: "Queue a fit of the lifetime-value models on every purchase to today, writing each member's P(alive), expected purchases and CLV; requests within the same minute join one job",
      body: ScoreBody, response: { 202: ScoreQueuedSchema, ...errors(400, 401, 403) },
    },
    config: { permission: 'insight.manage' },
  }, async (req, reply) => {
    const payload = { ...(req.body?.horizonMonths !== undefined ? { horizonMonths: req.body.horizonMonths } : {}), ...(req.body?.discountRate !== undefined ? { discountRate: req.body.discountRate } : {}), requestedBy: actorName(actorOf(req)) }
    return reply.code(202).send(await queueJoining(outbox, db, clock.now(), scoreClv.name, payload))
  })

  app.post('/insight/clv/checks', {
    schema: {
      tags, summary: 'Queue a calibration / holdout check: fit on the purchases up to the calibration end, predict the holdout, store predicted against actual by repeat purchases (the CLV page\'s chart); per region when asked',
      body: CheckBody, response: { 202: ScoreQueuedSchema, ...errors(400, 401, 403) },
    },
    config: { permission: 'insight.manage' },
  }, async (req, reply) => {
    const payload = { ...req.body, requestedBy: actorName(actorOf(req)) }
    return reply.code(202).send(await queueJoining(outbox, db, clock.now(), checkClv.name, payload))
  })

  app.get('/insight/clv/checks/latest', {
    schema: { tags, summary: 'The newest stored calibration / holdout check (null before the first)', response: { 200: LatestCheckSchema, ...errors(401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => ({ check: await clv.latestCheck(actorOf(req)) }))
}
