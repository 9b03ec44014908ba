import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { lazySerializers, referencedSchemas } from './lazy-serializers.js'

const appWith = (serializers: ReturnType<typeof lazySerializers>) => {
  const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: serializers.buildSerializer } } })
  const response = { 200: { type: 'object', properties: { id: { type: 'string' }, points: { type: 'integer' } } } }
  app.get('/a', { schema: { response } }, async () => ({ id: 'm1', points: '12', secret: 'x' }))
  app.get('/b', { schema: { response } }, async () => ({ id: 'm2', points: 3 }))
  return app
}

describe('lazy response serializers', () => {
  it('compile a route on its first answer, with what fast-json-stringify would write', async () => {
    const serializers = lazySerializers()
    const app = appWith(serializers)
    await app.ready()
    const before = serializers.pending() // GET /a, GET /b (and their HEAD routes)
    expect(before).toBeGreaterThanOrEqual(2)

    const a = await app.inject('/a')
    expect(a.body).toBe('{"id":"m1","points":12}')
    expect(serializers.pending()).toBe(before - 1)
    expect((await app.inject('/a')).json()).toEqual({ id: 'm1', points: 12 })
    expect(serializers.pending()).toBe(before - 1)
    await app.close()
  })

  it('warm compiles the rest, and routes answer alike after it', async () => {
    const serializers = lazySerializers()
    const app = appWith(serializers)
    await app.ready()
    await serializers.warm()
    expect(serializers.pending()).toBe(0)
    expect((await app.inject('/b')).json()).toEqual({ id: 'm2', points: 3 })
    await app.close()
  })

  it('a route whose schema cannot be compiled fails when it answers, with a 500 and no crash', async () => {
    const serializers = lazySerializers()
    const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: serializers.buildSerializer } } })
    app.get('/broken', { schema: { response: { 200: { $ref: 'Missing#' } } } }, async () => ({}))
    await app.ready()
    expect((await app.inject('/broken')).statusCode).toBe(500)
    // warm() goes on past it and says so at the end.
    await expect(serializers.warm()).rejects.toThrow(/did not compile/)
    await app.close()
  })

  it('compiles a route with the shared schemas it refers to, through one another, and none else', async () => {
    const external = {
      Member: { $id: 'Member', type: 'object', properties: { id: { type: 'string' }, tier: { $ref: 'Tier#' } } },
      Tier: { $id: 'Tier', type: 'object', properties: { code: { type: 'string' }, next: { $ref: 'Tier#/properties/code' } } },
      Coupon: { $id: 'Coupon', type: 'object', properties: { code: { type: 'string' } } },
    }
    const route = { type: 'object', properties: { items: { type: 'array', items: { $ref: 'Member#' } }, self: { $ref: '#/properties/items' } } }
    expect(Object.keys(referencedSchemas(route, external)).sort()).toEqual(['Member', 'Tier'])
    expect(referencedSchemas({ $ref: 'Unknown#' }, external)).toEqual({})
    expect(referencedSchemas(route, undefined)).toEqual({})

    const serializers = lazySerializers()
    const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: serializers.buildSerializer } } })
    for (const schema of Object.values(external)) app.addSchema(schema)
    app.get('/member', { schema: { response: { 200: { $ref: 'Member#' } } } }, async () => ({ id: 'm1', tier: { code: 'gold', next: 7, extra: 1 }, secret: 'x' }))
    await app.ready()
    expect((await app.inject('/member')).body).toBe('{"id":"m1","tier":{"code":"gold","next":"7"}}')
    await app.close()
  })
})
