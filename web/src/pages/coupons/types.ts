import type { components, paths } from '../../api/schema.js'

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never

export type CouponTemplate = components['schemas']['CouponTemplate']
export type Coupon = components['schemas']['Coupon']
export type TemplateBody = NonNullable<paths['/api/v1/coupon-templates']['post']['requestBody']>['content']['application/json']
export type TemplateKind = CouponTemplate['kind']
export type TemplateStatus = CouponTemplate['status']
export type Stacking = CouponTemplate['stacking']
export type CouponStatus = Coupon['status']
export type CouponSource = Coupon['source']
export type CouponScope = NonNullable<CouponTemplate['scope']>
export type CouponReport = Json<paths['/api/v1/coupon-reports']['get']['responses']['200']>[number]
export type BulkIssueResult = Json<paths['/api/v1/coupon-templates/{id}/issues']['post']['responses']['200']>
export type IssueRun = Json<paths['/api/v1/coupon-templates/{id}/issues']['get']['responses']['200']>[number]

// Each list checked against the generated API types: a value the server adds or drops fails to compile here.
const keysOf = <K extends string>(record: Record<K, true>): K[] => Object.keys(record) as K[]

export const TEMPLATE_KINDS = keysOf<TemplateKind>({ threshold: true, amount: true, percent: true, free_item: true, points_multiplier: true })
export const TEMPLATE_STATUSES = keysOf<TemplateStatus>({ active: true, paused: true, archived: true })
export const STACKINGS = keysOf<Stacking>({ none: true, all: true, listed: true })
export const COUPON_STATUSES = keysOf<CouponStatus>({ issued: true, used: true, expired: true, voided: true })

/** Why a coupon does not apply to a basket (the quote's `refusal`). */
export const REFUSALS = [
  'not_found', 'not_yours', 'no_member', 'used', 'voided', 'expired', 'not_yet_valid', 'template_inactive',
  'wrong_store', 'tier', 'below_threshold', 'no_eligible_lines', 'not_stackable', 'same_template', 'budget_exhausted',
] as const
export type Refusal = (typeof REFUSALS)[number]

export const TEMPLATE_STATUS_COLORS: Record<TemplateStatus, string> = { active: 'green', paused: 'orange', archived: 'default' }
export const COUPON_STATUS_COLORS: Record<CouponStatus, string> = { issued: 'blue', used: 'green', expired: 'default', voided: 'red' }
export const KIND_COLORS: Record<TemplateKind, string> = { threshold: 'red', amount: 'volcano', percent: 'orange', free_item: 'cyan', points_multiplier: 'gold' }
