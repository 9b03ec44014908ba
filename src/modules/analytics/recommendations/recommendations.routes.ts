import { actorName } from '../../../shared/actor.js'
import type { Db } from '../../../db/database.js'
import { errors } from '../../../shared/http/schemas.js'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { queueJoining, type JobQueue } from '../analytics-queue.js'
import { buildRecommendations } from '../analytics.jobs.js'
import type { RecommendationsService } from './recommendations.service.js'
import { BuildBody, BuildQueuedSchema, LatestModelSchema, MemberParams, RecommendationsSchema, RecommendQuery } from './recommendations.schemas.js'

export const recommendationsRoutes = (app: TypedApp, { recommendations, outbox, db, clock }: {
  recommendations: RecommendationsService; outbox: JobQueue; db: Db; clock: { now(): Date }
}) => {
  app.get('/insight/recommendations/model', {
    schema: {
      tags: ['insight'], summary: 'The newest recommendation model: the period it learned from, its baskets, members, products and neighbour pairs; null before the first build',
      response: { 200: LatestModelSchema, ...errors(401, 403) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => ({ model: await recommendations.latest(actorOf(req)) }))

  app.post('/insight/recommendations/model', {
    schema: {
      tags: ['insight'], summary: "Queue a build of the recommendation model from the last N days' sales (each product's nearest products on the same sales and by the same members; the popular list); requests within the same minute join one job",
      body: BuildBody, response: { 202: BuildQueuedSchema, ...errors(400, 401, 403) },
    },
    config: { permission: 'insight.manage' },
  }, async (req, reply) => {
    const payload = { ...(req.body?.days !== undefined ? { days: req.body.days } : {}), requestedBy: actorName(actorOf(req)) }
    return reply.code(202).send(await queueJoining(outbox, db, clock.now(), buildRecommendations.name, payload))
  })

  app.get('/members/:id/recommendations', {
    schema: {
      tags: ['members', 'insight'], summary: "A member's next products, each with its reason (bought often; often bought with a product they buy; bought by members who buy it; popular): never off sale, bought in the last N days, or (pointsOnly) earning no points",
      params: MemberParams, querystring: RecommendQuery, response: { 200: RecommendationsSchema, ...errors(400, 401, 403, 404, 422) },
    },
    config: { permission: 'members.read' },
  }, async (req) => recommendations.forMember(actorOf(req), req.params.id, req.query))
}
