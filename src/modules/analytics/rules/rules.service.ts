import type { Db, Engine } from '../../../db/database.js'
import { actorName, assertCan, type Actor } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { notFound, unprocessable } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { isInScope, scopeOf, scopeWithFilter, storeFilterFor } from '../../../shared/scope.js'
import { addDays, dateIn, isLocalDate } from '../../../shared/time.js'
import { associationRules, frequentItemsets, type Rule } from './fp-growth.js'
import { basketsOf } from './rules-baskets.js'
import * as repo from './rules.repository.js'
import type { RuleLevel } from './rules.table.js'
import type { Progress } from '../forecast/forecast.service.js'

export const RULE_LEVELS: readonly RuleLevel[] = ['sku', 'subcategory', 'category', 'department']

export interface MineInput {
  /** the items of a basket: products (sku), or their subcategory, category or department (default category) */
  level?: RuleLevel
  /** the sales' business dates, inclusive (default: the 90 days to today) */
  from?: string
  to?: string
  /** one store's sales (a store role: its own, always) */
  storeId?: string
  /** members' sales only (default: every sale) */
  membersOnly?: boolean
  /** an itemset is frequent when in at least this share of the baskets (default 0.01) */
  minSupport?: number
  /** default 0.2 */
  minConfidence?: number
  /** default 0: every rule that passes support and confidence */
  minLift?: number
  /** items in a rule, both sides (default 4) */
  maxLength?: number
}

export interface RuleItem {
  key: string
  /** what the console shows: the product's name at the SKU level, the level's name otherwise */
  label: string
  sku?: string
}

export interface MinedRule {
  rank: number
  antecedent: RuleItem[]
  consequent: RuleItem[]
  /** baskets with every item of the rule */
  baskets: number
  antecedentBaskets: number
  consequentBaskets: number
  support: number
  confidence: number
  lift: number
}

export interface RuleRun {
  id: string
  minedAt: string
  level: RuleLevel
  from: string
  to: string
  storeId: string | null
  membersOnly: boolean
  minSupport: number
  minConfidence: number
  minLift: number
  maxLength: number
  baskets: number
  items: number
  itemsets: number
  rules: number
  /** rules found beyond the stored ones (the strongest are kept) */
  rulesDropped: number
  seconds: number
  createdBy: string
}

export interface RuleListInput extends repo.RuleFilter {
  /** a run's id (default: the newest run the actor may see) */
  runId?: string
  sort?: repo.RuleSort
  limit?: number
  offset?: number
}

export interface TogetherInput {
  /** sales of the last N days to today (default 90) */
  days?: number
  storeId?: string
  limit?: number
}

export interface BoughtTogether {
  product: { id: string; sku: string; name: string }
  from: string
  to: string
  /** sales in the period with a catalogue product on them */
  baskets: number
  /** of them, sales with the product */
  withProduct: number
  /** the products most often on the same sales: {product} ⇒ {other} */
  items: Array<{ productId: string; sku: string; name: string; together: number; support: number; confidence: number; lift: number }>
}

/** Runs kept (with their rules): older ones are deleted as new ones are stored. */
export const RUNS_KEPT = 30
/** Rules stored per run, the strongest first; the rest are counted in `rulesDropped`. */
export const RULES_STORED = 20_000
const DEFAULTS = { level: 'category' as RuleLevel, days: 90, minSupport: 0.01, minConfidence: 0.2, minLift: 0, maxLength: 4 }


const bad = (field: string, reason: string) => unprocessable('RULES_INVALID_INPUT', [{ field, reason }])

const fraction = (v: number | undefined, field: string, fallback: number, allowZero: boolean): number => {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v > 1 || v < 0 || (!allowZero && v === 0)) throw bad(field, allowZero ? 'must be between 0 and 1' : 'must be above 0 and at most 1')
  return v
}

