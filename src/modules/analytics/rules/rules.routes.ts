import { actorName } from '../../../shared/actor.js'
import { Type } from 'typebox'
import { errors } from '../../../shared/http/schemas.js'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import type { Db } from '../../../db/database.js'
import { storeFilterFor } from '../../../shared/scope.js'
import { queueJoining, type JobQueue } from '../analytics-queue.js'
import { mineRules } from '../analytics.jobs.js'
import type { RulesService } from './rules.service.js'
import { MineBody, MinedSchema, QueuedSchema, RuleItemsSchema, RulesPageSchema, RulesQuery, RunQuery, RunsSchema, TogetherQuery, TogetherSchema } from './rules.schemas.js'

const tags = ['insight']

export const rulesRoutes = (app: TypedApp, { rules, outbox, db, clock }: { rules: RulesService; outbox: JobQueue; db: Db; clock: { now(): Date } }) => {
  app.post('/insight/rules/jobs', {
    schema: {
      tags, summary: 'Queue a mining run (as POST /insight/rules/runs, for a large chain: a job with progress, followed at GET /insight/jobs/{id}); store roles mine their store; the same request within a minute joins one job',
      body: MineBody, response: { 202: QueuedSchema, ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'insight.read' },
  }, async (req, reply) => {
    const body = req.body ?? {}
    rules.validate(actorOf(req), body)
    const storeId = storeFilterFor(actorOf(req), body.storeId)
    const payload = { ...body, ...(storeId !== undefined ? { storeId } : {}), requestedBy: actorName(actorOf(req)) }
    return reply.code(202).send(await queueJoining(outbox, db, clock.now(), mineRules.name, payload))
  })

  app.post('/insight/rules/runs', {
    schema: {
      tags, summary: "Mine association rules: each sale's distinct items at a level (SKU, subcategory, category, department) over a period, a store or all, members' sales or all; frequent itemsets by FP-Growth, rules with one item on the right; stored as a run (store roles mine their store)",
      body: MineBody, response: { 201: MinedSchema, ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'insight.read' },
  }, async (req, reply) => {
    const { run, rules: found } = await rules.mine(actorOf(req), req.body ?? {})
    return reply.code(201).send({ run, rules: found.slice(0, 50) })
  })

  app.get('/insight/rules/runs', {
    schema: { tags, summary: 'The stored mining runs, newest first (store roles: their store’s)', response: { 200: RunsSchema, ...errors(401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => ({ runs: await rules.runs(actorOf(req)) }))

  app.get('/insight/rules', {
    schema: {
      tags, summary: "A run's rules (the newest run by default), filtered by an item, side, support, confidence, lift and size, sorted by lift, confidence or support",
      querystring: RulesQuery, response: { 200: RulesPageSchema, ...errors(400, 401, 403, 404, 422) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => rules.list(actorOf(req), req.query))

  app.get('/insight/rules/items', {
    schema: {
      tags, summary: "The items of a run's stored rules (the newest run by default) with their labels and how many rules hold each, the most first: what the rules browser filters by",
      querystring: RunQuery, response: { 200: RuleItemsSchema, ...errors(400, 401, 403, 404) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => rules.items(actorOf(req), req.query.runId))

  app.get('/products/:id/bought-together', {
    schema: {
      tags: ['insight', 'catalog'], summary: 'Frequently bought together: the products most often on the same sales as this one in the last N days, as rules {product} ⇒ {other} with support, confidence and lift',
      params: Type.Object({ id: Type.String({ minLength: 1 }) }), querystring: TogetherQuery, response: { 200: TogetherSchema, ...errors(400, 401, 403, 404, 422) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => rules.together(actorOf(req), req.params.id, req.query))
}
