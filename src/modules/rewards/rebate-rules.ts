import type { ErrorDetail } from '../../shared/errors.js'
import type { RebateBasis, RebateReward } from './rebates.table.js'
import { isLocalDate } from './rewards-rules.js'

// Pure arithmetic of a year-end rebate: no I/O, no clock.
//
// Units: the basis is fen (spend) or points (points earned); a bracket's `min` is in the basis's
// unit. The rebate, a bracket's `fixed` and the minimum rebate are in the reward's unit: fen for a
// coupon, points for points. Between the two, one point is worth `pointValueFen` fen.

export interface RebateBracket {
  /** the least basis (fen or points) the bracket applies from */
  min: number
  /** basis points of the basis given back: 100 = 1% */
  rateBp: number
  /** a fixed rebate on top, in the reward's unit */
  fixed: number
}

export interface RebateRules {
  basis: RebateBasis
  reward: RebateReward
  brackets: RebateBracket[]
  /** a rate per tier code: replaces the bracket's rate for the members of that tier */
  tierRates: Record<string, number> | null
  /** a rebate below this (in the reward's unit) is not given */
  minRebate: number
}

export const MAX_BRACKETS = 20
export const MAX_AMOUNT = 1_000_000_000_000
export const MAX_RATE_BP = 10_000
export const MAX_PERIOD_DAYS = 731
/** The most one member's fixed part (or minimum) may be, in the reward's unit: what a points entry or a coupon holds. */
export const MAX_REWARD: Record<RebateReward, number> = { points: 10_000_000, coupon: 100_000_000 }

/** The bracket with the highest `min` not above the basis (brackets sorted by `min`), or null. */
export const bracketFor = (brackets: readonly RebateBracket[], basis: number): RebateBracket | null => {
  let found: RebateBracket | null = null
  for (const b of brackets) if (b.min <= basis && (!found || b.min > found.min)) found = b
  return found
}

/** How a basis unit converts into the reward's unit, as numerator / denominator. */
const conversion = (basis: RebateBasis, reward: RebateReward, pointValueFen: number): [bigint, bigint] => {
  if (basis === 'spend' && reward === 'points') return [1n, BigInt(pointValueFen)]
  if (basis === 'points' && reward === 'coupon') return [BigInt(pointValueFen), 1n]
  return [1n, 1n]
}

/**
 * The rebate for one member, in the reward's unit: fixed + ⌊basis × rate / 10000⌋ converted to the
 * reward's unit, with the rate of the member's tier when it has one, else the bracket's. Without
 * brackets, a tier rate alone applies (no fixed part); with brackets, a basis below every bracket
 * gets nothing. 0 when nothing is due or the rebate is below the minimum.
 */
export const rebateFor = (rules: RebateRules, basis: number, tierCode: string | null, pointValueFen: number): number => {
  if (!(basis > 0)) return 0
  const tierRate = tierCode !== null && rules.tierRates ? rules.tierRates[tierCode] : undefined
  let rate: number
  let fixed = 0
  if (rules.brackets.length > 0) {
    const bracket = bracketFor(rules.brackets, basis)
    if (!bracket) return 0
    rate = tierRate ?? bracket.rateBp
    fixed = bracket.fixed
  } else {
    if (tierRate === undefined) return 0
    rate = tierRate
  }
  const [num, den] = conversion(rules.basis, rules.reward, pointValueFen)
  // BigInt: a year's spend in fen times a rate times a point value can pass 2^53.
  const variable = Number((BigInt(basis) * BigInt(rate) * num) / (10_000n * den))
  const rebate = fixed + variable
  return rebate > 0 && rebate >= rules.minRebate ? rebate : 0
}

export interface ProgrammeInput {
  name: string
  periodFrom: string
  periodTo: string
  basis: RebateBasis
  brackets: RebateBracket[]
  tierRates?: Record<string, number> | null
  reward: RebateReward
  couponTemplateId?: string | null
  minRebate?: number
}

