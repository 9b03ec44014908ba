import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoCoupons } from '../src/demo/demo-coupons.js'
import { seedDemoDraws } from '../src/demo/demo-draws.js'
import { seedDemoGifts } from '../src/demo/demo-gifts.js'
import { demoProducts, seedDemoProducts } from '../src/demo/demo-products.js'
import { seedDemoRebates } from '../src/demo/demo-rebates.js'
import { createTestContext, type TestContext } from './context.js'
import { sale } from './receipts.js'
import { arbitraries, operationsOf, RAW_BODIES, type Arbitraries, type JsonSchema, type Operation } from './openapi-arbitraries.js'

/*
 * Walks every operation of the OpenAPI document with generated requests, malformed and
 * schema-valid, signed in as the HQ administrator (and, fewer, as a cashier and as a till's POS
 * key), and asserts:
 * no 5xx, every 4xx in the one error shape, and a 4xx changed nothing (every table's row
 * count is the same before and after). Fixed seed and a bounded number of runs, so a failure
 * is the same failure every time and the file stays within a minute or two per engine.
 */

const SEED = 20261204
const RUNS = { malformed: 12, valid: 6, cashier: 3, till: 2 }
// Bodies every operation that takes one is sent once, besides the generated ones: no boundary,
// a multipart cut short, an empty JSON body and a number JSON.parse turns into Infinity.
const EVERY_OPERATION_BODIES = [0, 5, 13, 14]

// Operations that would end the signed-in session the walk runs on.
const SKIP = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/me/auth/logout', 'POST /api/v1/me/auth/logout-everywhere'])
// Tables a refused request may write by design: failed sign-ins are counted for the throttle
// and audited, and member lookups are counted per actor whether or not they find anyone.
const MAY_CHANGE_ON_REFUSAL: Record<string, string[]> = {
  '*': ['login_throttle', 'member_lookup_counts'],
  'POST /api/v1/auth/login': ['audit_log'],
  // Too many lookups, or too many that found nobody, are refused and written to the audit log (an alert).
  'POST /api/v1/members/lookup': ['audit_log'],
  'POST /api/v1/members/name-search': ['audit_log'],
  'POST /api/v1/pos/quote': ['audit_log'],
  // A wrong sign-in code is counted against the code it was tried on (five and it is dead).
  'POST /api/v1/me/auth/login': ['member_login_codes'],
  'POST /api/v1/me/auth/register': ['member_login_codes'],
}

// A 5,000-character id, raw `%ZZ` and NUL in the path reach the router as well as the handler.
const PATH_VALUES = ['\u0000', 'a\u0000b', 'x'.repeat(5000), '%ZZ', '..', '%2e%2e', ' ', '中文', '-1', '1e308', 'Infinity', '2026-12-31T23:59:60Z']
const RAW = '\u0001raw:'
const b64 = (text: string) => Buffer.from(text).toString('base64url')
// Cursors a client could forge: the pages encode (time|id) or an id, in base64url or plain.
const CURSORS = [
  '%00', RAW + '%ZZ', b64('{"x":"\u0000"}'), b64('garbage|mem_x'), b64('2026-12-31T23:59:60Z|x'), b64('\u0000|\u0000'),
  b64('1e308|1'), b64('|||'), b64('2026-02-30T00:00:00Z|rct_x'), b64('x'.repeat(150)), '////', 'zz_~',
]

let t: TestContext
let arb: Arbitraries
let operations: Operation[] = []
let tables: string[] = []
let ids: string[] = []
let idsByField: Record<string, string[]> = {}
type Who = 'admin' | 'cashier' | 'till' | 'member'
// The admin and the cashier sign in (a cookie); a till sends its POS key; a member signs in on their page.
const headersOf: Record<Who, Record<string, string>> = { admin: {}, cashier: {}, till: {}, member: {} }
const isMemberRoute = (path: string) => path === '/api/v1/me' || path.startsWith('/api/v1/me/')
const MEMBER_PHONE = '13600009999'

/** A member's cookie, signed in with the code the sandbox's message log holds. */
const memberCookie = async (): Promise<Record<string, string>> => {
  t.clock.advance(61_000)
  await t.services.portalAuth.requestCode({ phone: MEMBER_PHONE, ip: null })
  const sms = await t.services.db.selectFrom('messages').select('body').where('channel', '=', 'sms').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  const { token } = await t.services.portalAuth.login({ phone: MEMBER_PHONE, code: /(\d{6})/.exec(sms.body)![1]!, ip: null, userAgent: null })
  return { cookie: `patron_member=${token}` }
}

