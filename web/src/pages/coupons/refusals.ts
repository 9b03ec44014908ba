import type { TFunction } from 'i18next'
import { REFUSALS, type Refusal } from './types.js'

// Why a coupon does not apply, in the user's words. The quote gives a code (translated here) and
// an English sentence; the figures in that sentence (dates, amounts, names) are read out of it so
// the translation can say them too.

type T = TFunction<'coupons'>

const isRefusal = (code: string | null): code is Refusal => code !== null && (REFUSALS as readonly string[]).includes(code)

/** ¥12.5 or ¥12.50 as the console writes money: ¥12.50. */
const money = (text: string) => `¥${Number(text).toFixed(2)}`

type Detail = { key: `refusalDetails.${string}`; values: Record<string, string> }

const details = (refusal: Refusal, reason: string, tierName: (code: string) => string): Detail | null => {
  let m: RegExpExecArray | null
  switch (refusal) {
    case 'expired':
      return (m = /expired on (\d{4}-\d{2}-\d{2})/.exec(reason)) ? { key: 'refusalDetails.expired', values: { date: m[1]! } } : null
    case 'not_yet_valid':
      return (m = /valid from (\d{4}-\d{2}-\d{2})/.exec(reason)) ? { key: 'refusalDetails.not_yet_valid', values: { date: m[1]! } } : null
    case 'tier':
      return (m = /needs tier (\S+) or above/.exec(reason)) ? { key: 'refusalDetails.tier', values: { tier: tierName(m[1]!) } } : null
    case 'below_threshold':
      return (m = /come to ¥([\d.]+); it needs ¥([\d.]+) \(¥([\d.]+) more\)/.exec(reason))
        ? { key: 'refusalDetails.below_threshold', values: { have: money(m[1]!), need: money(m[2]!), more: money(m[3]!) } }
        : null
    case 'not_stackable':
      return (m = /together with "(.*)"$/.exec(reason)) ? { key: 'refusalDetails.not_stackable', values: { name: m[1]! } } : null
    case 'same_template':
      return (m = /only one "(.*)" coupon/.exec(reason)) ? { key: 'refusalDetails.same_template', values: { name: m[1]! } } : null
    case 'no_eligible_lines':
      return (m = /the basket has no (\S+)$/.exec(reason)) ? { key: 'refusalDetails.no_eligible_lines', values: { sku: m[1]! } } : null
    default:
      return null
  }
}

/**
 * A refusal in words: the translated code, with the dates, amounts or names the server's reason
 * carries where it has them. An unknown code shows the server's sentence as it is.
 */
export const refusalText = (t: T, refusal: string | null, reason: string | null, tierName: (code: string) => string = (c) => c): string => {
  if (!isRefusal(refusal)) return reason ?? t('refusals.unknown')
  const d = reason ? details(refusal, reason, tierName) : null
  return d ? (t(d.key as never, d.values) as string) : t(`refusals.${refusal}`)
}
