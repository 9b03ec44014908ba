// The RFM cut points in words: what each score 5…1 stands for in days, purchases and money.

export interface RfmCuts {
  /** days: score 5 if ≤ r[0], 4 if ≤ r[1], 3 if ≤ r[2], 2 if ≤ r[3], else 1 */
  r: readonly number[]
  /** receipts: score 2 if ≥ f[0], 3 if ≥ f[1], 4 if ≥ f[2], 5 if ≥ f[3], else 1 */
  f: readonly number[]
  /** fen, as f */
  m: readonly number[]
}

/** A whole-number range, either end open; empty when no value falls in it (two equal cuts). */
export interface Range { lo: number | null; hi: number | null; empty: boolean }

const range = (lo: number | null, hi: number | null): Range => ({ lo, hi, empty: lo !== null && hi !== null && lo > hi })

/** Days since the last purchase for each score, 5 first: 5 = 0…r[0], 4 = r[0]+1…r[1], …, 1 = above r[3]. */
export const recencyRanges = (r: readonly number[]): Range[] => [
  range(0, Math.floor(r[0]!)),
  range(Math.floor(r[0]!) + 1, Math.floor(r[1]!)),
  range(Math.floor(r[1]!) + 1, Math.floor(r[2]!)),
  range(Math.floor(r[2]!) + 1, Math.floor(r[3]!)),
  range(Math.floor(r[3]!) + 1, null),
]

/**
 * Purchases or fen for each score, 5 first: 5 = f[3] and above, 4 = f[2]…f[3]−1, …, 1 = below f[0]
 * (the values are whole: receipts and fen).
 */
export const ascendingRanges = (cuts: readonly number[], least = 1): Range[] => {
  const c = cuts.map((x) => Math.ceil(x))
  return [
    range(c[3]!, null),
    range(c[2]!, c[3]! - 1),
    range(c[1]!, c[2]! - 1),
    range(c[0]!, c[1]! - 1),
    range(least, c[0]! - 1),
  ]
}

/** A range as text with the unit's formatter: "3–5", "≥ 8", "≤ 30", or "—" when empty. */
export const rangeText = (x: Range, format: (n: number) => string = String): string => {
  if (x.empty) return '—'
  if (x.lo !== null && x.hi !== null) return x.lo === x.hi ? format(x.lo) : `${format(x.lo)} – ${format(x.hi)}`
  if (x.lo !== null) return `≥ ${format(x.lo)}`
  if (x.hi !== null) return `≤ ${format(x.hi)}`
  return '—'
}

export interface CutRow {
  score: number
  r: string
  f: string
  m: string
}

/** The cut-point table: a row per score, 5 first, each letter's range in its unit. */
export const cutRows = (cuts: RfmCuts, money: (fen: number) => string): CutRow[] => {
  const r = recencyRanges(cuts.r)
  const f = ascendingRanges(cuts.f)
  const m = ascendingRanges(cuts.m)
  return [5, 4, 3, 2, 1].map((score, i) => ({ score, r: rangeText(r[i]!), f: rangeText(f[i]!), m: rangeText(m[i]!, money) }))
}

/** The arrows of an RFM class: important_develop → "R↑ F↓ M↑". */
export const CLASS_ARROWS: Record<string, string> = {
  important_value: 'R↑ F↑ M↑',
  important_develop: 'R↑ F↓ M↑',
  important_keep: 'R↓ F↑ M↑',
  important_retain: 'R↓ F↓ M↑',
  general_value: 'R↑ F↑ M↓',
  general_develop: 'R↑ F↓ M↓',
  general_keep: 'R↓ F↑ M↓',
  general_retain: 'R↓ F↓ M↓',
}
