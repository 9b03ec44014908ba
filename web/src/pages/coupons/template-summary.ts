import type { TFunction } from 'i18next'
import type { CouponScope, CouponTemplate, Stacking } from './types.js'

// Templates in words, as a supermarket writes them on the shelf: 满100减20, 9折 最高减50元, 2倍积分.

type T = TFunction<'rewards', 'coupons'>

/** Fen as a short yuan number: 10000 → 100, 1250 → 12.5, 1205 → 12.05. */
export const shortYuan = (fen: number): string => String(Number((fen / 100).toFixed(2)))

/** Percent off as the Chinese 折 (the share still paid, in tenths): 10 → 9, 15 → 8.5, 12 → 8.8. */
export const zheOf = (percentOff: number): string => String(Number(((100 - percentOff) / 10).toFixed(1)))

/** A multiplier × 100 as people write it: 200 → 2, 150 → 1.5. */
export const factorOf = (valuePct: number): string => String(Number((valuePct / 100).toFixed(2)))

export type Offer = Pick<CouponTemplate, 'kind' | 'value'> & Partial<Pick<CouponTemplate, 'maxDiscount' | 'minSpend' | 'freeSku'>>

/** What a coupon gives, in one line (with its minimum spend when it has one). */
export const summarizeOffer = (o: Offer, t: T): string => {
  const min = o.minSpend ?? 0
  switch (o.kind) {
    case 'threshold':
      return t('summary.threshold', { min: shortYuan(min), value: shortYuan(o.value) })
    case 'amount':
      return min > 0 ? t('summary.threshold', { min: shortYuan(min), value: shortYuan(o.value) }) : t('summary.amount', { value: shortYuan(o.value) })
    case 'percent': {
      const parts: string[] = [o.maxDiscount != null
        ? t('summary.percentCap', { zhe: zheOf(o.value), pct: o.value, cap: shortYuan(o.maxDiscount) })
        : t('summary.percent', { zhe: zheOf(o.value), pct: o.value })]
      if (min > 0) parts.push(t('summary.minSpend', { min: shortYuan(min) }))
      return parts.join(t('summary.separator'))
    }
    case 'free_item': {
      const parts: string[] = [t('summary.freeItem', { sku: o.freeSku ?? '', n: o.value })]
      if (min > 0) parts.push(t('summary.minSpend', { min: shortYuan(min) }))
      return parts.join(t('summary.separator'))
    }
    case 'points_multiplier': {
      const parts: string[] = [t('summary.multiplier', { factor: factorOf(o.value) })]
      if (min > 0) parts.push(t('summary.minSpend', { min: shortYuan(min) }))
      return parts.join(t('summary.separator'))
    }
  }
}

/** How long a template's coupons are good for: N days from issue, or fixed dates. */
export const validityText = (v: Pick<CouponTemplate, 'validFrom' | 'validTo' | 'validDays'>, t: T): string => {
  if (v.validDays != null) return t('validity.days', { days: v.validDays })
  if (v.validFrom && v.validTo) return t('validity.fixed', { from: v.validFrom, to: v.validTo })
  if (v.validTo) return t('validity.until', { to: v.validTo })
  if (v.validFrom) return t('validity.since', { from: v.validFrom })
  return t('validity.open')
}

const SCOPE_KEYS = ['departments', 'categories', 'subcategories', 'brands', 'skus'] as const

/** The goods a template covers: all, or the departments, categories, brands and SKUs it names. */
export const goodsText = (scope: CouponScope | null, t: T): string => {
  const parts = SCOPE_KEYS.filter((k) => (scope?.[k]?.length ?? 0) > 0)
    .map((k) => t(`scope.${k}`, { names: scope![k]!.join(t('scope.listSeparator')) }))
  return parts.length ? parts.join(t('scope.separator')) : t('scope.allGoods')
}

/** Where and for whom: stores or regions (or everywhere), and the minimum tier. */
export const placesText = (
  v: Pick<CouponTemplate, 'storeIds' | 'regionIds' | 'minTier'>,
  names: { store: (id: string) => string; region: (id: string) => string; tier: (code: string) => string },
  t: T,
): string => {
  const parts: string[] = []
  if (v.regionIds?.length) parts.push(t('scope.regions', { names: v.regionIds.map(names.region).join(t('scope.listSeparator')) }))
  if (v.storeIds?.length) parts.push(t('scope.stores', { names: v.storeIds.map(names.store).join(t('scope.listSeparator')) }))
  if (parts.length === 0) parts.push(t('scope.everywhere'))
  if (v.minTier) parts.push(t('scope.minTier', { tier: names.tier(v.minTier) }))
  return parts.join(t('scope.separator'))
}

/** Which coupons it combines with on one receipt. */
export const stackingText = (v: { stacking: Stacking; stacksWith: readonly string[] }, templateName: (id: string) => string, t: T): string =>
  v.stacking === 'listed'
    ? t('stackingText.listed', { names: v.stacksWith.map(templateName).join(t('scope.listSeparator')) })
    : t(`stackingText.${v.stacking}`)

/** A budget used so far against its maximum: "120 / 1,000", or just the count when unlimited. */
export const budgetText = (used: string, max: string | null, t: T): string => (max === null ? t('budget.unlimited', { used }) : t('budget.of', { used, max }))

/** used ÷ issued as a percentage with one decimal: 0.1234 → 12.3%. */
export const rateText = (rate: number): string => `${(rate * 100).toFixed(1)}%`

/** A coupon code as printed: groups of four (ABCD EFGH JKLM NPQR). */
export const groupCode = (code: string): string => code.replace(/(.{4})(?=.)/g, '$1 ')
