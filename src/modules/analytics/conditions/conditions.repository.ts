import type { Expression, ExpressionBuilder, Nullable, SqlBool } from 'kysely'
import type { Db, Engine, Trx } from '../../../db/database.js'
import type { DB } from '../../../db/schema.js'
import { parseLocalDateTime } from '../../../shared/time.js'
import type { MemberInsightTable } from '../insight/insight.table.js'
import type { ChoiceField, Condition, Leaf, NumberField } from './condition.js'
import { addDays } from '../../../shared/time.js'

// A condition compiled to SQL over `members as m` left joined with `member_insight as i`. A leaf
// that looks at another table is an `m.id IN (subquery)` over an index of that table
// (member_category_days by category/department and day, receipts by date, member_tags by tag,
// coupons by status): the database builds each set once and probes it per member, or drives the
// scan from it when it is selective; consent and tier, whose tables are keyed by member, are an
// EXISTS by that key. Every leaf is true or false, never NULL, so NOT is the
// exact complement (a member without figures is "not bought within 30 days").

export type MemberRows = DB & { m: DB['members'] } & { i: Nullable<MemberInsightTable> }
export type MemberEb = ExpressionBuilder<MemberRows, 'm' | 'i'>

export interface CompileContext {
  /** the local business date windows end at (YYYY-MM-DD) */
  asOf: string
  engine: Engine
  /** the chain's time zone, for instants (registration, coupon use) against local dates */
  timezone: string
}

export { addDays }

/** `YYYY-MM-DD` n years earlier; 29 February becomes 28 February in a common year. */
export const minusYears = (date: string, n: number): string => {
  const y = Number(date.slice(0, 4)) - n
  let md = date.slice(5)
  if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) md = '02-28'
  return `${String(y).padStart(4, '0')}-${md}`
}

/** The first business date of a window of `days` days ending on asOf (dates > asOf − days). */
export const windowStart = (asOf: string, days: number): string => addDays(asOf, 1 - days)

/** The UTC instant (ISO) at which a local date begins. */
const startOf = (date: string, timezone: string): string => parseLocalDateTime(date, timezone)!.toISOString()

/** Whole-number bounds of a numeric leaf, inclusive; null = open. */
const bounds = (leaf: Extract<Leaf, { field: NumberField }>): [number | null, number | null] => {
  switch (leaf.op) {
    case 'eq': return [leaf.value, leaf.value]
    case 'gte': return [leaf.value, null]
    case 'gt': return [leaf.value + 1, null]
    case 'lte': return [null, leaf.value]
    case 'lt': return [null, leaf.value - 1]
    default: return [leaf.value[0], leaf.value[1]]
  }
}

/** Counters a member without figures has zero of; the other figures are unknown (no match). */
const ZERO_WHEN_MISSING = new Set<NumberField>([
  'spend_w', 'receipts_w', 'avg_ticket_w', 'spend_total', 'receipts_total', 'stores_visited_w',
  'points_earned_w', 'points_redeemed_w', 'coupons_used_w',
])

type InsightNumber = Exclude<NumberField, 'points_balance' | 'age' | 'registered_days'>

const compareNumber = (eb: MemberEb, leaf: Extract<Leaf, { field: NumberField }>, ctx: CompileContext): Expression<SqlBool> => {
  if (leaf.field === 'age') {
    // age ≥ lo ⇔ born on or before asOf − lo years; age ≤ hi ⇔ born after asOf − (hi + 1) years
    const [lo, hi] = bounds(leaf)
    const parts: Expression<SqlBool>[] = [eb('m.birthday', 'is not', null)]
    if (lo !== null) parts.push(eb('m.birthday', '<=', minusYears(ctx.asOf, lo)))
    if (hi !== null) parts.push(eb('m.birthday', '>', minusYears(ctx.asOf, hi + 1)))
    return eb.and(parts)
  }
  if (leaf.field === 'registered_days') {
    // days from the local registration date to asOf: ≥ lo ⇔ registered before the day after asOf − lo began
    const [lo, hi] = bounds(leaf)
    const parts: Expression<SqlBool>[] = []
    if (lo !== null) parts.push(eb('m.registered_at', '<', startOf(addDays(ctx.asOf, 1 - lo), ctx.timezone)))
    if (hi !== null) parts.push(eb('m.registered_at', '>=', startOf(addDays(ctx.asOf, -hi), ctx.timezone)))
    return parts.length > 0 ? eb.and(parts) : eb.lit(true)
  }
  if (leaf.field === 'points_balance') {
    const balance = eb.fn.coalesce(
      eb.selectFrom('points_accounts as pa').select('pa.balance').whereRef('pa.member_id', '=', 'm.id'),
      eb.val(0),
    )
    return leaf.op === 'between'
      ? eb.and([eb(balance, '>=', leaf.value[0]), eb(balance, '<=', leaf.value[1])])
      : eb(balance, OPS[leaf.op], leaf.value)
  }
  const column = `i.${leaf.field as InsightNumber}` as const
  const value = ZERO_WHEN_MISSING.has(leaf.field) ? eb.fn.coalesce(column, eb.val(0)) : eb.ref(column)
  const test = leaf.op === 'between'
    ? eb.and([eb(value, '>=', leaf.value[0]), eb(value, '<=', leaf.value[1])])
    : eb(value, OPS[leaf.op], leaf.value)
  return ZERO_WHEN_MISSING.has(leaf.field) ? test : eb.and([eb(column, 'is not', null), test])
}

