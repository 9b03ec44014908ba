import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { lazySerializers } from './lazy-serializers.js'

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
})
