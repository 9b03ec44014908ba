import type { ErrorDetail } from '../../shared/errors.js'
import { TENDER_KINDS } from '../../shared/tenders.js'
import type { LoyaltyPolicy, ProductMatch, RuleDefinition, Tier } from './loyalty.types.js'

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/
const CODE = /^[a-z][a-z0-9_]{0,31}$/

const isPositive = (n: unknown, max: number) => typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= max
const isBetween = (n: unknown, min: number, max: number) => typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max
const isCount = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 100_000_000
/** An instant the clock and Date can hold: no leap second, no 30th of February. */
const isInstant = (s: unknown): s is string => typeof s === 'string' && ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().slice(0, 19) === s.slice(0, 19)

const checkMatch = (m: ProductMatch | undefined, field: string, out: ErrorDetail[]) => {
  if (m === undefined) return
  for (const key of ['departments', 'categories', 'subcategories', 'brands', 'skus'] as const) {
    const list = m[key]
    if (list !== undefined && (!Array.isArray(list) || list.length > 500 || list.some((v) => typeof v !== 'string' || v.trim() === ''))) {
      out.push({ field: `${field}.${key}`, reason: 'a list of up to 500 non-empty names' })
    }
  }
}

/** Checks a rule's parameters; returns what is wrong, field by field. */
export const validateRuleDefinition = (input: { name: string; definition: RuleDefinition; validFrom: string; validTo?: string | null }): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  if (!input.name || input.name.trim().length === 0 || input.name.length > 60) out.push({ field: 'name', reason: 'required, at most 60 characters' })
  if (!isInstant(input.validFrom)) out.push({ field: 'validFrom', reason: 'an ISO-8601 UTC instant' })
  if (input.validTo != null && (!isInstant(input.validTo) || input.validTo <= input.validFrom)) out.push({ field: 'validTo', reason: 'an ISO-8601 UTC instant after validFrom' })
  const d = input.definition
  switch (d.kind) {
    case 'base':
      // Below 1 fen a point, a basket's points pass what the ledger holds (1e-300 made every sale fail).
      if (!isBetween(d.fenPerPoint, 1, 1_000_000)) out.push({ field: 'definition.fenPerPoint', reason: 'fen paid per point, 1 to 1000000 (100 = 1 point per ¥1)' })
      if (d.rounding !== 'floor' && d.rounding !== 'round') out.push({ field: 'definition.rounding', reason: 'floor or round' })
      if (!Array.isArray(d.excludeTenders) || d.excludeTenders.some((t) => !(TENDER_KINDS as readonly string[]).includes(t))) out.push({ field: 'definition.excludeTenders', reason: `tender kinds among ${TENDER_KINDS.join(', ')}` })
      checkMatch(d.exclude, 'definition.exclude', out)
      break
    case 'multiplier':
      if (!isPositive(d.factor, 100)) out.push({ field: 'definition.factor', reason: 'a factor above 0 and at most 100 (2 = double points)' })
      if (d.weekdays !== undefined && (!Array.isArray(d.weekdays) || d.weekdays.some((w) => !Number.isInteger(w) || w < 1 || w > 7))) out.push({ field: 'definition.weekdays', reason: 'ISO weekdays 1 (Monday) to 7 (Sunday)' })
      checkMatch(d.match, 'definition.match', out)
      break
    case 'birthday':
      if (!isPositive(d.factor, 100)) out.push({ field: 'definition.factor', reason: 'a factor above 0 and at most 100' })
      break
    case 'cap':
      if (d.perReceipt === undefined && d.perDay === undefined) out.push({ field: 'definition', reason: 'give perReceipt, perDay or both' })
      if (d.perReceipt !== undefined && !isCount(d.perReceipt)) out.push({ field: 'definition.perReceipt', reason: 'a whole number of points' })
      if (d.perDay !== undefined && !isCount(d.perDay)) out.push({ field: 'definition.perDay', reason: 'a whole number of points' })
      break
    default:
      out.push({ field: 'definition.kind', reason: 'base, multiplier, birthday or cap' })
  }
  return out
}

export const validateTiers = (tiers: Tier[]): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  if (tiers.length === 0 || tiers.length > 20) out.push({ field: 'tiers', reason: 'between 1 and 20 tiers' })
  const sorted = [...tiers].sort((a, b) => a.rank - b.rank)
  tiers.forEach((t, i) => {
    if (!CODE.test(t.code)) out.push({ field: `tiers[${i}].code`, reason: 'lower-case letters, digits and _' })
    if (!t.name || t.name.trim().length === 0 || t.name.length > 20) out.push({ field: `tiers[${i}].name`, reason: 'required, at most 20 characters' })
    if (!Number.isInteger(t.rank) || t.rank < 0 || t.rank > 1000) out.push({ field: `tiers[${i}].rank`, reason: 'a whole number from 0 to 1000' })
    if (!isCount(t.threshold)) out.push({ field: `tiers[${i}].threshold`, reason: 'a whole number of fen (or points) from 0' })
    if (!Number.isInteger(t.earnFactorPct) || t.earnFactorPct < 0 || t.earnFactorPct > 1000) out.push({ field: `tiers[${i}].earnFactorPct`, reason: 'percent of the base, 0 to 1000' })
  })
  if (new Set(tiers.map((t) => t.code)).size !== tiers.length) out.push({ field: 'tiers', reason: 'codes must be unique' })
  if (new Set(tiers.map((t) => t.rank)).size !== tiers.length) out.push({ field: 'tiers', reason: 'ranks must be unique' })
  if (sorted[0] && sorted[0].threshold !== 0) out.push({ field: 'tiers', reason: 'the lowest tier must have threshold 0: every member holds a tier' })
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.threshold <= sorted[i - 1]!.threshold) out.push({ field: 'tiers', reason: 'a higher rank needs a higher threshold' })
  }
  return out
}

export const validatePolicy = (p: LoyaltyPolicy): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  if (!Number.isInteger(p.pointValueFen) || p.pointValueFen < 1 || p.pointValueFen > 10_000) out.push({ field: 'pointValueFen', reason: 'fen per point, 1 to 10000' })
  if (!Number.isInteger(p.maxPointsPaymentPct) || p.maxPointsPaymentPct < 0 || p.maxPointsPaymentPct > 100) out.push({ field: 'maxPointsPaymentPct', reason: 'percent, 0 to 100' })
  const e = p.expiry
  if (!e || (e.mode === 'calendar_years' ? !(Number.isInteger(e.years) && e.years >= 0 && e.years <= 10) : e.mode === 'rolling_months' ? !(Number.isInteger(e.months) && e.months >= 1 && e.months <= 120) : true)) {
    out.push({ field: 'expiry', reason: 'calendar_years with years 0–10, or rolling_months with months 1–120' })
  }
  if (!Number.isInteger(p.expiringNoticeDays) || p.expiringNoticeDays < 0 || p.expiringNoticeDays > 365) out.push({ field: 'expiringNoticeDays', reason: 'days, 0 to 365' })
  if (p.tierBasis !== 'spend' && p.tierBasis !== 'points') out.push({ field: 'tierBasis', reason: 'spend or points' })
  if (!Number.isInteger(p.tierGraceDays) || p.tierGraceDays < 0 || p.tierGraceDays > 730) out.push({ field: 'tierGraceDays', reason: 'days, 0 to 730' })
  return out
}
