import type { TenderKind } from '../../shared/tenders.js'
import type {
  BaseRuleDefinition, EarnExplanation, EarningRule, ExpiryPolicy, ProductMatch, RuleDefinition, Tier,
} from './loyalty.types.js'

export interface EarnLine {
  amount: number
  sku: string
  department: string | null
  category: string | null
  subcategory: string | null
  brand: string | null
  pointsEligible: boolean
}

export interface EarnInput {
  lines: EarnLine[]
  tenders: Array<{ kind: TenderKind; amount: number }>
  /** the business time in the chain's zone */
  local: { date: string; weekday: number }
  store: { id: string; regionId: string | null }
  /** birthday as YYYY-MM-DD (or MM-DD), tier before this receipt */
  member: { birthday: string | null; tier: Tier | null } | null
  /** rules valid at the business time; the engine filters by status, store and region */
  rules: EarningRule[]
  /** points the member already earned on this business date (for per-day caps) */
  earnedToday: number
}

export interface EarnResult {
  points: number
  /** fen that earned points, after excluded products and tenders */
  eligibleAmount: number
  /** points per input line, summing to `points` */
  linePoints: number[]
  explanation: EarnExplanation[]
}

const inList = (list: string[] | undefined, value: string | null) => list !== undefined && list.length > 0 && value !== null && list.includes(value)
const restricts = (m: ProductMatch | undefined) =>
  m !== undefined && [m.departments, m.categories, m.subcategories, m.brands, m.skus].some((l) => l !== undefined && l.length > 0)

/** True when the line is one the match names (any of its lists). */
export const matchesLine = (m: ProductMatch, line: EarnLine): boolean =>
  inList(m.departments, line.department) || inList(m.categories, line.category) || inList(m.subcategories, line.subcategory) ||
  inList(m.brands, line.brand) || inList(m.skus, line.sku)

const appliesToStore = (rule: EarningRule, store: EarnInput['store']): boolean => {
  if (rule.storeIds === null && rule.regionIds === null) return true
  return (rule.storeIds?.includes(store.id) ?? false) || (store.regionId !== null && (rule.regionIds?.includes(store.regionId) ?? false))
}

/** Store-scoped beats region-scoped beats chain-wide; then the latest start wins. */
const specificity = (rule: EarningRule) => (rule.storeIds !== null ? 2 : rule.regionIds !== null ? 1 : 0)

/** The base rule in force for a store: the most specific one, so a store or region can override HQ. */
export const pickBaseRule = (rules: EarningRule[]): EarningRule | null => {
  let best: EarningRule | null = null
  for (const r of rules) {
    if (r.definition.kind !== 'base') continue
    if (!best || specificity(r) > specificity(best) || (specificity(r) === specificity(best) && r.validFrom > best.validFrom)) best = r
  }
  return best
}

const birthdayMonth = (birthday: string | null): string | null => {
  if (!birthday) return null
  const m = /(?:^\d{4}-)?(\d{2})-\d{2}$/.exec(birthday)
  return m ? m[1]! : null
}

/** Largest-remainder rounding: integers proportional to `weights` that sum to `total`. */
export const apportion = (total: number, weights: number[]): number[] => {
  const sum = weights.reduce((a, b) => a + Math.max(0, b), 0)
  if (total === 0 || sum <= 0) return weights.map(() => 0)
  const raw = weights.map((w) => (Math.max(0, w) * total) / sum)
  const out = raw.map(Math.floor)
  let left = total - out.reduce((a, b) => a + b, 0)
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0; left > 0 && k < order.length; k++, left--) out[order[k]![1]]! += 1
  return out
}

/**
 * The most points one receipt earns, whatever the rules: the largest base rate times the largest
 * multipliers on the largest receipt would pass what a ledger entry holds (and refuse the sale on
 * PostgreSQL only); no real basket comes near it.
 */
export const MAX_POINTS_PER_RECEIPT = 10_000_000

/**
 * The points a basket earns under the rules in force, and why. Rounding is per receipt: each
 * rule's points are rounded once over the whole basket, then caps apply.
 */
