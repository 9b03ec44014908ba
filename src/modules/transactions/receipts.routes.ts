import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Page, errors } from '../../shared/http/schemas.js'
import {
  BatchBody, BatchResultSchema, DecisionBody, MemberReceiptsQuery, PostResultSchema, QuoteBody, QuoteSchema, ReceiptListQuery, ReceiptSchema, ReturnApprovalListQuery,
  ReturnApprovalSchema, ReturnBody, SaleBody, TillSettingsBody, StoreTillSettingsBody, StoreTillSettingsSchema, TillSettingsSchema,
} from './receipts.schemas.js'
import type { ReceiptsService } from './receipts.service.js'

export const receiptsRoutes = (app: TypedApp, { receipts }: { receipts: ReceiptsService }) => {
  const tags = ['receipts']
  app.addSchema(PostResultSchema)
  app.addSchema(ReceiptSchema)
  const PostResult = Type.Ref('PostResult')
  const Receipt = Type.Ref('Receipt')

  app.post('/pos/receipts', {
    schema: {
      tags, summary: 'Post a sale: stores it, spends and earns points, all at once. A resend of the same receipt returns the first result with 200.',
      body: SaleBody, response: { 200: PostResult, 201: PostResult, ...errors(400, 401, 403, 409, 422) },
    },
    config: { permission: 'receipts.post' },
  }, async (req, reply) => {
    const { result, replayed } = await receipts.postSale(actorOf(req), req.body)
    return reply.code(replayed ? 200 : 201).send(result)
  })

  app.post('/pos/returns', {
    schema: {
      tags, summary: "Post a return (full or partial) of a sale, or a stand-alone return; idempotent on the return's own number. A return whose sale has not arrived is kept pending (202).",
      body: ReturnBody, response: { 200: PostResult, 201: PostResult, 202: PostResult, ...errors(400, 401, 403, 409, 422) },
      description: "Taken at a desk (staff), a return needs a reason; one refunding more than the chain's `returnApprovalAbove` from staff who may not approve it becomes a request for a store manager (202, `awaiting_approval`) and moves nothing until approved. A posted return's `refund` says how its total is paid back.",
    },
    config: { permission: 'receipts.return' },
  }, async (req, reply) => {
    const { result, replayed } = await receipts.postReturn(actorOf(req), req.body)
    return reply.code(replayed ? 200 : result.status === 'posted' ? 201 : 202).send(result)
  })

  app.addSchema(ReturnApprovalSchema)
  const ReturnApproval = Type.Ref('ReturnApproval')
  app.get('/return-approvals', {
    schema: { tags, summary: 'Desk returns waiting for (or decided by) a store manager, newest first (store roles: their store)', querystring: ReturnApprovalListQuery, response: { 200: Type.Array(ReturnApproval), ...errors(400, 401, 403) } },
    config: { permission: 'receipts.read' },
  }, async (req) => receipts.listReturnApprovals(actorOf(req), req.query))

  app.post('/return-approvals/:id/approve', {
    schema: {
      tags, summary: 'A store manager approves a desk return: it is posted now, naming the manager', params: IdParams, body: Type.Optional(DecisionBody),
      response: { 200: Type.Object({ approval: ReturnApproval, result: PostResult }), ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'receipts.approve_returns' },
  }, async (req) => receipts.approveReturn(actorOf(req), req.params.id, req.body?.note))

  app.post('/return-approvals/:id/reject', {
    schema: { tags, summary: 'A store manager refuses a desk return: nothing moves', params: IdParams, body: Type.Optional(DecisionBody), response: { 200: ReturnApproval, ...errors(400, 401, 403, 404, 409) } },
    config: { permission: 'receipts.approve_returns' },
  }, async (req) => receipts.rejectReturn(actorOf(req), req.params.id, req.body?.note))

  app.get('/till-settings', {
    schema: { tags, summary: "The chain's till settings: the scale label layout, the desk return limit", response: { 200: TillSettingsSchema, ...errors(401, 403) } },
    config: { permission: 'receipts.read' },
  }, async (req) => receipts.getTillSettings(actorOf(req)))

  app.put('/till-settings', {
    schema: { tags, summary: 'HQ sets the scale label layout and the desk return limit', body: TillSettingsBody, response: { 200: TillSettingsSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'chain.manage' },
  }, async (req) => receipts.updateTillSettings(actorOf(req), req.body))

  app.get('/stores/:id/till-settings', {
    schema: { tags, summary: "One store's till settings: HQ's, the store's own (where HQ lets stores change them) and what applies", params: IdParams, response: { 200: StoreTillSettingsSchema, ...errors(401, 403, 404) } },
    config: { permission: 'receipts.read' },
  }, async (req) => receipts.getStoreTillSettings(actorOf(req), req.params.id))

  app.put('/stores/:id/till-settings', {
    schema: { tags, summary: "A store's manager (or its region's, or HQ) sets the store's own value of a setting HQ lets stores change, or takes HQ's again; audited", params: IdParams, body: StoreTillSettingsBody, response: { 200: StoreTillSettingsSchema, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'stores.settings' },
  }, async (req) => receipts.updateStoreTillSettings(actorOf(req), req.params.id, req.body))

  app.post('/pos/batches', {
    schema: { tags, summary: "An offline till's backlog: up to 1,000 sales and returns, each posted or refused on its own", body: BatchBody, response: { 200: BatchResultSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'receipts.post' },
  }, async (req) => receipts.postBatch(actorOf(req), req.body.items))

  app.post('/pos/quote', {
    schema: { tags, summary: 'Member prices, points to earn and points usable as payment for a basket; changes nothing (a member key that finds nobody counts as a failed member lookup)', body: QuoteBody, response: { 200: QuoteSchema, ...errors(400, 401, 403, 422, 429) } },
    config: { permission: 'receipts.post' },
  }, async (req) => receipts.quote(actorOf(req), req.body))

  app.get('/receipts', {
    schema: { tags, summary: 'Receipts, newest first (store roles: their store)', querystring: ReceiptListQuery, response: { 200: Page(Receipt), ...errors(400, 401, 403) } },
    config: { permission: 'receipts.read' },
  }, async (req) => receipts.list(actorOf(req), req.query))

  app.get('/receipts/:id', {
    schema: { tags, summary: 'A receipt with its lines and tenders', params: IdParams, response: { 200: Receipt, ...errors(401, 403, 404) } },
    config: { permission: 'receipts.read' },
  }, async (req) => receipts.get(actorOf(req), req.params.id))

  app.get('/members/:id/receipts', {
    schema: { tags, summary: "A member's receipts with lines, newest first", params: IdParams, querystring: MemberReceiptsQuery, response: { 200: Page(Receipt), ...errors(400, 401, 403, 404) } },
    config: { permission: 'receipts.read' },
  }, async (req) => receipts.listForMember(actorOf(req), req.params.id, req.query))
}
