// "Frequently bought together" on the product drawer: the periods offered and how the rules'
// figures are written (README, Association rules: support, confidence, lift).

/** The periods the drawer offers, in days to today, and the one it starts with (the API's default). */
export const TOGETHER_DAYS = [30, 90, 180, 365] as const
export type TogetherDays = (typeof TOGETHER_DAYS)[number]
export const DEFAULT_TOGETHER_DAYS: TogetherDays = 90

/** How many products the drawer lists. */
export const TOGETHER_LIMIT = 10

/**
 * A share (0–1) as a percentage with `digits` decimals: 0.2857 → "28.6%"; supports are small,
 * so they get two (0.0093 → "0.93%"). "—" for what is not a number.
 */
export const formatPercent = (share: number | null | undefined, digits = 1): string =>
  share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(digits)}%`

/** A lift with two decimals ("7.64"): above 1, bought together more often than by chance. */
export const formatLift = (lift: number): string => (Number.isFinite(lift) ? lift.toFixed(2) : '—')