const timing = { digest: 0, inject: 0 }
const digest = async (): Promise<Record<string, number>> => {
  const started = performance.now()
  try {
    return await countRows()
  } finally {
    timing.digest += performance.now() - started
  }
}
const countRows = async (): Promise<Record<string, number>> => {
  const select = tables.map((name) => `(select count(*) from "${name}") as "${name}"`).join(', ')
  const row = (await sql.raw<Record<string, unknown>>(`select ${select}`).execute(t.services.db)).rows[0]!
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))
}

const encode = (v: unknown): string => {
  if (typeof v === 'string' && v.startsWith(RAW)) return v.slice(RAW.length)
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? ''
  try {
    return encodeURIComponent(text)
  } catch {
    // A lone surrogate has no UTF-8: send the bytes Node would, percent-encoded.
    return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
  }
}

interface Case {
  pathParams: Record<string, unknown>
  query: Array<[string, unknown]>
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; index: number } | { kind: 'none' }
}

const urlOf = (op: Operation, c: Case) => {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encode(c.pathParams[name] ?? 'x'))
  const query = c.query.filter(([, v]) => v !== undefined).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}=${encode(x)}`) : [`${k}=${encode(v)}`]))
  return query.length ? `${path}?${query.join('&')}` : path
}

const pathParamArb = (known: string[]) => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...known) },
  { weight: 2, arbitrary: fc.constantFrom(...PATH_VALUES.map((v) => (v.startsWith('%') ? RAW + v : v))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }) },
)

const caseArb = (op: Operation, mode: 'valid' | 'malformed'): fc.Arbitrary<Case> => {
  const pathParams = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => {
    const known = idsForPath(op, p.name)
    const real = p.schema?.enum ? arb.valid(p.schema) : fc.constantFrom(...known)
    return [p.name, mode === 'valid' ? real : fc.oneof(real, pathParamArb(known))]
  }))
  const queryParams = op.parameters.filter((p) => p.in === 'query')
  const jsonSchema = op.body['application/json'] as JsonSchema | undefined
  const queryArb = fc.tuple(...queryParams.map((p) => fc.option(mode === 'valid' ? arb.valid(p.schema, p.name) : fc.oneof(arb.valid(p.schema, p.name), arb.malformed(p.schema)), { nil: undefined }).map((v) => [p.name, v] as [string, unknown])))
    .chain((pairs) => (mode === 'valid' ? fc.constant(pairs) : fc.option(fc.constantFrom<[string, unknown]>(['zz_unknown', '1'], ['limit', RAW + '%ZZ'], ...CURSORS.map((c): [string, unknown] => ['cursor', c]))).map((extra) => (extra ? [...pairs, extra] : pairs))))
  const bodyArb: fc.Arbitrary<Case['body']> = mode === 'valid'
    ? (jsonSchema ? arb.valid(jsonSchema).map((value) => ({ kind: 'json' as const, value })) : fc.constant({ kind: 'none' as const }))
    : fc.oneof(
      { weight: jsonSchema ? 6 : 0, arbitrary: arb.malformed(jsonSchema).map((value) => ({ kind: 'json' as const, value })) },
      { weight: jsonSchema ? 2 : 1, arbitrary: fc.nat({ max: RAW_BODIES.length - 1 }).map((index) => ({ kind: 'raw' as const, index })) },
      { weight: jsonSchema ? 0 : 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    )
  return fc.record({ pathParams: fc.record(pathParams), query: queryArb, body: bodyArb })
}

const isErrorShape = (body: unknown): boolean => {
  const e = (body as { error?: Record<string, unknown> } | null)?.error
  return !!e && typeof e.code === 'string' && e.code.length > 0 && typeof e.message === 'string' && Array.isArray(e.details) &&
    (e.details as unknown[]).every((d) => !!d && typeof (d as Record<string, unknown>).field === 'string' && typeof (d as Record<string, unknown>).reason === 'string')
}

const clip = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)
  return s.length > 160 ? `${s.slice(0, 160)}…(${s.length})` : s
}

const codesSeen = new Set<string>()
const stats: Record<string, number> = {}
const perOp: Record<string, string> = {}
afterAll(() => { if (process.env.PATRON_FUZZ_STATS) console.log(JSON.stringify(stats), JSON.stringify(timing), '\n', Object.entries(perOp).map(([k, v]) => `${k}:${v}`).join('\n')) })

/** Sends the cases of one operation; returns what broke the rules, one line per problem. */
const walk = async (op: Operation, cases: Case[], who: Who): Promise<string[]> => {
  const problems: string[] = []
  let before = await digest()
  for (const c of cases) {
    const url = urlOf(op, c)
    const headers: Record<string, string> = { ...headersOf[who] }
    let payload: string | Buffer | undefined
    if (c.body.kind === 'json') {
      headers['content-type'] = 'application/json'
      payload = c.body.value === undefined ? '' : JSON.stringify(c.body.value)
    } else if (c.body.kind === 'raw') {
      const raw = RAW_BODIES[c.body.index]!
      if (raw.contentType) headers['content-type'] = raw.contentType
      payload = raw.payload
    }
    const sent = performance.now()
    const res = await t.app.inject({ method: op.method as 'GET', url, headers, ...(payload !== undefined && op.method !== 'GET' ? { payload } : {}) })
    timing.inject += performance.now() - sent
    if (process.env.PATRON_FUZZ_STATS) {
      stats[`${res.statusCode}`] = (stats[`${res.statusCode}`] ?? 0) + 1
      const key = `${op.method} ${op.path}`
      perOp[key] = `${perOp[key] ?? ''} ${res.statusCode}${res.statusCode >= 400 ? `:${(() => { try { return res.json().error.code } catch { return '?' } })()}` : ''}`
    }
    const what = `${op.method} ${clip(url)} ${c.body.kind === 'json' ? clip(c.body.value) : c.body.kind === 'raw' ? `raw#${c.body.index}` : ''}`
    if (res.statusCode >= 500) problems.push(`${res.statusCode} ${clip(res.body)} ← ${what}`)
    if (res.statusCode < 300) {
      await t.services.events.drain()
      await t.drainJobs()
    }
    const after = await digest()
    if (res.statusCode >= 400 && res.statusCode < 500) {
      let body: unknown
      try { body = res.json() } catch { body = null }
      if (isErrorShape(body)) codesSeen.add((body as { error: { code: string } }).error.code)
      if (!isErrorShape(body)) problems.push(`${res.statusCode} not in the error shape: ${clip(res.body)} ← ${what}`)
      const allowed = [...MAY_CHANGE_ON_REFUSAL['*']!, ...(MAY_CHANGE_ON_REFUSAL[`${op.method} ${op.path}`] ?? [])]
      const changed = Object.keys(after).filter((k) => after[k] !== before[k] && !allowed.includes(k))
      if (changed.length) problems.push(`${res.statusCode} changed ${changed.join(', ')} ← ${what}`)
    }
    // A session a request ended is opened again; what that writes is not the next request's.
    if (res.statusCode === 401 && who === 'admin' && op.path !== '/api/v1/auth/login') {
      headersOf.admin = { cookie: await t.login(t.users.hq_admin!.username) }
      before = await digest()
    } else if (res.statusCode === 401 && who === 'member' && !op.path.startsWith('/api/v1/me/auth/')) {
      headersOf.member = await memberCookie()
      before = await digest()
    } else before = after
  }
  return problems
}

/**
 * Real ids (and keys, codes, SKUs) from every list the API offers, by the field that held them
 * (`memberId`, `storeId`, …) and by the list they came from (`/api/v1/members` → its ids), so a
 * path parameter or a body field gets an id of the right kind.
 */
const harvestIds = async (): Promise<{ all: string[]; byField: Record<string, string[]> }> => {
  const found = new Set<string>()
  const byField: Record<string, Set<string>> = {}
  const own = new Set(Object.values(t.users).map((u) => u.id))
  const add = (field: string, v: string) => (byField[field] ??= new Set()).add(v)
  const collect = (v: unknown, list: string, key = '', depth = 0) => {
    if (Array.isArray(v)) v.forEach((x) => collect(x, list, key, depth))
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => collect(x, list, k, depth + 1))
    else if (typeof v === 'string' && /^(id|key|ruleKey|code|sku|barcode|cardNo|[a-z]+Id)$/.test(key) && v.length <= 64 && !own.has(v)) {
      found.add(v)
      add(key, v)
      // The list's own items: an id or key at the first level of an item.
      if (depth <= 2 && (key === 'id' || key === 'ruleKey' || key === 'key')) add(list, v)
    }
  }
  for (const op of operations.filter((o) => o.method === 'GET' && !o.parameters.some((p) => p.in === 'path'))) {
    const url = op.parameters.some((p) => p.name === 'limit') ? `${op.path}?limit=50` : op.path
    const res = await t.app.inject({ method: 'GET', url, headers: headersOf.admin })
    if (res.statusCode === 200 && String(res.headers['content-type']).includes('json')) collect(res.json(), op.path)
  }
  const sorted = (set: Set<string>) => [...set].sort().slice(0, 200)
  return { all: sorted(found), byField: Object.fromEntries(Object.entries(byField).map(([k, v]) => [k, sorted(v)])) }
}

/** Ids for a path parameter: those of the list the path goes under (/members/{id} → /members), else any. */
const idsForPath = (op: Operation, name: string): string[] => {
  const before = op.path.slice(0, op.path.indexOf(`{${name}}`)).replace(/\/$/, '')
  return idsByField[before] ?? idsByField[name] ?? ids
}

/** A little of everything, so schema-valid requests meet real members, receipts, coupons, gifts, draws and rebates. */
const seed = async () => {
  const { services, actors } = t
  const products = demoProducts({ seed: 3 }).slice(0, 20)
  await seedDemoProducts(services, actors.system, products)
  const members = [await t.given.member(), await t.given.member(), await t.given.member({ by: actors.cashierB })]
  for (const [i, m] of members.entries()) {
    await services.receipts.postSale(i === 2 ? actors.cashierB : actors.cashier, sale({ member: { id: m.id }, lines: [[products[i]!.sku, 2, 1250]] }))
  }
  await seedDemoCoupons(services, actors.system)
  await seedDemoGifts(services, actors.system)
  await seedDemoDraws(services, actors.system, { entries: 0 })
  await seedDemoRebates(services, actors.system)
}

beforeAll(async () => {
  t = await createTestContext()
  await seed()
  headersOf.admin = { cookie: await t.login(t.users.hq_admin!.username) }
  headersOf.cashier = { cookie: await t.login(t.users.cashier!.username) }
  headersOf.till = { authorization: `Bearer ${(await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: '1号收银台' })).key}` }
  await t.given.member({ phone: MEMBER_PHONE })
  headersOf.member = await memberCookie()
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
  operations = operationsOf(doc).filter((op) => !SKIP.has(`${op.method} ${op.path}`))
  tables = (await t.services.db.introspection.getTables()).map((x) => x.name).filter((n) => !n.startsWith('kysely_')).sort()
  ;({ all: ids, byField: idsByField } = await harvestIds())
  arb = arbitraries(doc, ids, idsByField)
}, 180_000)

afterAll(async () => {
  await t?.close()
})

describe('every operation of the OpenAPI document, with generated input', () => {
  it('finds the operations, the tables and real ids to aim at', () => {
    expect(operations.length).toBeGreaterThan(100)
    expect(tables).toContain('members')
    expect(ids.length).toBeGreaterThan(20)
  })

  it('answers no request with a 5xx, every 4xx in the error shape, and a 4xx changes nothing', async () => {
    const problems: string[] = []
    for (const [i, op] of operations.entries()) {
      const seed = SEED + i
      const valid = fc.sample(caseArb(op, 'valid'), { seed: seed + 1, numRuns: RUNS.valid })
      const cases = [
        ...fc.sample(caseArb(op, 'malformed'), { seed, numRuns: RUNS.malformed }),
        ...valid,
        ...(op.method === 'GET' ? [] : EVERY_OPERATION_BODIES.map((index): Case => ({ ...valid[0]!, body: { kind: 'raw', index } }))),
      ]
      problems.push(...await walk(op, cases, isMemberRoute(op.path) ? 'member' : 'admin'))
      problems.push(...(await walk(op, fc.sample(caseArb(op, 'malformed'), { seed: seed + 2, numRuns: RUNS.cashier }), 'cashier')).map((p) => `as cashier: ${p}`))
      problems.push(...(await walk(op, fc.sample(caseArb(op, 'valid'), { seed: seed + 3, numRuns: RUNS.till }), 'till')).map((p) => `as a till: ${p}`))
    }
    expect(problems).toEqual([])
  }, 600_000)

  it('met only error codes the console translates, in both languages', () => {
    const keysOf = (lang: string) => new Set([...readFileSync(`web/src/i18n/locales/${lang}/errors.ts`, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!))
    const zh = keysOf('zh-CN')
    const en = keysOf('en-US')
    expect(codesSeen.size).toBeGreaterThan(10)
    expect([...codesSeen].filter((c) => !zh.has(c) || !en.has(c)).sort()).toEqual([])
  })
})
