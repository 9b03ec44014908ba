import { Type } from 'typebox'
import type { TypedApp } from '../../http/app.js'
import { actorOf } from '../../http/auth.js'
import { IdParams, Page, errors } from '../../http/schemas.js'
import type { Services } from '../../services.js'
import {
  BatchBody, BatchResultSchema, MemberReceiptsQuery, PostResultSchema, QuoteBody, QuoteSchema, ReceiptListQuery, ReceiptSchema, ReturnBody, SaleBody,
} from './receipts.schemas.js'

export const receiptsRoutes = (app: TypedApp, { receipts }: Services) => {
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
    },
    config: { permission: 'receipts.post' },
  }, async (req, reply) => {
    const { result, replayed } = await receipts.postReturn(actorOf(req), req.body)
    return reply.code(replayed ? 200 : result.status === 'pending' ? 202 : 201).send(result)
  })

  app.post('/pos/batches', {
    schema: { tags, summary: "An offline till's backlog: up to 1,000 sales and returns, each posted or refused on its own", body: BatchBody, response: { 200: BatchResultSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'receipts.post' },
  }, async (req) => receipts.postBatch(actorOf(req), req.body.items))

  app.post('/pos/quote', {
    schema: { tags, summary: 'Member prices, points to earn and points usable as payment for a basket; changes nothing', body: QuoteBody, response: { 200: QuoteSchema, ...errors(400, 401, 403, 422) } },
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