export const computeEarn = (input: EarnInput): EarnResult => {
  const lines = input.lines
  const none: EarnResult = { points: 0, eligibleAmount: 0, linePoints: lines.map(() => 0), explanation: [] }
  const rules = input.rules.filter((r) => r.status === 'active' && appliesToStore(r, input.store))
  const baseRule = pickBaseRule(rules)
  if (!baseRule) return none
  const base = baseRule.definition as BaseRuleDefinition
  const total = lines.reduce((a, l) => a + l.amount, 0)
  if (total <= 0) return none

  // Points and coupons (and any excluded tender) pay without earning: scale every line down.
  const excludedPaid = input.tenders.filter((t) => base.excludeTenders.includes(t.kind)).reduce((a, t) => a + t.amount, 0)
  const paidShare = Math.max(0, total - excludedPaid) / total
  const eligible = lines.map((l) => (l.pointsEligible && !(base.exclude && restricts(base.exclude) && matchesLine(base.exclude, l)) ? l.amount * paidShare : 0))
  const baseRaw = eligible.map((fen) => fen / base.fenPerPoint)
  const round = base.rounding === 'round' ? Math.round : Math.floor

  const explanation: EarnExplanation[] = []
  const weights = [...baseRaw]
  const basePoints = round(baseRaw.reduce((a, b) => a + b, 0))
  explanation.push({ ruleId: baseRule.id, name: baseRule.name, kind: 'base', points: basePoints })

  const addExtra = (ruleId: string | null, name: string, kind: EarnExplanation['kind'], factor: number, applies: (line: EarnLine) => boolean) => {
    let raw = 0
    lines.forEach((line, i) => {
      if (baseRaw[i]! > 0 && applies(line)) {
        const extra = baseRaw[i]! * (factor - 1)
        raw += extra
        weights[i]! += extra
      }
    })
    const points = raw >= 0 ? round(raw) : -round(-raw)
    if (points !== 0) explanation.push({ ruleId, name, kind, points })
  }

  for (const rule of rules) {
    const d: RuleDefinition = rule.definition
    if (d.kind === 'multiplier') {
      if (d.weekdays && d.weekdays.length > 0 && !d.weekdays.includes(input.local.weekday)) continue
      addExtra(rule.id, rule.name, 'multiplier', d.factor, (line) => !restricts(d.match) || matchesLine(d.match!, line))
    } else if (d.kind === 'birthday' && input.member) {
      const month = birthdayMonth(input.member.birthday)
      if (month !== null && month === input.local.date.slice(5, 7)) addExtra(rule.id, rule.name, 'birthday', d.factor, () => true)
    }
  }
  const tier = input.member?.tier
  if (tier && tier.earnFactorPct !== 100) addExtra(null, tier.name, 'tier', tier.earnFactorPct / 100, () => true)

  let points = Math.max(0, explanation.reduce((a, e) => a + e.points, 0))
  for (const rule of rules) {
    const d = rule.definition
    if (d.kind !== 'cap') continue
    let allowed = points
    if (d.perReceipt !== undefined) allowed = Math.min(allowed, d.perReceipt)
    if (d.perDay !== undefined) allowed = Math.min(allowed, Math.max(0, d.perDay - input.earnedToday))
    if (allowed < points) {
      explanation.push({ ruleId: rule.id, name: rule.name, kind: 'cap', points: allowed - points })
      points = allowed
    }
  }
  if (points > MAX_POINTS_PER_RECEIPT) {
    explanation.push({ ruleId: null, name: '单张小票积分上限', kind: 'cap', points: MAX_POINTS_PER_RECEIPT - points })
    points = MAX_POINTS_PER_RECEIPT
  }
  return {
    points,
    eligibleAmount: Math.round(eligible.reduce((a, b) => a + b, 0)),
    linePoints: apportion(points, weights),
    explanation,
  }
}

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** The last local date on which points earned on `businessDate` can be used. */
export const expiresOnFor = (policy: ExpiryPolicy, businessDate: string): string => {
  const year = Number(businessDate.slice(0, 4))
  const month = Number(businessDate.slice(5, 7))
  if (policy.mode === 'calendar_years') return `${year + policy.years}-12-31`
  const total = year * 12 + (month - 1) + policy.months
  const y = Math.floor(total / 12)
  const m = (total % 12) + 1
  return `${y}-${String(m).padStart(2, '0')}-${String(lastDayOfMonth(y, m)).padStart(2, '0')}`
}

/** ISO weekday (1 = Monday) of a YYYY-MM-DD date. */
export const isoWeekday = (date: string): number => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay()
  return d === 0 ? 7 : d
}
