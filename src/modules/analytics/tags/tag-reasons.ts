import type { Condition, Leaf, NumberField } from '../conditions/condition.js'
import { leavesOf } from '../conditions/conditions.js'
import { describeCondition, describeFigure, type DescribeLanguage, type IdNames } from '../conditions/describe.js'

// Why a member holds a rule tag, in words. The evaluation stores the member's own figures for
// the rule's behaviour leaves (`{"v":[…]}`, one entry per leaf in rule order, null where the leaf
// has no figure of its own, e.g. a class or a tag), and the reason is put into words when read,
// in the reader's language: "近90天在母婴购买3次" / "bought 母婴 3 times in 90 days". A manual
// tag's reason is the note the clerk typed, shown as is.

/** Number leaves whose figure is the member's value (age and registration days read the rule's words). */
const VALUED_NUMBERS = new Set<NumberField>([
  'spend_w', 'receipts_w', 'avg_ticket_w', 'spend_total', 'receipts_total', 'recency_days', 'interval_days',
  'stores_visited_w', 'promo_share_pm', 'points_earned_w', 'points_redeemed_w', 'coupons_used_w',
  'r_score', 'f_score', 'm_score', 'points_balance', 'p_alive_pm', 'expected_value', 'clv',
])

/** What figure a leaf's reason carries: a count of purchases, the member's value, or none. */
export const valueKindOf = (leaf: Leaf): 'count' | 'number' | null => {
  if (leaf.field === 'bought' || leaf.field === 'shopped_at') return 'count'
  if ('op' in leaf && (leaf.op === 'in' || leaf.op === 'not_in')) return null
  if ((VALUED_NUMBERS as Set<string>).has(leaf.field)) return 'number'
  return null
}

export type ReasonValues = Array<number | null>

/** The stored values of a rule reason, or null if the text is not one (a manual note, an old reason). */
export const parseReasonValues = (text: string | null): ReasonValues | null => {
  if (!text || !text.startsWith('{')) return null
  try {
    const parsed = JSON.parse(text) as { v?: unknown }
    if (!Array.isArray(parsed.v)) return null
    return parsed.v.map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : null))
  } catch {
    return null
  }
}

/** Whether a leaf holds for a member's value; undefined when the value does not tell. */
const holds = (leaf: Leaf, value: number | null): boolean | undefined => {
  if (value === null) return undefined
  if (leaf.field === 'bought') return value >= (leaf.min ?? 1)
  if (leaf.field === 'shopped_at') return value >= 1
  if (!('op' in leaf)) return undefined
  switch (leaf.op) {
    case 'eq': return value === leaf.value
    case 'gte': return value >= (leaf.value as number)
    case 'gt': return value > (leaf.value as number)
    case 'lte': return value <= (leaf.value as number)
    case 'lt': return value < (leaf.value as number)
    case 'between': return value >= (leaf.value as [number, number])[0] && value <= (leaf.value as [number, number])[1]
    default: return undefined
  }
}

const leafWithValue = (leaf: Leaf, value: number | null, zh: boolean, names: IdNames): string => {
  const language: DescribeLanguage = zh ? 'zh-CN' : 'en-US'
  if (value === null) return describeCondition(leaf, language, names)
  const list = (values: string[]) => values.map((v) => names[v] ?? v).join(zh ? '、' : ', ')
  if (leaf.field === 'bought') {
    return zh ? `近${leaf.days}天在${list(leaf.value)}购买${value}次` : `bought ${list(leaf.value)} ${value} ${value === 1 ? 'time' : 'times'} in ${leaf.days} days`
  }
  if (leaf.field === 'shopped_at') {
    return zh ? `近${leaf.days}天在${list(leaf.value)}消费${value}次` : `shopped at ${list(leaf.value)} ${value} ${value === 1 ? 'time' : 'times'} in ${leaf.days} days`
  }
  // The member's own figure ("促销占比为620‰"), not an equality the rule never asked for.
  return describeFigure(leaf.field as NumberField, value, language)
}

/**
 * A rule tag's reason in words: the rule with the member's figures in place of its thresholds.
 * Of an "any" group only the branches the member meets are named (when the figures tell).
 */
export const renderRuleReason = (rule: Condition, values: ReasonValues, language: DescribeLanguage, names: IdNames = {}): string => {
  const zh = language === 'zh-CN'
  let index = 0
  // Leaf positions in rule order, as the evaluation stored them.
  const positions = new Map<Leaf, number>()
  for (const { leaf } of leavesOf(rule)) positions.set(leaf, index++)
  const valueOf = (leaf: Leaf) => values[positions.get(leaf) ?? -1] ?? null
  const truth = (c: Condition): boolean | undefined => {
    if ('all' in c) { const t = c.all.map(truth); return t.includes(false) ? false : t.every((x) => x === true) ? true : undefined }
    if ('any' in c) { const t = c.any.map(truth); return t.includes(true) ? true : t.every((x) => x === false) ? false : undefined }
    if ('not' in c) { const t = truth(c.not); return t === undefined ? undefined : !t }
    return holds(c, valueOf(c))
  }
  const walk = (c: Condition, nested: boolean): string => {
    if ('not' in c) return describeCondition(c, language, names)
    if ('all' in c || 'any' in c) {
      let items = 'all' in c ? c.all : c.any
      if ('any' in c) {
        const met = items.filter((x) => truth(x) !== false)
        if (met.length > 0) items = met
      }
      if (items.length === 1) return walk(items[0]!, nested)
      const joiner = 'all' in c ? (zh ? '，' : '; ') : (zh ? ' 或 ' : ' or ')
      const text = items.map((x) => walk(x, true)).join(joiner)
      return nested && 'any' in c ? `(${text})` : text
    }
    return leafWithValue(c, valueOf(c), zh, names)
  }
  return walk(rule, false)
}

/** A stored reason in words: a rule's with its figures, a manual note as typed. */
export const renderReason = (
  reason: string | null, source: 'rule' | 'manual', rule: Condition | null, language: DescribeLanguage, names: IdNames = {},
): string => {
  if (source === 'manual' || !rule) return reason ?? ''
  const values = parseReasonValues(reason)
  if (!values) return reason ?? describeCondition(rule, language, names)
  return renderRuleReason(rule, values, language, names)
}

/** Tags a rule names (for evaluation order and cycles). */
export const tagsNamedBy = (rule: Condition): string[] =>
  leavesOf(rule).flatMap(({ leaf }) => (leaf.field === 'tag' ? [leaf.value] : []))

/**
 * Rule tags in an order where every tag comes after the tags its rule names, or the ids on a
 * cycle (a tag that needs itself) when there is one.
 */
export const evaluationOrder = (tags: ReadonlyArray<{ id: string; rule: Condition | null }>): { order: string[]; cycle: string[] | null } => {
  const byId = new Map(tags.map((t) => [t.id, t]))
  const state = new Map<string, 'visiting' | 'done'>()
  const order: string[] = []
  let cycle: string[] | null = null
  const visit = (id: string, path: string[]) => {
    if (cycle) return
    const s = state.get(id)
    if (s === 'done') return
    if (s === 'visiting') { cycle = [...path.slice(path.indexOf(id)), id]; return }
    state.set(id, 'visiting')
    const tag = byId.get(id)
    for (const dep of tag?.rule ? tagsNamedBy(tag.rule) : []) if (byId.has(dep)) visit(dep, [...path, id])
    state.set(id, 'done')
    order.push(id)
  }
  for (const t of tags) visit(t.id, [])
  return { order, cycle }
}
