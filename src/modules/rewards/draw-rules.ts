import type { ErrorDetail } from '../../shared/errors.js'
import type { PrizeKind } from './draws.table.js'

// Pure rules of a lucky draw: which prize a random number picks, what an entry costs, and
// whether a draw's definition is sound. No I/O, no clock.

export const MAX_PRIZES = 20
export const MAX_WEIGHT = 1_000_000
export const MAX_STOCK = 10_000_000
export const MAX_POINTS = 10_000_000
export const MAX_LIMIT = 10_000
export const MAX_FEN = 100_000_000_00

export interface PrizeInput {
  name: string
  kind: PrizeKind
  couponTemplateId?: string | null
  points?: number | null
  giftId?: string | null
  stock: number
  weight: number
}

export interface DrawInput {
  name: string
  description?: string | null
  /** ISO-8601 instants; entries are taken from startsAt up to (not including) endsAt */
  startsAt: string
  endsAt: string
  /** points an entry costs; 0 = every entry is free */
  entryPoints: number
  /** tier codes whose members enter free */
  freeTiers?: string[] | null
  /** a sale of at least this many fen within the draw's window gives one free entry */
  freeMinSpend?: number | null
  perMemberLimit?: number | null
  perDayLimit?: number | null
  noPrizeWeight: number
  /** the 1-based position of the prize given when the drawn one is out; null = no prize */
  fallbackPrize?: number | null
  prizes: PrizeInput[]
}

/** The sum every draw picks from: the prizes' weights and the no-prize weight. */
export const totalWeight = (prizes: ReadonlyArray<{ weight: number }>, noPrizeWeight: number): number =>
  prizes.reduce((a, p) => a + p.weight, noPrizeWeight)

/**
 * The prize a uniform random integer `r` in [0, total) picks: the prizes take consecutive
 * ranges of their weight, in order, and what is left above them is "no prize" (null).
 */
export const pickPrize = <P extends { weight: number }>(prizes: ReadonlyArray<P>, noPrizeWeight: number, r: number): P | null => {
  const total = totalWeight(prizes, noPrizeWeight)
  if (!Number.isInteger(r) || r < 0 || r >= total) throw new RangeError(`random ${r} outside [0, ${total})`)
  let upTo = 0
  for (const p of prizes) {
    upTo += p.weight
    if (r < upTo) return p
  }
  return null
}

/** A prize's chance in percent with two decimals (for people; the draw itself uses the weights). */
export const chancePct = (weight: number, total: number): number => (total <= 0 ? 0 : Math.round((weight / total) * 10_000) / 100)

export type FreeReason = 'tier' | 'purchase'

/**
 * What one entry costs: nothing when the draw is free, or for a listed tier, or with an unused
 * qualifying receipt (that receipt is then used up); otherwise the draw's entry points.
 */
export const entryCost = (draw: { entryPoints: number; freeTiers: string[] | null }, member: { tierCode: string | null; hasFreeReceipt: boolean }):
  { points: number; freeReason: FreeReason | null } => {
  if (draw.entryPoints === 0) return { points: 0, freeReason: null }
  if (member.tierCode !== null && (draw.freeTiers ?? []).includes(member.tierCode)) return { points: 0, freeReason: 'tier' }
  if (member.hasFreeReceipt) return { points: 0, freeReason: 'purchase' }
  return { points: draw.entryPoints, freeReason: null }
}

/** Which limit one more entry would break, given the member's entries so far (in the draw, today). */
export const limitBroken = (draw: { perMemberLimit: number | null; perDayLimit: number | null }, counts: { total: number; today: number }): 'member' | 'day' | null => {
  if (draw.perMemberLimit !== null && counts.total >= draw.perMemberLimit) return 'member'
  if (draw.perDayLimit !== null && counts.today >= draw.perDayLimit) return 'day'
  return null
}

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
const isInstant = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))

