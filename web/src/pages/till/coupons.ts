import type { Quote, SaleBody } from './types.js'

// Coupons at the till: the codes the cashier applies (typed, scanned, or picked from the
// member's usable ones), and the coupon tenders the sale carries for them.

/** What a coupon's QR code holds: this prefix and the code. */
export const COUPON_QR_PREFIX = 'PATRON:CPN:'
/** The most coupons one receipt takes (the quote refuses more). */
export const MAX_COUPONS = 10

/** A code as the server reads it: the QR prefix, spaces, dashes and case do not matter. */
export const normalizeCouponCode = (raw: string): string => {
  let s = raw.trim().toUpperCase()
  if (s.startsWith(COUPON_QR_PREFIX)) s = s.slice(COUPON_QR_PREFIX.length)
  return s.replace(/[\s-]/g, '')
}

/** Whether a scan is a coupon's QR code (so the item box hands it on instead of looking up a product). */
export const isCouponScan = (raw: string): boolean => raw.trim().toUpperCase().startsWith(COUPON_QR_PREFIX)

export type AddCoupon = { codes: string[]; problem: null } | { codes: string[]; problem: 'empty' | 'duplicate' | 'tooMany' }

/** Adds a typed or scanned code to those applied, in the order applied (the quote applies them in it). */
export const addCouponCode = (codes: readonly string[], raw: string): AddCoupon => {
  const code = normalizeCouponCode(raw)
  if (!code || code.length > 64) return { codes: [...codes], problem: 'empty' }
  if (codes.includes(code)) return { codes: [...codes], problem: 'duplicate' }
  if (codes.length >= MAX_COUPONS) return { codes: [...codes], problem: 'tooMany' }
  return { codes: [...codes, code], problem: null }
}

export const removeCouponCode = (codes: readonly string[], code: string): string[] => codes.filter((c) => c !== code)

export type QuoteCoupon = Quote['coupons'][number]
export type UsableCoupon = Quote['usableCoupons'][number]

/** The applied coupons the quote accepted: each goes into the sale as a coupon tender. */
export const acceptedCoupons = (quote: Pick<Quote, 'coupons'>): QuoteCoupon[] => quote.coupons.filter((c) => c.ok)

/**
 * One coupon tender per accepted coupon: its discount on this basket (0 for a points multiplier,
 * which is still sent so the receipt consumes it) and its code as the reference.
 */
export const couponTenders = (coupons: ReadonlyArray<Pick<QuoteCoupon, 'code' | 'discount'>>): SaleBody['tenders'] =>
  coupons.map((c) => ({ kind: 'coupon', amount: c.discount, reference: c.code }))

/** The member's coupons not applied yet, the ones that apply to this basket first (as the quote sorts them). */
export const offeredCoupons = (quote: Pick<Quote, 'usableCoupons'>, applied: readonly string[]): UsableCoupon[] =>
  quote.usableCoupons.filter((c) => !applied.includes(c.code))