const isAmount = (v: unknown, max = MAX_AMOUNT): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/** Everything wrong with a programme's terms (the coupon template is checked against the database). */
export const validateProgramme = (input: ProgrammeInput, tierCodes: readonly string[]): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  const name = typeof input.name === 'string' ? input.name.trim() : ''
  if (name.length < 1 || name.length > 60) out.push({ field: 'name', reason: '1 to 60 characters' })
  const fromOk = isLocalDate(input.periodFrom)
  const toOk = isLocalDate(input.periodTo)
  if (!fromOk) out.push({ field: 'periodFrom', reason: 'a date as YYYY-MM-DD' })
  if (!toOk) out.push({ field: 'periodTo', reason: 'a date as YYYY-MM-DD' })
  if (fromOk && toOk) {
    if (input.periodTo < input.periodFrom) out.push({ field: 'periodTo', reason: 'on or after periodFrom' })
    else if (daysBetween(input.periodFrom, input.periodTo) >= MAX_PERIOD_DAYS) out.push({ field: 'periodTo', reason: `a period of at most ${MAX_PERIOD_DAYS} days` })
  }
  if (input.basis !== 'points' && input.basis !== 'spend') out.push({ field: 'basis', reason: 'points or spend' })
  if (input.reward !== 'points' && input.reward !== 'coupon') out.push({ field: 'reward', reason: 'points or coupon' })

  const brackets = Array.isArray(input.brackets) ? input.brackets : []
  if (!Array.isArray(input.brackets)) out.push({ field: 'brackets', reason: 'a list of brackets' })
  if (brackets.length > MAX_BRACKETS) out.push({ field: 'brackets', reason: `at most ${MAX_BRACKETS} brackets` })
  const maxReward = MAX_REWARD[input.reward] ?? MAX_REWARD.points
  const unit = input.reward === 'coupon' ? 'fen' : 'points'
  brackets.forEach((b, i) => {
    if (!isAmount(b?.min)) out.push({ field: `brackets.${i}.min`, reason: 'a whole number from 0' })
    if (!isAmount(b?.rateBp, MAX_RATE_BP)) out.push({ field: `brackets.${i}.rateBp`, reason: `a whole number of basis points from 0 to ${MAX_RATE_BP}` })
    if (!isAmount(b?.fixed, maxReward)) out.push({ field: `brackets.${i}.fixed`, reason: `a whole number of ${unit} from 0 to ${maxReward}` })
    const prev = brackets[i - 1]
    if (i > 0 && isAmount(b?.min) && isAmount(prev?.min) && b.min <= prev.min) {
      out.push({ field: `brackets.${i}.min`, reason: `above the previous bracket's ${prev.min}: brackets go up by their minimum, each once` })
    }
  })

  const rates = input.tierRates ?? null
  if (rates !== null) {
    if (typeof rates !== 'object' || Array.isArray(rates)) out.push({ field: 'tierRates', reason: 'an object of tier code to basis points' })
    else {
      const codes = Object.keys(rates)
      if (codes.length > MAX_BRACKETS) out.push({ field: 'tierRates', reason: `at most ${MAX_BRACKETS} tiers` })
      for (const code of codes) {
        if (!tierCodes.includes(code)) out.push({ field: `tierRates.${code}`, reason: 'no such tier' })
        else if (!isAmount(rates[code], MAX_RATE_BP)) out.push({ field: `tierRates.${code}`, reason: `a whole number of basis points from 0 to ${MAX_RATE_BP}` })
      }
    }
  }
  const hasRates = rates !== null && typeof rates === 'object' && Object.keys(rates).length > 0
  if (brackets.length === 0 && !hasRates) out.push({ field: 'brackets', reason: 'give at least one bracket or a rate per tier' })

  if (input.reward === 'coupon') {
    if (typeof input.couponTemplateId !== 'string' || input.couponTemplateId === '') out.push({ field: 'couponTemplateId', reason: 'a coupon reward needs a coupon template' })
  } else if (input.couponTemplateId) {
    out.push({ field: 'couponTemplateId', reason: 'only a coupon reward names a template' })
  }
  if (input.minRebate !== undefined && !isAmount(input.minRebate, maxReward)) out.push({ field: 'minRebate', reason: `a whole number of ${unit} from 0 to ${maxReward}` })
  return out
}