/** Everything wrong with a draw's definition, each with its field (prizes.N.field for a prize). */
export const validateDraw = (input: DrawInput): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  const name = input.name?.trim() ?? ''
  if (name.length < 1 || name.length > 60) out.push({ field: 'name', reason: 'a name of 1 to 60 characters' })
  if ((input.description ?? '').length > 500) out.push({ field: 'description', reason: 'at most 500 characters' })
  if (!isInstant(input.startsAt)) out.push({ field: 'startsAt', reason: 'an ISO-8601 instant' })
  if (!isInstant(input.endsAt)) out.push({ field: 'endsAt', reason: 'an ISO-8601 instant' })
  else if (isInstant(input.startsAt) && Date.parse(input.endsAt) <= Date.parse(input.startsAt)) out.push({ field: 'endsAt', reason: 'after the start' })
  if (!isInt(input.entryPoints, 0, MAX_POINTS)) out.push({ field: 'entryPoints', reason: `a whole number of points from 0 to ${MAX_POINTS}` })
  const tiers = input.freeTiers ?? []
  if (tiers.length > 20 || tiers.some((t) => typeof t !== 'string' || t.length < 1 || t.length > 32)) out.push({ field: 'freeTiers', reason: 'up to 20 tier codes' })
  if (input.freeMinSpend != null && !isInt(input.freeMinSpend, 1, MAX_FEN)) out.push({ field: 'freeMinSpend', reason: 'a positive amount in fen' })
  if (input.perMemberLimit != null && !isInt(input.perMemberLimit, 1, MAX_LIMIT)) out.push({ field: 'perMemberLimit', reason: `from 1 to ${MAX_LIMIT}, or none` })
  if (input.perDayLimit != null && !isInt(input.perDayLimit, 1, MAX_LIMIT)) out.push({ field: 'perDayLimit', reason: `from 1 to ${MAX_LIMIT}, or none` })
  if (!isInt(input.noPrizeWeight, 0, MAX_WEIGHT)) out.push({ field: 'noPrizeWeight', reason: `a whole number from 0 to ${MAX_WEIGHT}` })
  const prizes = input.prizes ?? []
  if (prizes.length > MAX_PRIZES) out.push({ field: 'prizes', reason: `at most ${MAX_PRIZES} prizes` })
  prizes.forEach((p, i) => {
    const f = (name: string) => `prizes.${i}.${name}`
    const pn = p.name?.trim() ?? ''
    if (pn.length < 1 || pn.length > 60) out.push({ field: f('name'), reason: 'a name of 1 to 60 characters' })
    if (!isInt(p.stock, 0, MAX_STOCK)) out.push({ field: f('stock'), reason: `a whole number from 0 to ${MAX_STOCK}` })
    if (!isInt(p.weight, 0, MAX_WEIGHT)) out.push({ field: f('weight'), reason: `a whole number from 0 to ${MAX_WEIGHT}` })
    if (p.kind === 'points' && !isInt(p.points, 1, MAX_POINTS)) out.push({ field: f('points'), reason: `the points given, 1 to ${MAX_POINTS}` })
    if (p.kind === 'coupon' && !p.couponTemplateId) out.push({ field: f('couponTemplateId'), reason: 'the coupon template given' })
    if (p.kind === 'gift' && !p.giftId) out.push({ field: f('giftId'), reason: 'the gift given' })
    if (!['points', 'coupon', 'gift'].includes(p.kind)) out.push({ field: f('kind'), reason: 'coupon, points or gift' })
  })
  if (input.fallbackPrize != null && !isInt(input.fallbackPrize, 1, prizes.length)) {
    out.push({ field: 'fallbackPrize', reason: 'the position of one of the prizes (from 1), or none' })
  }
  if (out.length === 0 && totalWeight(prizes, input.noPrizeWeight) <= 0) out.push({ field: 'noPrizeWeight', reason: 'the weights add up to 0: nothing could be drawn' })
  return out
}
