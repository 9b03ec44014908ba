import type { Plugin } from 'ajv'
import formatsModule, { type FormatsPlugin } from 'ajv-formats'
import type { FastifyInstance, RouteOptions } from 'fastify'

// A CommonJS module: Node hands its module.exports as the default, TypeScript expects `.default`.
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as unknown as FormatsPlugin

/**
 * The range a number gets when its schema names none. 1e308, `"Infinity"` (coerced from a query)
 * or 2^64 are then a 400 at the door, not a NaN in a sum, a serialiser's throw or an overflow in
 * the database. Schemas that know better state their own bounds; this is only the floor.
 */
export const DEFAULT_BOUNDS = {
  integer: { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
  number: { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
} as const

/**
 * Ajv coerces the query string "Infinity" to a number and then skips `maximum` for it (its range
 * keywords only look at finite numbers), so the bounds alone let it through: this keyword refuses it.
 */
export const FINITE = 'x-finite'

type Schema = Record<string, unknown>
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)

const typesOf = (schema: Schema): string[] => (Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [])

const SUBSCHEMA_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'additionalItems'] as const
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'] as const

/**
 * Gives every `number`/`integer` in `schema` without a lower or upper bound the default one,
 * in place (route schemas are built once at start, and the OpenAPI document then shows the
 * range the server enforces). Returns the schema.
 */
export const boundNumbers = <T>(value: T, seen = new WeakSet<object>()): T => {
  const schema: unknown = value
  if (!isObject(schema) || seen.has(schema)) return value
  seen.add(schema)
  const types = typesOf(schema)
  const kind = types.includes('number') ? 'number' : types.includes('integer') ? 'integer' : null
  if (kind) {
    const bounds = DEFAULT_BOUNDS[kind]
    if (schema.minimum === undefined && schema.exclusiveMinimum === undefined) schema.minimum = bounds.minimum
    if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) schema.maximum = bounds.maximum
    schema[FINITE] = true
  }
  for (const key of SUBSCHEMA_KEYS) {
    const sub = schema[key]
    if (Array.isArray(sub)) sub.forEach((s) => boundNumbers(s, seen))
    else boundNumbers(sub, seen)
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key]
    if (Array.isArray(list)) list.forEach((s) => boundNumbers(s, seen))
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key]
    if (isObject(map)) Object.values(map).forEach((s) => boundNumbers(s, seen))
  }
  return value
}

/** Bounds the numbers of every route's request schemas (body, query, params, headers) as it is added. */
export const registerSchemaBounds = (app: FastifyInstance) => {
  const seen = new WeakSet<object>()
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as Schema | undefined
    if (!schema) return
    for (const part of ['body', 'querystring', 'params', 'headers'] as const) boundNumbers(schema[part], seen)
  })
}

type Ajv = Parameters<FormatsPlugin>[0]
type FormatCheck = { validate: (value: string) => boolean }
const representable = (value: string) => !Number.isNaN(Date.parse(value))

/**
 * The standard formats and the finite-number keyword, with `date-time` and `date` narrowed to what JavaScript's Date holds:
 * RFC 3339 allows a leap second (`23:59:60Z`), which Date cannot represent, so it passed the
 * schema and then threw in the service. Named `formatsPlugin` on purpose: Fastify's compiler
 * then adds no formats of its own after this one (which would put the loose ones back).
 */
interface FiniteCheck {
  (schema: boolean, data: unknown): boolean
  errors?: Array<{ keyword: string; message: string; params: Record<string, unknown> }>
}
const isFiniteNumber: FiniteCheck = (schema, data) => {
  if (!schema || typeof data !== 'number' || Number.isFinite(data)) return true
  isFiniteNumber.errors = [{ keyword: FINITE, message: 'must be a finite number', params: {} }]
  return false
}

export const formatsPlugin: Plugin<unknown> = Object.defineProperty((ajv: Ajv): Ajv => {
  addFormats(ajv)
  ajv.addKeyword({ keyword: FINITE, schemaType: 'boolean', errors: true, validate: isFiniteNumber })
  for (const name of ['date-time', 'date'] as const) {
    const standard = addFormats.get(name, 'full') as FormatCheck
    ajv.addFormat(name, { type: 'string', validate: (value: string) => standard.validate(value) && representable(value) })
  }
  return ajv
}, 'name', { value: 'formatsPlugin' })