const OPS = { eq: '=', gte: '>=', lte: '<=', gt: '>', lt: '<' } as const

const CHOICE_COLUMNS = {
  gender: 'm.gender',
  income_band: 'm.income_band',
  district: 'm.district',
  occupation: 'm.occupation',
  education: 'm.education',
  registration_store: 'm.registration_store_id',
  registration_channel: 'm.registration_channel',
  age_band: 'i.age_band',
  main_store: 'i.main_store_id',
  main_department: 'i.main_department',
  main_category: 'i.main_category',
  rfm_class: 'i.rfm_class',
  quadrant: 'i.quadrant',
  frequency_class: 'i.frequency_class',
  amount_class: 'i.amount_class',
  lifecycle: 'i.lifecycle',
} as const satisfies Record<Exclude<ChoiceField, 'tier'>, `m.${string}` | `i.${string}`>

const inList = (eb: MemberEb, column: (typeof CHOICE_COLUMNS)[keyof typeof CHOICE_COLUMNS], values: string[]) =>
  values.length === 1 ? eb(column, '=', values[0]!) : eb(column, 'in', values)

const compileLeaf = (eb: MemberEb, leaf: Leaf, ctx: CompileContext): Expression<SqlBool> => {
  switch (leaf.field) {
    case 'consent': {
      // By the consents' primary key (member, channel): a probe per member the other leaves keep.
      const granted = eb.exists(eb.selectFrom('member_consents as mc').select('mc.member_id')
        .whereRef('mc.member_id', '=', 'm.id').where('mc.channel', '=', leaf.value).where('mc.granted', '=', 1))
      return leaf.op === 'granted' ? granted : eb.not(granted)
    }
    case 'bought': {
      const from = windowStart(ctx.asOf, leaf.days)
      const min = leaf.min ?? 1
      if (leaf.op === 'department' || leaf.op === 'category') {
        const column = leaf.op === 'department' ? 'cd.department' : 'cd.category'
        const rows = eb.selectFrom('member_category_days as cd')
          .where(column, leaf.value.length === 1 ? '=' : 'in', leaf.value.length === 1 ? leaf.value[0]! : leaf.value)
          .where('cd.day', '>=', from).where('cd.day', '<=', ctx.asOf).where('cd.receipts', '>', 0)
        if (min <= 1) return eb('m.id', 'in', rows.select('cd.member_id'))
        // One receipt with lines in two matched categories is a row in each: per day count the
        // busiest matched row, so a single receipt never counts twice (see README "Segments").
        const perDay = rows.select(['cd.member_id', (e) => e.fn.max('cd.receipts').as('n')]).groupBy(['cd.member_id', 'cd.day'])
        return eb('m.id', 'in', eb.selectFrom(perDay.as('d')).select('d.member_id').groupBy('d.member_id')
          .having((e) => e.fn.sum<number>('d.n'), '>=', min))
      }
      const lines = eb.selectFrom('products as p')
        .innerJoin('receipt_lines as l', 'l.product_id', 'p.id')
        .innerJoin('receipts as r', 'r.id', 'l.receipt_id')
        .where(leaf.op === 'brand' ? 'p.brand' : 'p.sku', 'in', leaf.value)
        .where('r.kind', '=', 'sale').where('r.status', '=', 'posted').where('r.member_id', 'is not', null)
        .where('r.business_date', '>=', from).where('r.business_date', '<=', ctx.asOf)
        .whereRef('l.returned_quantity', '<', 'l.quantity')
      if (min <= 1) return eb('m.id', 'in', lines.select('r.member_id'))
      return eb('m.id', 'in', lines.select('r.member_id').groupBy('r.member_id')
        .having((e) => e.fn.count('r.id').distinct(), '>=', min))
    }
    case 'shopped_at':
      return eb('m.id', 'in', eb.selectFrom('receipts as r').select('r.member_id')
        .where('r.business_date', '>=', windowStart(ctx.asOf, leaf.days)).where('r.business_date', '<=', ctx.asOf)
        .where('r.store_id', 'in', leaf.value)
        .where('r.kind', '=', 'sale').where('r.status', '=', 'posted').where('r.member_id', 'is not', null))
    case 'tag': {
      const has = eb('m.id', 'in', eb.selectFrom('member_tags as mt').select('mt.member_id').where('mt.tag_id', '=', leaf.value))
      return leaf.op === 'has' ? has : eb.not(has)
    }
    case 'coupon': {
      let q = eb.selectFrom('coupons as c').select('c.member_id')
      if (leaf.value) q = q.where('c.template_id', '=', leaf.value)
      q = leaf.op === 'holds'
        ? q.where('c.status', '=', 'issued').where('c.valid_to', '>=', ctx.asOf)
        : q.where('c.status', '=', 'used')
          .where('c.used_at', '>=', startOf(windowStart(ctx.asOf, leaf.days!), ctx.timezone))
          .where('c.used_at', '<', startOf(addDays(ctx.asOf, 1), ctx.timezone))
      return eb('m.id', 'in', q)
    }
    case 'tier': {
      // tier_code has no index: probe the member's account by its primary key instead.
      const inTier = eb.exists(eb.selectFrom('points_accounts as pa').select('pa.member_id').whereRef('pa.member_id', '=', 'm.id').where('pa.tier_code', 'in', leaf.value))
      return leaf.op === 'in' ? inTier : eb.not(inTier)
    }
    default:
      break
  }
  if ('op' in leaf && (leaf.op === 'in' || leaf.op === 'not_in')) {
    const column = CHOICE_COLUMNS[leaf.field as Exclude<ChoiceField, 'tier'>]
    const match = eb.and([eb(column, 'is not', null), inList(eb, column, leaf.value as string[])])
    return leaf.op === 'in' ? match : eb.not(match)
  }
  return compareNumber(eb, leaf as Extract<Leaf, { field: NumberField }>, ctx)
}

