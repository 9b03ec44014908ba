import type { Schemas } from '../../api/client.js'
import type { paths } from '../../api/schema.js'

export type QuoteBody = paths['/api/v1/pos/quote']['post']['requestBody']['content']['application/json']
export type Quote = paths['/api/v1/pos/quote']['post']['responses']['200']['content']['application/json']
export type SaleBody = paths['/api/v1/pos/receipts']['post']['requestBody']['content']['application/json']
export type PostResult = Schemas['PostResult']
export type Product = Schemas['Product']
export type TenderKind = SaleBody['tenders'][number]['kind']
export type Unit = NonNullable<QuoteBody['lines'][number]['unit']>
export type MemberPoints = paths['/api/v1/members/{id}/points']['get']['responses']['200']['content']['application/json']
export type Tier = paths['/api/v1/loyalty/tiers']['get']['responses']['200']['content']['application/json'][number]

/** What the console till takes: the tenders a cashier picks (points are used beside them). */
export const TILL_TENDERS = ['cash', 'bank_card', 'wechat_pay', 'alipay'] as const satisfies readonly TenderKind[]
export type TillTender = (typeof TILL_TENDERS)[number]
