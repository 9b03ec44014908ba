import type { Dayjs } from 'dayjs'
import { yuanToFen } from '../../shared/money.js'
import type { EarnTestBody } from './types.js'
import { fromZoneWallTime } from './zone-time.js'

// The tester's small basket: each line is a SKU, or a department, category or brand standing
// for a product of it, with an amount in yuan.

export const LINE_KINDS = ['department', 'category', 'brand', 'sku'] as const
export type LineKind = (typeof LINE_KINDS)[number]

export interface BasketLine {
  by: LineKind
  value?: string
  amount?: number | null
}

export interface TesterValues {
  storeId: string
  /** empty: now */
  at?: Dayjs | null
  tierCode?: string | null
  birthday?: Dayjs | null
  lines: BasketLine[]
  /** yuan paid with points and coupons (they earn nothing under the usual base rule) */
  pointsPaid?: number | null
  couponPaid?: number | null
}

/** Lines with an amount, the ones the tester sends (in the form's order). */
export const filledLines = (lines: readonly BasketLine[]): BasketLine[] =>
  lines.filter((l) => l.amount !== null && l.amount !== undefined && l.amount >= 0 && (l.value ?? '').trim() !== '')

/** The earn-test request for the form; the rest of the total is paid in cash. */
export const toEarnTestBody = (v: TesterValues, tz: string): EarnTestBody => {
  const lines = filledLines(v.lines).map((l) => ({ [l.by]: l.value!.trim(), amount: yuanToFen(l.amount!) }))
  const total = lines.reduce((a, l) => a + l.amount, 0)
  const points = yuanToFen(v.pointsPaid ?? 0)
  const coupon = yuanToFen(v.couponPaid ?? 0)
  const cash = total - points - coupon
  const tenders: NonNullable<EarnTestBody['tenders']> = [
    ...(points > 0 ? [{ kind: 'points' as const, amount: points }] : []),
    ...(coupon > 0 ? [{ kind: 'coupon' as const, amount: coupon }] : []),
    ...(cash > 0 ? [{ kind: 'cash' as const, amount: cash }] : []),
  ]
  return {
    storeId: v.storeId,
    ...(v.at ? { businessAt: fromZoneWallTime(v.at, tz) } : {}),
    tierCode: v.tierCode || null,
    birthday: v.birthday ? v.birthday.format('YYYY-MM-DD') : null,
    lines,
    tenders,
  }
}
