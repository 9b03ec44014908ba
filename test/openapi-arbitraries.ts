import fc from 'fast-check'

/**
 * fast-check arbitraries for the requests of an OpenAPI 3 document: values that follow a
 * schema (so a request gets past validation into the service) and malformed ones (wrong types,
 * NUL bytes, huge numbers, leap seconds, long strings, deep or huge arrays, unknown fields).
 */

export interface JsonSchema {
  $ref?: string
  type?: string | string[]
  nullable?: boolean
  enum?: unknown[]
  const?: unknown
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number | boolean
  exclusiveMaximum?: number | boolean
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
}

export interface Parameter { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: JsonSchema }
export interface Operation {
  method: string
  /** the OpenAPI path, e.g. /api/v1/members/{id} */
  path: string
  parameters: Parameter[]
  /** content type → schema of the request body, when the operation declares one */
  body: Record<string, JsonSchema>
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>
  components?: { schemas?: Record<string, JsonSchema> }
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete']

export const operationsOf = (doc: OpenApiDocument): Operation[] =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: Object.fromEntries(Object.entries(op.requestBody?.content ?? {}).map(([type, c]) => [type, c.schema ?? {}])),
    })))

/** Resolves `#/components/schemas/X` references against the document. */
export const dereferencer = (doc: OpenApiDocument) => (schema: JsonSchema): JsonSchema => {
  let s = schema
  for (let i = 0; s.$ref && i < 10; i++) s = doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {}
  return s
}

const deepArray = (depth: number): unknown => {
  let v: unknown = []
  for (let i = 0; i < depth; i++) v = [v]
  return v
}

/** Values no schema expects; each has broken something somewhere. */
export const NASTY_VALUES: readonly unknown[] = [
  null, true, false, 0, -0, -1, 0.5, 1e308, -1e308, 2 ** 53, 2 ** 64, -(2 ** 63),
  'Infinity', '-Infinity', 'NaN', '1e308', '-0', '0x1F', '', ' ', 'null', 'true',
  '\u0000', 'a\u0000b', '\u0000'.repeat(3), 'x'.repeat(5000), '中'.repeat(5000), '%ZZ', '%00', '%',
  '2026-12-31T23:59:60Z', '2026-02-30', '2026-02-30T10:00:00Z', '9999-12-31T23:59:59Z', '0000-00-00', '+275760-09-13T00:00:00Z',
  '../../../etc/passwd', "' OR '1'='1", '\uD800', '😀👍', '\u202E', '<script>alert(1)</script>', '=HYPERLINK("x")',
  'mem_00000000000000000000000000', 'a'.repeat(65),
  [], [null], [[]], {}, { a: { b: { c: { d: {} } } } }, deepArray(200), new Array(5000).fill(0), new Array(2000).fill('x'.repeat(100)),
]

/** Raw bodies that are not the JSON they claim, or not JSON at all. */
export const RAW_BODIES: ReadonlyArray<{ contentType?: string; payload: string | Buffer }> = [
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: '{' },
  { contentType: 'application/json', payload: 'null' },
  { contentType: 'application/json', payload: '"text"' },
  { contentType: 'application/json', payload: '[]' },
  { contentType: 'application/json', payload: '{"a":1e400}' },
  { contentType: 'application/json', payload: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' },
  { contentType: 'application/json', payload: '['.repeat(10_000) + ']'.repeat(10_000) },
  { contentType: 'application/json', payload: '{"x":"\\u0000"}' },
  { contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { contentType: 'application/json; charset=utf-16', payload: '{}' },
  { contentType: 'text/plain', payload: 'hello' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'a=b&c=%ZZ' },
  { contentType: 'multipart/form-data', payload: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc' },
  { contentType: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nphone\n138' },
  { contentType: 'multipart/form-data; boundary=x', payload: '--x--\r\n' },
  { contentType: 'image/png', payload: Buffer.from('not a picture') },
  { contentType: 'application/json', payload: JSON.stringify({ big: 'x'.repeat(3 * 1024 * 1024) }) },
  { payload: '' },
]

// A string field with a name like these holds a date or an instant, whatever its schema says:
// it gets real ones and the ones Date mishandles.
const DATE_FIELD = /(At|From|To|Date|date|birthday|Birthday|On|from|to|month)$/
const DATE_LIKE = [
  '2026-03-01', '2026-03-01T00:00:00Z', '2026-03-01T08:00:00+08:00', '2026-03-01T00:00:00', '2026-12-31T23:59:60Z', '2026-02-30',
  '2026-02-30T00:00:00Z', '2026-13-01', '1970-01-01T00:00:00.000Z', '0000-01-01', '9999-12-31', '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z', '2026-03', '03-01', '2026-W09',
]
const instant = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString())

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n))
const lowOf = (s: JsonSchema, fallback: number) =>
  typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : s.minimum ?? fallback
