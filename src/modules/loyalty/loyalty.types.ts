import type { TenderKind } from '../../shared/tenders.js'
import type {
  EntryKind, LoyaltyRulesTable, MemberTierHistoryTable, PointsEntriesTable, PointsLotsTable, RuleKind, TierChangeReason, TiersTable,
} from './loyalty.table.js'

export type { EntryKind, RuleKind, TierChangeReason }

export type ExpiryPolicy =
  /** points earned in a calendar year expire at the end of year + `years` */
  | { mode: 'calendar_years'; years: number }
  /** points earned in a month expire at the end of month + `months` */
  | { mode: 'rolling_months'; months: number }

export interface LoyaltyPolicy {
  /** the cash value of one point, in fen (1 = 100 points pay ¥1) */
  pointValueFen: number
  /** the largest share of a receipt's total that points may pay, in percent */
  maxPointsPaymentPct: number
  expiry: ExpiryPolicy
  /** how many days ahead `points.expiring` is emitted */
  expiringNoticeDays: number
  /** what qualifies for a tier over the rolling 12 months */
  tierBasis: 'spend' | 'points'
  /** days a member may stay below the tier's threshold before the evaluation downgrades them */
  tierGraceDays: number
}

export const DEFAULT_POLICY: LoyaltyPolicy = {
  pointValueFen: 1,
  maxPointsPaymentPct: 50,
  expiry: { mode: 'calendar_years', years: 1 },
  expiringNoticeDays: 30,
  tierBasis: 'spend',
  tierGraceDays: 30,
}

/** Which products a rule covers; an empty or missing list does not restrict. */
export interface ProductMatch {
  departments?: string[]
  categories?: string[]
  subcategories?: string[]
  brands?: string[]
  skus?: string[]
}

export interface BaseRuleDefinition {
  kind: 'base'
  /** fen paid per point (100 = 1 point per ¥1) */
  fenPerPoint: number
  rounding: 'floor' | 'round'
  exclude?: ProductMatch
  /** tenders whose amount earns nothing (points and coupons by default) */
  excludeTenders: TenderKind[]
}

export interface MultiplierRuleDefinition {
  kind: 'multiplier'
  /** 2 = double points on the matching lines */
  factor: number
  match?: ProductMatch
  /** ISO weekdays 1 (Monday) … 7 (Sunday): a weekly member day */
  weekdays?: number[]
}

export interface BirthdayRuleDefinition {
  kind: 'birthday'
  /** applies in the member's birthday month */
  factor: number
}

export interface CapRuleDefinition {
  kind: 'cap'
  perReceipt?: number
  perDay?: number
}

export type RuleDefinition = BaseRuleDefinition | MultiplierRuleDefinition | BirthdayRuleDefinition | CapRuleDefinition

export interface EarningRule {
  id: string
  ruleKey: string
  version: number
  name: string
  kind: RuleKind
  definition: RuleDefinition
  storeIds: string[] | null
  regionIds: string[] | null
  validFrom: string
  validTo: string | null
  status: 'active' | 'disabled'
  createdBy: string | null
  createdAt: string
}

export const toEarningRule = (row: LoyaltyRulesTable): EarningRule => ({
  id: row.id,
  ruleKey: row.rule_key,
  version: row.version,
  name: row.name,
  kind: row.kind,
  definition: JSON.parse(row.definition) as RuleDefinition,
  storeIds: row.store_ids ? (JSON.parse(row.store_ids) as string[]) : null,
  regionIds: row.region_ids ? (JSON.parse(row.region_ids) as string[]) : null,
  validFrom: row.valid_from,
  validTo: row.valid_to,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at,
})

export interface Tier {
  code: string
  name: string
  rank: number
  threshold: number
  earnFactorPct: number
  memberPrices: boolean
}

export const toTier = (row: TiersTable): Tier => ({
  code: row.code, name: row.name, rank: row.rank, threshold: row.threshold, earnFactorPct: row.earn_factor_pct, memberPrices: row.member_prices === 1,
})

export interface LedgerEntry {
  id: string
  kind: EntryKind
  points: number
  balanceAfter: number
  receiptId: string | null
  /** the receipt's number, for people (the id is for links) */
  receiptNo: string | null
  storeId: string | null
  reference: string | null
  reason: string | null
  actorName: string | null
  createdAt: string
}

export const toLedgerEntry = (row: PointsEntriesTable & { receipt_no?: string | null }): LedgerEntry => ({
  id: row.id, kind: row.kind, points: row.points, balanceAfter: row.balance_after, receiptId: row.receipt_id, receiptNo: row.receipt_no ?? null, storeId: row.store_id,
  reference: row.reference, reason: row.reason, actorName: row.actor_name, createdAt: row.created_at,
})

export interface PointsLot {
  id: string
  expiresOn: string
  earned: number
  remaining: number
  createdAt: string
}

export const toLot = (row: PointsLotsTable): PointsLot => ({
  id: row.id, expiresOn: row.expires_on, earned: row.earned, remaining: row.remaining, createdAt: row.created_at,
})

export interface TierChange {
  id: string
  fromTier: string | null
  toTier: string
  reason: TierChangeReason
  qualifyingValue: number
  receiptId: string | null
  at: string
}

export const toTierChange = (row: MemberTierHistoryTable): TierChange => ({
  id: row.id, fromTier: row.from_tier, toTier: row.to_tier, reason: row.reason, qualifyingValue: row.qualifying_value, receiptId: row.receipt_id, at: row.at,
})

/** One line of "why these points": which rule gave how many. */
export interface EarnExplanation {
  ruleId: string | null
  name: string
  /** coupon: a points-multiplier coupon's bonus */
  kind: RuleKind | 'tier' | 'coupon'
  points: number
}