/** The WHERE expression of a condition over `members as m` ⟕ `member_insight as i`. */
export const compileCondition = (eb: MemberEb, c: Condition, ctx: CompileContext): Expression<SqlBool> => {
  if ('all' in c) return eb.and(c.all.map((x) => compileCondition(eb, x, ctx)))
  if ('any' in c) return eb.or(c.any.map((x) => compileCondition(eb, x, ctx)))
  if ('not' in c) return eb.not(compileCondition(eb, c.not, ctx))
  return compileLeaf(eb, c, ctx)
}

/**
 * Live members (active or frozen) matching a condition, optionally of some registration stores
 * (a store's segment, a store role's scope): a query to select from, count or insert from.
 */
export const matchingMembers = (db: Db | Trx, c: Condition, ctx: CompileContext, storeIds?: readonly string[] | null) => {
  let q = db.selectFrom('members as m')
    .leftJoin('member_insight as i', 'i.member_id', 'm.id')
    .where('m.status', 'in', ['active', 'frozen'])
  if (storeIds) q = storeIds.length === 1 ? q.where('m.registration_store_id', '=', storeIds[0]!) : q.where('m.registration_store_id', 'in', storeIds.length > 0 ? storeIds : [''])
  return q.where((eb) => compileCondition(eb, c, ctx))
}

export const countMatching = async (db: Db | Trx, c: Condition, ctx: CompileContext, storeIds?: readonly string[] | null): Promise<number> => {
  const row = await matchingMembers(db, c, ctx, storeIds).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
