import { Type } from 'typebox'
import type { Db } from '../../db/database.js'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Page, errors } from '../../shared/http/schemas.js'
import { findProductsBySkus } from '../catalog/index.js'
import type { EarnLine } from './earn-rules.js'
import {
  AdjustBody, EarnTestBody, EarnTestResult, EndRuleBody, EntriesQuery, LedgerEntrySchema, LiabilityQuery, LiabilitySchema, LotSchema,
  MemberPointsSchema, PolicyPatch, PolicySchema, RuleBody, RuleKeyParams, RuleSchema, RulesQuery, TierChangeSchema, TierSchema, TiersBody,
} from './loyalty.schemas.js'
import type { LoyaltyService } from './loyalty.service.js'

export const loyaltyRoutes = (app: TypedApp, { loyalty, db }: { loyalty: LoyaltyService; db: Db }) => {
  const tags = ['loyalty']
  app.addSchema(LedgerEntrySchema)
  app.addSchema(RuleSchema)
  const Entry = Type.Ref('LedgerEntry')
  const Rule = Type.Ref('EarningRule')

  app.get('/members/:id/points', {
    schema: { tags, summary: "A member's balance, spendable points, tier and the next points to expire", params: IdParams, response: { 200: MemberPointsSchema, ...errors(401, 403, 404) } },
    config: { permission: 'loyalty.read' },
  }, async (req) => loyalty.points(actorOf(req), req.params.id))

  app.get('/members/:id/points/entries', {
    schema: { tags, summary: "A member's points ledger, newest first", params: IdParams, querystring: EntriesQuery, response: { 200: Page(Entry), ...errors(400, 401, 403, 404) } },
    config: { permission: 'loyalty.read' },
  }, async (req) => loyalty.entries(actorOf(req), req.params.id, req.query))

  app.get('/members/:id/points/lots', {
    schema: { tags, summary: "A member's points lots with their expiry", params: IdParams, response: { 200: Type.Array(LotSchema), ...errors(401, 403, 404) } },
    config: { permission: 'loyalty.read' },
  }, async (req) => loyalty.lots(actorOf(req), req.params.id))

  app.get('/members/:id/tier-history', {
    schema: { tags, summary: "A member's tier changes, newest first", params: IdParams, response: { 200: Type.Array(TierChangeSchema), ...errors(401, 403, 404) } },
    config: { permission: 'loyalty.read' },
  }, async (req) => loyalty.tierHistory(actorOf(req), req.params.id))

  app.post('/members/:id/points/adjustments', {
    schema: { tags, summary: 'Add or take away points with a reason (goodwill, correction); audited', params: IdParams, body: AdjustBody, response: { 201: Entry, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'loyalty.adjust' },
  }, async (req, reply) => reply.code(201).send(await loyalty.adjust(actorOf(req), { memberId: req.params.id, ...req.body })))

  app.get('/loyalty/rules', {
    schema: { tags, summary: 'Earning rules in force or scheduled (includeHistory: every version)', querystring: RulesQuery, response: { 200: Type.Array(Rule), ...errors(400, 401, 403) } },
    config: { permission: 'loyalty.read' },
  }, async (req) => loyalty.listRules(actorOf(req), req.query))

  app.post('/loyalty/rules', {
    schema: { tags, summary: 'Create an earning rule', body: RuleBody, response: { 201: Rule, ...errors(400, 401, 403, 422) } },
    config: { permission: 'loyalty.manage' },
  }, async (req, reply) => reply.code(201).send(await loyalty.createRule(actorOf(req), req.body)))

  app.put('/loyalty/rules/:key', {
    schema: { tags, summary: 'A new version of a rule from validFrom on; earlier receipts keep the old version', params: RuleKeyParams, body: RuleBody, response: { 200: Rule, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'loyalty.manage' },
  }, async (req) => loyalty.reviseRule(actorOf(req), req.params.key, req.body))

  app.post('/loyalty/rules/:key/end', {
    schema: { tags, summary: 'End a rule (now, or at a given instant)', params: RuleKeyParams, body: EndRuleBody, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
    config: { permission: 'loyalty.manage' },
  }, async (req, reply) => {
    await loyalty.endRule(actorOf(req), req.params.key, req.body.at ? new Date(req.body.at).toISOString() : undefined)
    return reply.code(204).send(null)
  })

  app.post('/loyalty/earn-test', {
    schema: { tags, summary: 'What a basket would earn under the rules in force at an instant, and why', body: EarnTestBody, response: { 200: EarnTestResult, ...errors(400, 401, 403, 422) } },
    config: { permission: 'loyalty.read' },
  }, async (req) => {
    const skus = req.body.lines.map((l) => l.sku).filter((s): s is string => !!s)
    const products = skus.length ? await findProductsBySkus(db, skus) : new Map()
    const lines: EarnLine[] = req.body.lines.map((l) => {
      const p = l.sku ? products.get(l.sku) : undefined
      return {
        sku: l.sku ?? '', amount: l.amount, department: l.department ?? p?.department ?? null, category: l.category ?? p?.category ?? null,
        subcategory: l.subcategory ?? p?.subcategory ?? null, brand: l.brand ?? p?.brand ?? null, pointsEligible: l.pointsEligible ?? p?.pointsEligible ?? true,
      }
    })
    return loyalty.testEarn(actorOf(req), { ...req.body, businessAt: req.body.businessAt ? new Date(req.body.businessAt).toISOString() : undefined, lines })
  })

  app.get('/loyalty/tiers', {
    schema: { tags, summary: 'The tier ladder', response: { 200: Type.Array(TierSchema), ...errors(401, 403) } },
    config: { permission: 'loyalty.read' },
  }, async (req) => loyalty.listTiers(actorOf(req)))

  app.put('/loyalty/tiers', {
    schema: { tags, summary: 'Replace the tier ladder', body: TiersBody, response: { 200: Type.Array(TierSchema), ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'loyalty.manage' },
  }, async (req) => loyalty.saveTiers(actorOf(req), req.body.tiers))

  app.get('/loyalty/policy', {
    schema: { tags, summary: 'Point value, payment share, expiry and tier policy', response: { 200: PolicySchema, ...errors(401, 403) } },
    config: { permission: 'loyalty.read' },
  }, async (req) => loyalty.getPolicy(actorOf(req)))

  app.patch('/loyalty/policy', {
    schema: { tags, summary: 'Change the policy', body: PolicyPatch, response: { 200: PolicySchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'loyalty.manage' },
  }, async (req) => loyalty.updatePolicy(actorOf(req), req.body))

  app.get('/loyalty/liability', {
    schema: { tags, summary: 'Outstanding points, their cash value and when they expire, by store and expiry month', querystring: LiabilityQuery, response: { 200: LiabilitySchema, ...errors(400, 401, 403) } },
    config: { permission: 'loyalty.reports' },
  }, async (req) => loyalty.liability(actorOf(req), req.query))
}
