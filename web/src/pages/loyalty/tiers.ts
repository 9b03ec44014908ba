import type { FieldError } from '../../api/client.js'
import { fenToYuan, yuanToFen } from '../../shared/money.js'
import type { Policy, Tier } from './types.js'

// The tier ladder in the form: thresholds are fen of spend (shown in yuan) or points, by the
// policy's tier basis.

export interface TierRow {
  code: string
  name: string
  rank: number
  threshold: number
  earnFactorPct: number
  memberPrices: boolean
}

export type TierBasis = Policy['tierBasis']

export const toTierRows = (tiers: readonly Tier[], basis: TierBasis): TierRow[] =>
  [...tiers].sort((a, b) => a.rank - b.rank).map((t) => ({ ...t, threshold: basis === 'spend' ? fenToYuan(t.threshold) : t.threshold }))

export const toTiers = (rows: readonly TierRow[], basis: TierBasis): Tier[] =>
  rows.map((r) => ({
    code: r.code.trim(), name: r.name.trim(), rank: r.rank, threshold: basis === 'spend' ? yuanToFen(r.threshold) : Math.round(r.threshold),
    earnFactorPct: r.earnFactorPct, memberPrices: r.memberPrices,
  }))

/** A new top tier: one rank and (a round step) above the highest. */
export const nextTierRow = (rows: readonly TierRow[]): TierRow => {
  const top = [...rows].sort((a, b) => b.rank - a.rank)[0]
  return {
    code: '', name: '', rank: top ? top.rank + 1 : 0, threshold: top ? top.threshold * 2 || 1000 : 0,
    earnFactorPct: top ? top.earnFactorPct : 100, memberPrices: top ? top.memberPrices : true,
  }
}

/** A server field (`tiers[1].threshold`) as a form name path (`['tiers', 1, 'threshold']`). */
export const fieldPath = (field: string): Array<string | number> =>
  field.split('.').flatMap((part) => {
    const m = /^([^[\]]*)((?:\[\d+\])+)$/.exec(part)
    if (!m) return [part]
    const indexes = [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))
    return m[1] ? [m[1], ...indexes] : indexes
  })

/** Server details split into those on a tier's field and those about the whole ladder. */
export const splitTierErrors = (details: readonly FieldError[]): { fields: Array<{ name: Array<string | number>; errors: string[] }>; ladder: string[] } => {
  const fields = new Map<string, { name: Array<string | number>; errors: string[] }>()
  const ladder: string[] = []
  for (const d of details) {
    const name = fieldPath(d.field)
    if (name[0] === 'tiers' && name.length >= 3) {
      const key = JSON.stringify(name)
      const entry = fields.get(key) ?? { name, errors: [] }
      entry.errors.push(d.reason)
      fields.set(key, entry)
    } else if (!ladder.includes(d.reason)) ladder.push(d.reason)
  }
  return { fields: [...fields.values()], ladder }
}
