import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Nullable, errors } from '../../shared/http/schemas.js'
import type { OrgService } from './org.service.js'

const StoreSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  regionId: Nullable(Type.String()),
  city: Type.String(),
  district: Nullable(Type.String()),
  address: Nullable(Type.String()),
  openedOn: Nullable(Type.String()),
  status: Type.Enum(['open', 'closed']),
  closedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

const storeFields = {
  code: Type.String({ minLength: 1, maxLength: 32 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  regionId: Type.Optional(Nullable(Type.String())),
  city: Type.String({ minLength: 1, maxLength: 50 }),
  district: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  openedOn: Type.Optional(Nullable(Type.String({ format: 'date' }))),
}
const CreateStoreBody = Type.Object(storeFields, { additionalProperties: false })
const UpdateStoreBody = Type.Partial(Type.Object(storeFields), { additionalProperties: false, minProperties: 1 })

const RegionSchema = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), createdAt: Type.String() })
const ChainSchema = Type.Object({ name: Type.String(), timezone: Type.String() })

export const orgRoutes = (app: TypedApp, { org }: { org: OrgService }) => {
  const tags = ['chain and stores']

  app.get('/chain', {
    schema: { tags, summary: 'The chain (HQ): name and time zone', response: { 200: ChainSchema, ...errors(401, 403) } },
    config: { permission: 'chain.read' },
  }, async () => org.getChain())

  app.patch('/chain', {
    schema: { tags, summary: 'Rename the chain', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), response: { 200: ChainSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'chain.manage' },
  }, async (req) => org.renameChain(actorOf(req), req.body.name))

  app.get('/regions', {
    schema: { tags, summary: 'List regions', response: { 200: Type.Array(RegionSchema), ...errors(401, 403) } },
    config: { permission: 'stores.read' },
  }, async (req) => org.listRegions(actorOf(req)))

  app.post('/regions', {
    schema: { tags, summary: 'Create a region', body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }), name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), response: { 201: RegionSchema, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'stores.manage' },
  }, async (req, reply) => reply.code(201).send(await org.createRegion(actorOf(req), req.body)))

  app.get('/stores', {
    schema: { tags, summary: 'List stores', querystring: Type.Object({ status: Type.Optional(Type.Enum(['open', 'closed'])), regionId: Type.Optional(Type.String()) }, { additionalProperties: false }), response: { 200: Type.Array(StoreSchema), ...errors(400, 401, 403) } },
    config: { permission: 'stores.read' },
  }, async (req) => org.listStores(actorOf(req), req.query))

  app.post('/stores', {
    schema: { tags, summary: 'Open a store', body: CreateStoreBody, response: { 201: StoreSchema, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'stores.manage' },
  }, async (req, reply) => reply.code(201).send(await org.createStore(actorOf(req), req.body)))

  app.get('/stores/:id', {
    schema: { tags, summary: 'A store', params: IdParams, response: { 200: StoreSchema, ...errors(401, 403, 404) } },
    config: { permission: 'stores.read' },
  }, async (req) => org.getStore(actorOf(req), req.params.id))

  app.patch('/stores/:id', {
    schema: { tags, summary: 'Update a store', params: IdParams, body: UpdateStoreBody, response: { 200: StoreSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'stores.manage' },
  }, async (req) => org.updateStore(actorOf(req), req.params.id, req.body))

  app.post('/stores/:id/close', {
    schema: { tags, summary: 'Close a store (its members and history stay)', params: IdParams, response: { 200: StoreSchema, ...errors(401, 403, 404) } },
    config: { permission: 'stores.manage' },
  }, async (req) => org.setStoreStatus(actorOf(req), req.params.id, 'closed'))

  app.post('/stores/:id/reopen', {
    schema: { tags, summary: 'Reopen a closed store', params: IdParams, response: { 200: StoreSchema, ...errors(401, 403, 404) } },
    config: { permission: 'stores.manage' },
  }, async (req) => org.setStoreStatus(actorOf(req), req.params.id, 'open'))
}
