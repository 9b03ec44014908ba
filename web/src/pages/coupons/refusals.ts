import type { TFunction } from 'i18next'
import type { Quote } from '../till/types.js'
import { REFUSALS, type Refusal } from './types.js'

// Why a coupon does not apply, in the user's words: the quote gives a code (translated here) and
// the figures behind it (`facts`: dates, amounts in fen, names), which the translation says too.

type T = TFunction<'rewards', 'coupons'>

/** The figures the quote gives with a refusal. */
export type RefusalFacts = NonNullable<Quote['coupons'][number]['facts']>

const isRefusal = (code: string | null): code is Refusal => code !== null && (REFUSALS as readonly string[]).includes(code)

const money = (fen: number) => `¥${(fen / 100).toFixed(2)}`

type Detail = { key: `refusalDetails.${string}`; values: Record<string, string> }

const details = (refusal: Refusal, f: RefusalFacts, tierName: (code: string) => string): Detail | null => {
  switch (refusal) {
    case 'expired':
    case 'not_yet_valid':
      return f.date ? { key: `refusalDetails.${refusal}`, values: { date: f.date } } : null
    case 'tier':
      return f.tier ? { key: 'refusalDetails.tier', values: { tier: tierName(f.tier) } } : null
    case 'below_threshold':
      return f.have !== undefined && f.need !== undefined
        ? { key: 'refusalDetails.below_threshold', values: { have: money(f.have), need: money(f.need), more: money(f.need - f.have) } }
        : null
    case 'not_stackable':
    case 'same_template':
      return f.other ? { key: `refusalDetails.${refusal}`, values: { name: f.other } } : null
    case 'no_eligible_lines':
      return f.sku ? { key: 'refusalDetails.no_eligible_lines', values: { sku: f.sku } } : null
    default:
      return null
  }
}

/**
 * A refusal in words: the translated code, with the dates, amounts or names of its facts where it
 * has them. An unknown code shows the server's sentence as it is.
 */
export const refusalText = (t: T, refusal: string | null, reason: string | null, facts: RefusalFacts | null = null, tierName: (code: string) => string = (c) => c): string => {
  if (!isRefusal(refusal)) return reason ?? t('refusals.unknown')
  const d = facts ? details(refusal, facts, tierName) : null
  return d ? (t(d.key as never, d.values) as string) : t(`refusals.${refusal}`)
}