const highOf = (s: JsonSchema, fallback: number) =>
  typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : s.maximum ?? fallback

export interface Arbitraries {
  /** a value that follows the schema (as far as patterns allow) */
  valid(schema: JsonSchema | undefined, field?: string): fc.Arbitrary<unknown>
  /** a value that follows the schema except at one place: a nasty value, an unknown field or a missing one */
  malformed(schema: JsonSchema | undefined): fc.Arbitrary<unknown>
}

/**
 * `ids` are real ids (and keys, codes) of the database, so schema-valid requests reach real
 * entities; any string field may get one.
 */
export const arbitraries = (doc: OpenApiDocument, ids: readonly string[], idsByField: Readonly<Record<string, readonly string[]>> = {}): Arbitraries => {
  const deref = dereferencer(doc)
  const idArb = ids.length > 0 ? fc.constantFrom(...ids) : fc.constant('x')
  // `storeIds` holds what `storeId` does.
  const idsFor = (field: string | undefined) => (field ? idsByField[field] ?? idsByField[field.replace(/s$/, '')] : undefined)

  const valid = (raw: JsonSchema | undefined, depth = 0, field?: string): fc.Arbitrary<unknown> => {
    if (!raw) return fc.constant(undefined)
    const s = deref(raw)
    if (s.nullable) return fc.oneof(fc.constant(null), valid({ ...s, nullable: false }, depth, field))
    if ('const' in s) return fc.constant(s.const)
    if (s.enum) return fc.constantFrom(...s.enum)
    const union = s.anyOf ?? s.oneOf
    if (union) return fc.oneof(...union.map((u) => valid(u, depth + 1, field)))
    if (s.allOf) return valid(s.allOf[0], depth + 1, field)
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string']
    const type = types.find((t) => t !== 'null') ?? 'null'
    switch (type) {
      case 'null': return fc.constant(null)
      case 'boolean': return fc.boolean()
      case 'integer': {
        const lo = Math.ceil(clamp(lowOf(s, -1_000_000), -1e12, 1e12))
        const hi = Math.floor(clamp(highOf(s, 1_000_000), lo, 1e12))
        return fc.oneof(fc.integer({ min: clamp(0, lo, hi), max: clamp(1000, lo, hi) }), fc.constant(lo), fc.constant(hi), fc.double({ min: lo, max: hi, noNaN: true }).map(Math.floor))
      }
      case 'number': {
        const lo = clamp(lowOf(s, -1e6), -1e12, 1e12)
        const hi = clamp(highOf(s, 1e6), lo, 1e12)
        return fc.oneof(fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: Math.ceil(clamp(0, lo, hi)), max: Math.floor(clamp(1000, lo, hi)) }))
      }
      case 'array': {
        const min = s.minItems ?? 0
        return fc.array(valid(s.items, depth + 1, field), { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 3, depth > 2 ? 1 : 3)) })
      }
      case 'object': {
        const props = s.properties ?? {}
        if (Object.keys(props).length === 0) {
          if (s.additionalProperties && typeof s.additionalProperties === 'object') {
            return fc.dictionary(fc.oneof(idArb, fc.string({ maxLength: 8 })), valid(s.additionalProperties, depth + 1), { maxKeys: 3 })
          }
          return fc.constant({})
        }
        return fc.record(Object.fromEntries(Object.entries(props).map(([k, p]) => [k, valid(p, depth + 1, k)])), { requiredKeys: (s.required ?? []).filter((k) => k in props) })
      }
      default: {
        // RFC 3339 allows a leap second and a lower-case t or a space; Date does not take them all.
        if (s.format === 'date-time') return fc.oneof({ weight: 3, arbitrary: instant }, { weight: 1, arbitrary: fc.constantFrom('2026-12-31T23:59:60Z', '2026-06-30T23:59:60+00:00', '2026-03-01t08:00:00z', '2026-03-01 08:00:00Z') })
        if (s.format === 'date') return fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
        const min = s.minLength ?? 0
        const max = Math.max(min, Math.min(s.maxLength ?? 24, 24))
        if (!s.pattern && field && DATE_FIELD.test(field)) return fc.oneof(fc.constantFrom(...DATE_LIKE), instant, instant.map((v) => v.slice(0, 10)))
        const known = idsFor(field)
        if (known && known.length > 0) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: idArb })
        if (s.pattern) {
          let re: RegExp | null
          try { re = new RegExp(s.pattern) } catch { re = null }
          if (re) return fc.stringMatching(re).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity))
        }
        const text = fc.string({ minLength: min, maxLength: max, unit: 'grapheme' })
        return fc.oneof(idArb.filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity)), text)
      }
    }
  }

  const nasty = fc.constantFrom(...NASTY_VALUES)

  /** Every place in a JSON value, as a path of keys and indexes ([] is the value itself). */
  const placesOf = (value: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []) => {
    out.push(at)
    if (Array.isArray(value)) value.forEach((v, i) => placesOf(v, [...at, i], out))
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) placesOf(v, [...at, k], out)
    return out
  }
  const setAt = (value: unknown, path: Array<string | number>, next: unknown): unknown => {
    if (path.length === 0) return next
    const [head, ...rest] = path
    if (Array.isArray(value)) return value.map((v, i) => (i === head ? setAt(v, rest, next) : v))
    return { ...(value as Record<string, unknown>), [head!]: setAt((value as Record<string, unknown>)[head!], rest, next) }
  }
  const dropAt = (value: unknown, path: Array<string | number>): unknown => {
    if (path.length === 0) return value
    if (path.length === 1 && value && typeof value === 'object' && !Array.isArray(value)) {
      const { [path[0]!]: _gone, ...rest } = value as Record<string, unknown>
      return rest
    }
    const [head, ...rest] = path
    if (Array.isArray(value)) return value.map((v, i) => (i === head ? dropAt(v, rest) : v))
    if (value && typeof value === 'object') return { ...(value as Record<string, unknown>), [head!]: dropAt((value as Record<string, unknown>)[head!], rest) }
    return value
  }

  const malformed = (schema: JsonSchema | undefined): fc.Arbitrary<unknown> =>
    fc.tuple(valid(schema ?? {}), nasty, fc.nat(), fc.constantFrom('replace', 'replace', 'replace', 'unknown-field', 'drop')).map(([value, bad, n, how]) => {
      const places = placesOf(value)
      const place = places[n % places.length]!
      if (how === 'replace') return setAt(value, place, bad)
      if (how === 'drop') return place.length === 0 ? undefined : dropAt(value, place)
      const objects = places.filter((p) => {
        let v: unknown = value
        for (const k of p) v = (v as Record<string | number, unknown>)[k]
        return v !== null && typeof v === 'object' && !Array.isArray(v)
      })
      if (objects.length === 0) return setAt(value, place, bad)
      const target = objects[n % objects.length]!
      return setAt(value, [...target, 'zz_unknown'], bad)
    })

  return { valid: (s, field) => valid(s, 0, field), malformed }
}
