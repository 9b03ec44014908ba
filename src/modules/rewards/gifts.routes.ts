import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Page, errors } from '../../shared/http/schemas.js'
import {
  CancelBody, GiftBody, GiftOptionsSchema, GiftOrderSchema, GiftPatch, GiftSchema, GiftsQuery, MemberOrdersQuery, OptionsQuery, OrdersQuery,
  PictureBody, RedeemBody, StockBody,
} from './gifts.schemas.js'
import type { GiftsService } from './gifts.service.js'

export const giftsRoutes = (app: TypedApp, { gifts }: { gifts: GiftsService }) => {
  const tags = ['gifts']
  app.addSchema(GiftSchema)
  app.addSchema(GiftOrderSchema)
  const Gift = Type.Ref('Gift')
  const Order = Type.Ref('GiftOrder')

  app.get('/gifts', {
    schema: { tags, summary: 'The gift catalogue with stock per location, newest first', querystring: GiftsQuery, response: { 200: Type.Array(Gift), ...errors(400, 401, 403) } },
    config: { permission: 'rewards.read' },
  }, async (req) => gifts.list(actorOf(req), req.query))

  app.post('/gifts', {
    schema: { tags, summary: 'Add a gift, with its first stock if given; audited', body: GiftBody, response: { 201: Gift, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req, reply) => reply.code(201).send(await gifts.create(actorOf(req), req.body)))

  app.get('/gifts/:id', {
    schema: { tags, summary: 'A gift with its stock', params: IdParams, response: { 200: Gift, ...errors(401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => gifts.get(actorOf(req), req.params.id))

  app.patch('/gifts/:id', {
    schema: { tags, summary: "Change a gift's settings or status; audited", params: IdParams, body: GiftPatch, response: { 200: Gift, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => gifts.update(actorOf(req), req.params.id, req.body))

  app.get('/gifts/:id/picture', {
    schema: { tags, summary: "The gift's picture (PNG, JPEG or WebP)", params: IdParams, response: { ...errors(401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req, reply) => {
    const p = await gifts.picture(actorOf(req), req.params.id)
    return reply.type(p.type).header('cache-control', 'private, max-age=300').header('x-content-type-options', 'nosniff').send(p.bytes)
  })

  app.put('/gifts/:id/picture', {
    schema: { tags, summary: 'Set the picture: PNG, JPEG or WebP of at most 1 MiB, base64; audited', params: IdParams, body: PictureBody, response: { 200: Gift, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => gifts.setPicture(actorOf(req), req.params.id, req.body.data))

  app.delete('/gifts/:id/picture', {
    schema: { tags, summary: 'Remove the picture; audited', params: IdParams, response: { 200: Gift, ...errors(401, 403, 404) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => gifts.setPicture(actorOf(req), req.params.id, null))

  app.post('/gifts/:id/stock', {
    schema: {
      tags, summary: 'Add or take away pieces at a location ("central" or a store); reserved and collected pieces cannot be taken away; audited',
      params: IdParams, body: StockBody, response: { 200: Gift, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'rewards.manage' },
  }, async (req) => gifts.adjustStock(actorOf(req), req.params.id, req.body))

  app.get('/gift-orders', {
    schema: { tags, summary: "Redemption orders, newest first (a store's staff: their store's)", querystring: OrdersQuery, response: { 200: Page(Order), ...errors(400, 401, 403) } },
    config: { permission: 'rewards.read' },
  }, async (req) => gifts.listOrders(actorOf(req), req.query))

  app.get('/gift-orders/:id', {
    schema: { tags, summary: 'A redemption order', params: IdParams, response: { 200: Order, ...errors(401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => gifts.getOrder(actorOf(req), req.params.id))

  app.post('/gift-orders/:id/collect', {
    schema: { tags, summary: 'The member picked the gift up at the store: hand-over confirmed; audited', params: IdParams, response: { 200: Order, ...errors(401, 403, 404, 409) } },
    config: { permission: 'rewards.redeem' },
  }, async (req) => gifts.collect(actorOf(req), req.params.id))

  app.post('/gift-orders/:id/cancel', {
    schema: { tags, summary: 'Cancel a reserved order: the stock and the points come back; audited', params: IdParams, body: CancelBody, response: { 200: Order, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'rewards.redeem' },
  }, async (req) => gifts.cancel(actorOf(req), req.params.id, req.body))

  app.get('/members/:id/gift-orders', {
    schema: { tags, summary: "A member's gift orders, newest first", params: IdParams, querystring: MemberOrdersQuery, response: { 200: Page(Order), ...errors(400, 401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => gifts.memberOrders(actorOf(req), req.params.id, req.query))

  app.post('/members/:id/gift-orders', {
    schema: {
      tags, summary: 'Redeem a gift for points: the stock is reserved and the points spent at once, for pick-up at a store; audited',
      params: IdParams, body: RedeemBody, response: { 201: Order, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'rewards.redeem' },
  }, async (req, reply) => reply.code(201).send(await gifts.redeem(actorOf(req), { memberId: req.params.id, ...req.body })))

  app.get('/members/:id/gift-options', {
    schema: {
      tags, summary: 'The gifts on offer as this member sees them: price, stock at the pick-up store and what stands in the way',
      params: IdParams, querystring: OptionsQuery, response: { 200: GiftOptionsSchema, ...errors(400, 401, 403, 404) },
    },
    config: { permission: 'rewards.read' },
  }, async (req) => gifts.optionsFor(actorOf(req), req.params.id, req.query))
}