const runOf = (r: repo.RunRow): RuleRun => ({
  id: r.id, minedAt: r.mined_at, level: r.level, from: r.from_date, to: r.to_date, storeId: r.store_id, membersOnly: Number(r.members_only) === 1,
  minSupport: Number(r.min_support), minConfidence: Number(r.min_confidence), minLift: Number(r.min_lift), maxLength: Number(r.max_length),
  baskets: Number(r.baskets), items: Number(r.items), itemsets: Number(r.itemsets), rules: Number(r.rules), rulesDropped: Number(r.rules_dropped),
  seconds: Number(r.seconds), createdBy: r.created_by,
})

export const createRulesService = ({ db, engine, clock, timezone }: { db: Db; engine: Engine; clock: Clock; timezone: string }) => {
  const today = () => dateIn(clock.now(), timezone)

  /** Labels of item keys: product names at the SKU level; the key itself at the others. */
  const labeller = async (level: RuleLevel, keys: Iterable<string>) => {
    const names = level === 'sku' ? await repo.productNames(db, [...new Set(keys)]) : new Map<string, { sku: string; name: string }>()
    return (key: string): RuleItem => {
      if (level !== 'sku') return { key, label: key }
      const p = names.get(key)
      return p ? { key, label: p.name, sku: p.sku } : { key, label: key }
    }
  }

  const checkMine = (actor: Actor, input: MineInput) => {
    const level = input.level ?? DEFAULTS.level
    if (!RULE_LEVELS.includes(level)) throw bad('level', `must be one of ${RULE_LEVELS.join(', ')}`)
    const to = input.to ?? today()
    if (!isLocalDate(to)) throw bad('to', 'must be a date YYYY-MM-DD')
    const from = input.from ?? addDays(to, 1 - DEFAULTS.days)
    if (!isLocalDate(from)) throw bad('from', 'must be a date YYYY-MM-DD')
    if (from > to) throw bad('from', 'must not be after to')
    const maxLength = input.maxLength ?? DEFAULTS.maxLength
    if (!Number.isInteger(maxLength) || maxLength < 2 || maxLength > 10) throw bad('maxLength', 'must be a whole number from 2 to 10')
    return {
      level, from, to, maxLength,
      storeId: storeFilterFor(actor, input.storeId) ?? null,
      membersOnly: input.membersOnly === true,
      minSupport: fraction(input.minSupport, 'minSupport', DEFAULTS.minSupport, false),
      minConfidence: fraction(input.minConfidence, 'minConfidence', DEFAULTS.minConfidence, true),
      minLift: (() => {
        const v = input.minLift ?? DEFAULTS.minLift
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad('minLift', 'must be 0 or more')
        return v
      })(),
    }
  }

  /**
   * Mines the association rules of a scope's sales: the baskets (each sale's distinct items at the
   * level), the frequent itemsets (FP-Growth, exact), the rules with one item on the right-hand
   * side. Stored as a run (the strongest RULES_STORED rules); every rule found is returned.
   */
  const mine = async (actor: Actor, input: MineInput = {}, progress?: Progress): Promise<{ run: RuleRun; rules: MinedRule[] }> => {
    assertCan(actor, 'insight.read')
    const s = checkMine(actor, input)
    const started = performance.now()
    await progress?.(0, 3, 'baskets')
    const lines = await repo.basketLines(db, s)
    const { baskets, keys } = basketsOf(lines)
    await progress?.(1, 3, 'mining')
    const n = baskets.offsets.length - 1
    const itemsets = n === 0 ? [] : frequentItemsets(baskets, { minSupport: s.minSupport, maxLength: s.maxLength })
    const counts = new Map<number, number>()
    for (const set of itemsets) if (set.items.length === 1) counts.set(set.items[0]!, set.count)
    const found: Rule[] = n === 0 ? [] : associationRules(itemsets, n, { minConfidence: s.minConfidence, minLift: s.minLift })
    const label = await labeller(s.level, found.flatMap((r) => [...r.antecedent, ...r.consequent]).map((i) => keys[i]!))
    const countOf = (items: number[]) => (items.length === 1 ? counts.get(items[0]!) : undefined)
    const rules: MinedRule[] = found.map((r, i) => ({
      rank: i + 1,
      antecedent: r.antecedent.map((id) => label(keys[id]!)),
      consequent: r.consequent.map((id) => label(keys[id]!)),
      baskets: r.count,
      antecedentBaskets: countOf(r.antecedent) ?? Math.round(r.count / r.confidence),
      consequentBaskets: countOf(r.consequent) ?? Math.round((r.confidence / r.lift) * n),
      support: r.support, confidence: r.confidence, lift: r.lift,
    }))
    const seconds = Math.round(performance.now() - started) / 1000
    const run: RuleRun = {
      id: newId('rlr'), minedAt: clock.now().toISOString(), level: s.level, from: s.from, to: s.to, storeId: s.storeId, membersOnly: s.membersOnly,
      minSupport: s.minSupport, minConfidence: s.minConfidence, minLift: s.minLift, maxLength: s.maxLength,
      baskets: n, items: keys.length, itemsets: itemsets.length, rules: rules.length, rulesDropped: Math.max(0, rules.length - RULES_STORED),
      seconds, createdBy: actorName(actor),
    }
    await progress?.(2, 3, 'store')
    {
      await db.transaction().execute(async (trx) => {
        await repo.insertRun(trx, {
          id: run.id, mined_at: run.minedAt, level: run.level, from_date: run.from, to_date: run.to, store_id: run.storeId, members_only: run.membersOnly ? 1 : 0,
          min_support: run.minSupport, min_confidence: run.minConfidence, min_lift: run.minLift, max_length: run.maxLength,
          baskets: run.baskets, items: run.items, itemsets: run.itemsets, rules: run.rules, rules_dropped: run.rulesDropped, seconds: run.seconds, created_by: run.createdBy,
        })
        await repo.insertRules(trx, rules.slice(0, RULES_STORED).map((r) => ({
          run_id: run.id, rank: r.rank, antecedent: JSON.stringify(r.antecedent.map((x) => x.key)), consequent: JSON.stringify(r.consequent.map((x) => x.key)),
          size: r.antecedent.length + r.consequent.length, baskets: r.baskets, antecedent_count: r.antecedentBaskets, consequent_count: r.consequentBaskets,
          support: r.support, confidence: r.confidence, lift: r.lift,
        })))
        await repo.pruneRuns(trx, RUNS_KEPT)
      })
    }
    await progress?.(3, 3)
    return { run, rules }
  }

  /** The runs the actor may see, newest first (a store role: its store's). */
  const runs = async (actor: Actor, limit = RUNS_KEPT): Promise<RuleRun[]> => {
    assertCan(actor, 'insight.read')
    return (await repo.listRuns(db, limit, scopeOf(actor))).map(runOf)
  }

  const visibleRun = async (actor: Actor, runId: string | undefined): Promise<repo.RunRow | null> => {
    if (runId === undefined) return (await repo.listRuns(db, 1, scopeOf(actor)))[0] ?? null
    const row = await repo.getRun(db, runId)
    if (!row || !isInScope(actor, row.store_id)) throw notFound('RULE_RUN_NOT_FOUND', [{ field: 'runId', reason: 'no such run' }])
    return row
  }

  /** A run's stored rules, filtered and sorted (lift by default), a page at a time. */
  const list = async (actor: Actor, input: RuleListInput = {}): Promise<{ run: RuleRun | null; total: number; rules: MinedRule[] }> => {
    assertCan(actor, 'insight.read')
    const row = await visibleRun(actor, input.runId)
    if (!row) return { run: null, total: 0, rules: [] }
    const limit = input.limit ?? 50
    const offset = input.offset ?? 0
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw bad('limit', 'must be from 1 to 1000')
    if (!Number.isInteger(offset) || offset < 0) throw bad('offset', 'must be 0 or more')
    const filter: repo.RuleFilter = { item: input.item, side: input.side, minSupport: input.minSupport, minConfidence: input.minConfidence, minLift: input.minLift, size: input.size }
    const [total, rows] = await Promise.all([
      repo.countRules(db, engine, row.id, filter), repo.listRules(db, engine, row.id, filter, input.sort ?? 'lift', limit, offset),
    ])
    const parsed = rows.map((r) => ({ r, a: JSON.parse(r.antecedent) as string[], c: JSON.parse(r.consequent) as string[] }))
    const label = await labeller(row.level, parsed.flatMap((p) => [...p.a, ...p.c]))
    return {
      run: runOf(row), total,
      rules: parsed.map(({ r, a, c }) => ({
        rank: Number(r.rank), antecedent: a.map(label), consequent: c.map(label), baskets: Number(r.baskets),
        antecedentBaskets: Number(r.antecedent_count), consequentBaskets: Number(r.consequent_count),
        support: Number(r.support), confidence: Number(r.confidence), lift: Number(r.lift),
      })),
    }
  }

  /** The items of a run's stored rules (for the browser's item filter), the most ruled first. */
  const items = async (actor: Actor, runId?: string): Promise<{ run: RuleRun | null; items: Array<RuleItem & { rules: number }> }> => {
    assertCan(actor, 'insight.read')
    const row = await visibleRun(actor, runId)
    if (!row) return { run: null, items: [] }
    const counts = new Map<string, number>()
    for (const r of await repo.ruleSides(db, row.id)) {
      for (const key of [...(JSON.parse(r.antecedent) as string[]), ...(JSON.parse(r.consequent) as string[])]) counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    const label = await labeller(row.level, counts.keys())
    const out = [...counts.entries()].map(([key, rules]) => ({ ...label(key), rules }))
    out.sort((a, b) => b.rules - a.rules || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    return { run: runOf(row), items: out }
  }

  /**
   * "Frequently bought together" for a product, counted from the period's sales as asked (exact,
   * not from a stored run): the products most often on the same sales, as rules {product} ⇒ {other}.
   */
  const together = async (actor: Actor, productId: string, input: TogetherInput = {}): Promise<BoughtTogether> => {
    assertCan(actor, 'insight.read')
    const days = input.days ?? DEFAULTS.days
    if (!Number.isInteger(days) || days < 1 || days > 3660) throw bad('days', 'must be a whole number from 1 to 3660')
    const limit = input.limit ?? 10
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw bad('limit', 'must be from 1 to 100')
    const product = await repo.productExists(db, productId)
    if (!product) throw notFound('PRODUCT_NOT_FOUND', [{ field: 'productId', reason: 'no such product' }])
    const to = today()
    // A store named (in scope), else the actor's stores: a store role's own, a region's, or the chain.
    const scope = scopeWithFilter(actor, input.storeId || undefined)
    const period = { from: addDays(to, 1 - days), to, storeId: null, ...(scope.kind === 'stores' ? { storeIds: scope.storeIds } : {}) }
    const [baskets, mine] = await Promise.all([repo.countBaskets(db, period), repo.boughtWith(db, productId, period, limit)])
    const ids = mine.others.map((o) => o.productId)
    const [names, each] = await Promise.all([repo.productNames(db, ids), repo.productBaskets(db, ids, period)])
    return {
      product, from: period.from, to: period.to, baskets, withProduct: mine.baskets,
      items: mine.others.map((o) => {
        const confidence = o.together / mine.baskets
        const other = each.get(o.productId) ?? o.together
        return {
          productId: o.productId, sku: names.get(o.productId)?.sku ?? '', name: names.get(o.productId)?.name ?? o.productId, together: o.together,
          support: o.together / baskets, confidence, lift: confidence / (other / baskets),
        }
      }),
    }
  }

  /** Refuses (422, with the field) what mining would refuse: the queued route checks before it queues. */
  const validate = (actor: Actor, input: MineInput = {}): void => {
    assertCan(actor, 'insight.read')
    checkMine(actor, input)
  }

  return { mine, validate, runs, list, items, together }
}

export type RulesService = ReturnType<typeof createRulesService>
