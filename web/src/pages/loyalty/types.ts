import type { components, paths } from '../../api/schema.js'

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never

export type EarningRule = components['schemas']['EarningRule']
export type RuleDefinition = EarningRule['definition']
export type RuleKind = RuleDefinition['kind']
export type ProductMatch = NonNullable<Extract<RuleDefinition, { kind: 'multiplier' }>['match']>
export type TenderKind = Extract<RuleDefinition, { kind: 'base' }>['excludeTenders'][number]
export type RuleBody = NonNullable<paths['/api/v1/loyalty/rules']['post']['requestBody']>['content']['application/json']
export type EarnTestBody = NonNullable<paths['/api/v1/loyalty/earn-test']['post']['requestBody']>['content']['application/json']
export type EarnTestResult = Json<paths['/api/v1/loyalty/earn-test']['post']['responses']['200']>
export type Tier = Json<paths['/api/v1/loyalty/tiers']['get']['responses']['200']>[number]
export type Policy = Json<paths['/api/v1/loyalty/policy']['get']['responses']['200']>
export type Liability = Json<paths['/api/v1/loyalty/liability']['get']['responses']['200']>
export type DepartmentNode = Json<paths['/api/v1/products/tree']['get']['responses']['200']>[number]
export type Store = Json<paths['/api/v1/stores']['get']['responses']['200']>[number]
export type Region = Json<paths['/api/v1/regions']['get']['responses']['200']>[number]

export const RULE_KINDS = ['base', 'multiplier', 'birthday', 'cap'] as const satisfies readonly RuleKind[]
export const TENDER_KINDS = ['cash', 'bank_card', 'wechat_pay', 'alipay', 'points', 'coupon', 'stored_value', 'other'] as const satisfies readonly TenderKind[]
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const
