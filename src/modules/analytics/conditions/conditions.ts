import { CHANNELS, CONSENT_CHANNELS, EDUCATIONS, GENDERS, INCOME_BANDS, OCCUPATIONS } from '../../members/index.js'
import { unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { LEVELS, LIFECYCLE_STAGES, QUADRANTS, RFM_CLASSES } from '../insight/insight.table.js'
import { CHOICE_FIELDS, NUMBER_FIELDS, type ChoiceField, type Condition, type Leaf, type NumberField } from './condition.js'

/** The age bands the refresh writes (member_insight.age_band). */
export const AGE_BANDS = ['<18', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const

/** The values a choice field may take; fields not listed take ids or free text (stores, tiers, districts, departments). */
export const CHOICE_VALUES: Partial<Record<ChoiceField, readonly string[]>> = {
  gender: GENDERS,
  age_band: AGE_BANDS,
  income_band: INCOME_BANDS,
  occupation: OCCUPATIONS,
  education: EDUCATIONS,
  registration_channel: CHANNELS,
  rfm_class: RFM_CLASSES,
  quadrant: QUADRANTS,
  frequency_class: LEVELS,
  amount_class: LEVELS,
  lifecycle: LIFECYCLE_STAGES,
}

/** Fields whose figures are whole numbers (fen, days, points, ‰, scores); interval_days is a mean. */
const FRACTIONAL_FIELDS = new Set<NumberField>(['interval_days'])

export const LIMITS = {
  /** groups and leaves nested deeper than this are refused (the root is level 1) */
  depth: 6,
  leaves: 50,
  minDays: 1,
  maxDays: 3650,
  /** values in one leaf's list */
  values: 1000,
  /** characters of one value */
  valueLength: 200,
} as const

const NUMBER_OPS = ['eq', 'gte', 'lte', 'gt', 'lt', 'between'] as const
const LEAF_OPS: Record<string, readonly string[]> = {
  consent: ['granted', 'not_granted'],
  bought: ['department', 'category', 'brand', 'sku'],
  shopped_at: ['in'],
  tag: ['has', 'lacks'],
  coupon: ['holds', 'used'],
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Validates a condition tree from the wire and returns it normalised (values trimmed and
 * deduplicated, no stray keys). Every problem is reported at once with its path, e.g.
 * `definition.all[1].op`; `root` names the field the tree was sent in (`definition`, `rule`).
 * Unknown tag, store, tier and template ids are left to the service (see `referencedIds`).
 */
export const parseCondition = (input: unknown, root = 'definition'): Condition => {
  const details: ErrorDetail[] = []
  const fail = (field: string, reason: string) => { if (details.length < 50) details.push({ field, reason }) }
  let leaves = 0

  const days = (v: unknown, path: string): number | undefined => {
    if (typeof v !== 'number' || !Number.isInteger(v)) { fail(path, 'must be a whole number of days'); return undefined }
    if (v < LIMITS.minDays || v > LIMITS.maxDays) { fail(path, `must be between ${LIMITS.minDays} and ${LIMITS.maxDays} days`); return undefined }
    return v
  }

  const strings = (v: unknown, path: string, allowed?: readonly string[]): string[] => {
    if (!Array.isArray(v)) { fail(path, 'must be a list of values'); return [] }
    if (v.length === 0) { fail(path, 'must name at least one value'); return [] }
    if (v.length > LIMITS.values) { fail(path, `at most ${LIMITS.values} values`); return [] }
    const out: string[] = []
    v.forEach((item, i) => {
      if (typeof item !== 'string' || item.trim() === '') { fail(`${path}[${i}]`, 'must be a non-empty text'); return }
      const s = item.trim()
      if (s.length > LIMITS.valueLength) { fail(`${path}[${i}]`, `at most ${LIMITS.valueLength} characters`); return }
      if (allowed && !allowed.includes(s)) { fail(`${path}[${i}]`, `unknown value "${s}"; expected one of ${allowed.join(', ')}`); return }
      if (!out.includes(s)) out.push(s)
    })
    return out
  }

  const onlyKeys = (o: Record<string, unknown>, keys: readonly string[], path: string) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${path}.${k}`, 'unknown key')
  }

  const leaf = (o: Record<string, unknown>, path: string): Leaf | null => {
    leaves++
    const field = o.field
    const op = o.op
    if (typeof field !== 'string') { fail(`${path}.field`, 'is required'); return null }
    const isNumber = (NUMBER_FIELDS as readonly string[]).includes(field)
    const isChoice = (CHOICE_FIELDS as readonly string[]).includes(field)
    if (!isNumber && !isChoice && !(field in LEAF_OPS)) { fail(`${path}.field`, `unknown field "${field}"`); return null }
    const ops: readonly string[] = isNumber ? NUMBER_OPS : isChoice ? ['in', 'not_in'] : LEAF_OPS[field]!
    if (typeof op !== 'string' || !ops.includes(op)) {
      fail(`${path}.op`, `${typeof op === 'string' ? `unknown operator "${op}"` : 'is required'} for ${field}; expected one of ${ops.join(', ')}`)
      return null
    }
    const value = o.value
    const vpath = `${path}.value`

    if (isNumber) {
      onlyKeys(o, ['field', 'op', 'value'], path)
      const whole = !FRACTIONAL_FIELDS.has(field as NumberField)
      const num = (v: unknown, p: string): number | null => {
        if (typeof v !== 'number' || !Number.isFinite(v)) { fail(p, 'must be a number'); return null }
        if (whole && !Number.isInteger(v)) { fail(p, 'must be a whole number'); return null }
        if (Math.abs(v) > 1e15) { fail(p, 'is out of range'); return null }
        return v
      }
      if (op === 'between') {
        if (!Array.isArray(value) || value.length !== 2) { fail(vpath, 'must be [from, to]'); return null }
        const a = num(value[0], `${vpath}[0]`)
        const b = num(value[1], `${vpath}[1]`)
        if (a === null || b === null) return null
        if (a > b) { fail(vpath, 'from must not be above to'); return null }
        return { field: field as NumberField, op: 'between', value: [a, b] }
      }
      const n = num(value, vpath)
      return n === null ? null : { field: field as NumberField, op: op as 'eq', value: n }
    }
    if (isChoice) {
      onlyKeys(o, ['field', 'op', 'value'], path)
      const values = strings(value, vpath, CHOICE_VALUES[field as ChoiceField])
      return values.length === 0 ? null : { field: field as ChoiceField, op: op as 'in' | 'not_in', value: values }
    }
    switch (field) {
      case 'consent': {
        onlyKeys(o, ['field', 'op', 'value'], path)
        if (typeof value !== 'string' || !(CONSENT_CHANNELS as readonly string[]).includes(value)) {
          fail(vpath, `must be one of ${CONSENT_CHANNELS.join(', ')}`)
          return null
        }
        return { field, op: op as 'granted' | 'not_granted', value: value as (typeof CONSENT_CHANNELS)[number] }
      }
      case 'bought': {
        onlyKeys(o, ['field', 'op', 'value', 'days', 'min'], path)
        const values = strings(value, vpath)
        const d = days(o.days, `${path}.days`)
        let min: number | undefined
        if (o.min !== undefined) {
          if (typeof o.min !== 'number' || !Number.isInteger(o.min) || o.min < 1 || o.min > 1000) fail(`${path}.min`, 'must be a whole number from 1 to 1000')
          else min = o.min
        }
        if (values.length === 0 || d === undefined || (o.min !== undefined && min === undefined)) return null
        return { field, op: op as 'category', value: values, days: d, ...(min !== undefined && min > 1 ? { min } : {}) }
      }
      case 'shopped_at': {
        onlyKeys(o, ['field', 'op', 'value', 'days'], path)
        const values = strings(value, vpath)
        const d = days(o.days, `${path}.days`)
        if (values.length === 0 || d === undefined) return null
        return { field, op: 'in', value: values, days: d }
      }
      case 'tag': {
        onlyKeys(o, ['field', 'op', 'value'], path)
        if (typeof value !== 'string' || value.trim() === '') { fail(vpath, 'must be a tag id'); return null }
        return { field, op: op as 'has' | 'lacks', value: value.trim() }
      }
      default: {
        // coupon: holds (now, of a template or any) / used (within days)
        onlyKeys(o, ['field', 'op', 'value', 'days'], path)
        if (value !== undefined && value !== null && (typeof value !== 'string' || value.trim() === '')) { fail(vpath, 'must be a coupon template id, or left out for any'); return null }
        const template = typeof value === 'string' ? value.trim() : undefined
        if (op === 'holds') {
          if (o.days !== undefined) { fail(`${path}.days`, 'applies only to used'); return null }
          return { field: 'coupon', op: 'holds', ...(template ? { value: template } : {}) }
        }
        const d = days(o.days, `${path}.days`)
        if (d === undefined) return null
        return { field: 'coupon', op: 'used', ...(template ? { value: template } : {}), days: d }
      }
    }
  }

  const node = (v: unknown, path: string, level: number): Condition | null => {
    if (!isObject(v)) { fail(path, 'must be a group ({ all | any | not }) or a condition ({ field, op, value })'); return null }
    if (level > LIMITS.depth) { fail(path, `nested deeper than ${LIMITS.depth} levels`); return null }
    const groupKeys = ['all', 'any', 'not'].filter((k) => k in v)
    if (groupKeys.length > 1) { fail(path, 'a group is one of all, any or not'); return null }
    const key = groupKeys[0]
    if (key === undefined) return leaf(v, path)
    onlyKeys(v, [key], path)
    const p = `${path}.${key}`
    if (key === 'not') {
      const inner = node(v.not, p, level + 1)
      return inner ? { not: inner } : null
    }
    const list = v[key]
    if (!Array.isArray(list)) { fail(p, 'must be a list of conditions'); return null }
    if (list.length === 0) { fail(p, 'an empty group matches nothing useful; add a condition or remove the group'); return null }
    const items = list.map((c, i) => node(c, `${p}[${i}]`, level + 1))
    if (items.some((c) => c === null)) return null
    return key === 'all' ? { all: items as Condition[] } : { any: items as Condition[] }
  }

  const result = node(input, root, 1)
  if (leaves > LIMITS.leaves) fail(root, `at most ${LIMITS.leaves} conditions (found ${leaves})`)
  if (details.length > 0 || result === null) {
    throw unprocessable('INSIGHT_CONDITION_INVALID', details.length > 0 ? details : [{ field: root, reason: 'is not a valid condition' }])
  }
  return result
}

/** The leaves of a tree, with their paths (for naming an unknown id's field). */
export const leavesOf = (c: Condition, path = 'definition'): { leaf: Leaf; path: string }[] => {
  if ('all' in c) return c.all.flatMap((x, i) => leavesOf(x, `${path}.all[${i}]`))
  if ('any' in c) return c.any.flatMap((x, i) => leavesOf(x, `${path}.any[${i}]`))
  if ('not' in c) return leavesOf(c.not, `${path}.not`)
  return [{ leaf: c, path }]
}

export interface ReferencedIds {
  tags: { id: string; field: string }[]
  stores: { id: string; field: string }[]
  tiers: { id: string; field: string }[]
  templates: { id: string; field: string }[]
}

/** The ids a tree names, each with the field path it is at, for the service to check they exist. */
export const referencedIds = (c: Condition, root = 'definition'): ReferencedIds => {
  const out: ReferencedIds = { tags: [], stores: [], tiers: [], templates: [] }
  for (const { leaf, path } of leavesOf(c, root)) {
    if (leaf.field === 'tag') out.tags.push({ id: leaf.value, field: `${path}.value` })
    else if (leaf.field === 'coupon' && leaf.value) out.templates.push({ id: leaf.value, field: `${path}.value` })
    else if (leaf.field === 'shopped_at' || leaf.field === 'registration_store' || leaf.field === 'main_store') {
      leaf.value.forEach((id, i) => out.stores.push({ id, field: `${path}.value[${i}]` }))
    } else if (leaf.field === 'tier') leaf.value.forEach((id, i) => out.tiers.push({ id, field: `${path}.value[${i}]` }))
  }
  return out
}

/** Throws INSIGHT_CONDITION_INVALID naming each id that `exists` does not know. */
export const assertKnownIds = (refs: { id: string; field: string }[], known: ReadonlySet<string>, what: string): void => {
  const unknown = refs.filter((r) => !known.has(r.id))
  if (unknown.length > 0) {
    throw unprocessable('INSIGHT_CONDITION_INVALID', unknown.slice(0, 50).map((r) => ({ field: r.field, reason: `unknown ${what} "${r.id}"` })))
  }
}
