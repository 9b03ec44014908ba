// How a receipt is paid: the till (transactions) writes these and loyalty's earn rules exclude
// some of them, so they live where both may import them.
export const TENDER_KINDS = ['cash', 'bank_card', 'wechat_pay', 'alipay', 'points', 'coupon', 'stored_value', 'other'] as const
export type TenderKind = (typeof TENDER_KINDS)[number]
