import { Type } from 'typebox'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { boundNumbers, DEFAULT_BOUNDS } from './schema-bounds.js'

describe('boundNumbers', () => {
  it('gives an unbounded number or integer the default range, wherever it sits', () => {
    const schema = boundNumbers(Type.Object({
      a: Type.Integer(),
      b: Type.Optional(Type.Union([Type.Null(), Type.Number()])),
      c: Type.Array(Type.Object({ d: Type.Integer() })),
    }))
    expect(schema.properties.a).toMatchObject(DEFAULT_BOUNDS.integer)
    expect(schema.properties.b.anyOf[1]).toMatchObject(DEFAULT_BOUNDS.number)
    expect(schema.properties.c.items.properties.d).toMatchObject(DEFAULT_BOUNDS.integer)
  })

  it('keeps the bounds a schema states, and adds only the missing side', () => {
    const schema = boundNumbers(Type.Object({
      limit: Type.Integer({ minimum: 1, maximum: 200 }),
      amount: Type.Integer({ minimum: 0 }),
      share: Type.Number({ exclusiveMaximum: 1 }),
    }))
    expect(schema.properties.limit).toMatchObject({ minimum: 1, maximum: 200 })
    expect(schema.properties.amount).toMatchObject({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
    expect(schema.properties.share).toMatchObject({ exclusiveMaximum: 1, minimum: -Number.MAX_SAFE_INTEGER })
    expect(schema.properties.share).not.toHaveProperty('maximum')
  })

  it('leaves strings and booleans alone', () => {
    const schema = boundNumbers(Type.Object({ s: Type.String(), f: Type.Boolean() }))
    expect(schema.properties.s).not.toHaveProperty('minimum')
    expect(schema.properties.f).not.toHaveProperty('maximum')
  })
})

describe('numbers and times at the door', () => {
  const context = useTestContext()
  let t: TestContext
  let cookie: string
  beforeAll(async () => {
    t = await context()
    cookie = await t.login(t.users.hq_admin!.username)
  })

  it.each([
    ['1e308', 1e308],
    ['2^64', 2 ** 64],
    ['the string "Infinity"', 'Infinity'],
    ['the string "-1e400"', '-1e400'],
  ])('refuses %s as a point adjustment with 400 VALIDATION and leaves the balance alone', async (_label, points) => {
    const member = await t.given.member()
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/members/${member.id}/points/adjustments`, headers: { cookie }, payload: { points, reason: 'goodwill' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', details: [expect.objectContaining({ field: 'points' })] })
    expect((await t.services.loyalty.points(t.actors.hq_admin, member.id)).balance).toBe(0)
  })

  it('refuses "Infinity" as a rule factor before it reaches the rule validator', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/loyalty/rules', headers: { cookie },
      payload: { name: 'x', definition: { kind: 'birthday', factor: 'Infinity' }, validFrom: '2026-03-01T00:00:00Z' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'definition.factor' }))
  })

  it('states the range in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const body = doc.paths['/api/v1/members/{id}/points/adjustments'].post.requestBody.content['application/json'].schema
    expect(body.properties.points).toMatchObject(DEFAULT_BOUNDS.integer)
  })

  it.each([
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['the 30th of February', '2026-02-30T10:00:00Z'],
    ['hour 24', '2026-03-01T24:00:00Z'],
  ])('refuses %s as a date-time with 400 VALIDATION', async (_label, at) => {
    const query = await t.app.inject({ method: 'GET', url: `/api/v1/members?registeredFrom=${encodeURIComponent(at)}`, headers: { cookie } })
    expect(query.statusCode).toBe(400)
    expect(query.json().error).toMatchObject({ code: 'VALIDATION', details: [expect.objectContaining({ field: 'registeredFrom' })] })
    const body = await t.app.inject({
      method: 'POST', url: '/api/v1/loyalty/earn-test', headers: { cookie },
      payload: { storeId: t.stores.a, businessAt: at, lines: [{ amount: 100 }] },
    })
    expect(body.statusCode).toBe(400)
    expect(body.json().error.details).toContainEqual(expect.objectContaining({ field: 'businessAt' }))
  })

  it('takes an ordinary date-time, with an offset', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/members?registeredFrom=${encodeURIComponent('2026-03-01T08:00:00+08:00')}`, headers: { cookie } })
    expect(res.statusCode).toBe(200)
  })

  it('refuses a date JavaScript cannot hold and takes a real one', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/receipts?from=2026-02-30', headers: { cookie } })
    expect(bad.statusCode).toBe(400)
    const good = await t.app.inject({ method: 'GET', url: '/api/v1/receipts?from=2026-02-28', headers: { cookie } })
    expect(good.statusCode).toBe(200)
  })
})
