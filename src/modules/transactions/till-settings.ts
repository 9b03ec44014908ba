import type { ErrorDetail } from '../../shared/errors.js'

/**
 * What HQ sets for the tills and the service desks of the chain: how the in-store scale labels
 * are laid out, and above what refund a desk return needs a store manager.
 */
export interface TillSettings {
  /**
   * The scale label layout, one letter per digit: a digit must be itself, P the PLU (the
   * product's SKU as the scale knows it), W the weight in grams or M the price in fen, X a digit
   * ignored (a flag, a price check), C the check digit at the end. Default `2PPPPPPWWWWWC`:
   * EAN-13, 2, a six-digit PLU, five digits of grams, the check digit.
   */
  scaleLayout: string
  /** fen: a desk return refunding more than this waits for a store manager; null: never */
  returnApprovalAbove: number | null
}

export const DEFAULT_TILL_SETTINGS: TillSettings = { scaleLayout: '2PPPPPPWWWWWC', returnApprovalAbove: 20_000 }

/** The till settings HQ may let a store set for itself (a store's own scales; its own return limit). */
export const STORE_SETTING_KEYS = ['scaleLayout', 'returnApprovalAbove'] as const
export type StoreSettingKey = (typeof STORE_SETTING_KEYS)[number]

/** HQ's till settings, and which of them a store may change. */
export interface ChainTillSettings extends TillSettings {
  /** the settings a store's manager (or its region's) may set for the store; the rest are HQ's for every store */
  storeOverridable: StoreSettingKey[]
}

/**
 * A store's effective settings: its own value of each setting HQ lets stores change, HQ's of the
 * rest (a value a store set before HQ locked the setting is kept but not used: HQ's applies).
 */
export const effectiveTillSettings = (hq: ChainTillSettings, overrides: Partial<TillSettings>): TillSettings => {
  const out: TillSettings = { scaleLayout: hq.scaleLayout, returnApprovalAbove: hq.returnApprovalAbove }
  for (const key of hq.storeOverridable) {
    if (overrides[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = overrides[key]
  }
  return out
}

/** Why a scale layout cannot be read, or null. */
export const scaleLayoutProblem = (layout: string): string | null => {
  if (typeof layout !== 'string' || !/^[0-9PWMXC]{8,18}$/.test(layout)) return '8 to 18 of: digits, P, W, M, X, C'
  if (!/^[0-9]/.test(layout)) return 'starts with the digit that marks a scale label (2 for EAN-13 in-store codes)'
  const runs = (letter: string) => layout.match(new RegExp(`${letter}+`, 'g')) ?? []
  if (runs('P').length !== 1) return 'one run of P (the PLU)'
  if (runs('W').length + runs('M').length !== 1) return 'one run of W (grams) or of M (price in fen)'
  if ([...runs('W'), ...runs('M')][0]!.length > 6) return 'at most 6 digits of weight or price'
  if (layout.indexOf('C') !== -1 && layout.indexOf('C') !== layout.length - 1) return 'C (the check digit) only at the end'
  return null
}

export const checkTillSettings = (input: Partial<TillSettings>): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  if (input.scaleLayout !== undefined) {
    const problem = scaleLayoutProblem(input.scaleLayout)
    if (problem) out.push({ field: 'scaleLayout', reason: problem })
  }
  const above = input.returnApprovalAbove
  if (above !== undefined && above !== null && (!Number.isInteger(above) || above < 0 || above > 100_000_000)) {
    out.push({ field: 'returnApprovalAbove', reason: 'fen, a whole number from 0 to 100000000, or null for never' })
  }
  return out
}
