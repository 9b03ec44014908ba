import dayjs, { type Dayjs } from 'dayjs'
import { ApiError } from '../../api/client.js'
import { classesFromMatch, matchFromClasses } from '../loyalty/rule-form.js'
import { fenToYuan, optionalYuanToFen, yuanToFen } from '../../shared/money.js'
import type { DepartmentNode } from '../loyalty/types.js'
import type { CouponScope, CouponTemplate, Stacking, TemplateBody, TemplateKind } from './types.js'

// The template form's flat values and the API's body, both ways. Money is typed in yuan; the
// products come from the same department tree as the earning rules (rule-form.ts).

export type ValidityMode = 'days' | 'fixed'

export interface TemplateFormValues {
  name: string
  description?: string | null
  kind: TemplateKind
  /**
   * amount / threshold: yuan off; percent: percent off (10 = 9折); free_item: pieces free;
   * points_multiplier: the factor (2 = double points)
   */
  value?: number | null
  /** percent: the most yuan one coupon takes off */
  maxDiscount?: number | null
  /** yuan the covered goods must come to */
  minSpend?: number | null
  freeSku?: string | null
  classes?: string[]
  brands?: string[]
  skus?: string[]
  storeIds?: string[]
  regionIds?: string[]
  minTier?: string | null
  validity: ValidityMode
  validDays?: number | null
  validFrom?: Dayjs | null
  validTo?: Dayjs | null
  stacking: Stacking
  stacksWith?: string[]
  restoreOnReturn: boolean
  autoIssue: boolean
  maxIssued?: number | null
  /** yuan of discount the template may give in all */
  maxRedeemedValue?: number | null
}

/** A sensible value to start from when the kind is picked. */
export const defaultValueFor = (kind: TemplateKind): Pick<TemplateFormValues, 'value' | 'minSpend' | 'maxDiscount'> => {
  switch (kind) {
    case 'threshold': return { value: 20, minSpend: 100, maxDiscount: null }
    case 'amount': return { value: 10, minSpend: 0, maxDiscount: null }
    case 'percent': return { value: 10, minSpend: 0, maxDiscount: 50 }
    case 'free_item': return { value: 1, minSpend: 0, maxDiscount: null }
    case 'points_multiplier': return { value: 2, minSpend: 0, maxDiscount: null }
  }
}

export const newTemplateValues = (kind: TemplateKind = 'threshold'): TemplateFormValues => ({
  name: '', description: null, kind, ...defaultValueFor(kind), freeSku: null, classes: [], brands: [], skus: [], storeIds: [], regionIds: [], minTier: null,
  validity: 'days', validDays: 30, validFrom: null, validTo: null, stacking: 'none', stacksWith: [], restoreOnReturn: false, autoIssue: false,
  maxIssued: null, maxRedeemedValue: null,
})

const cleanList = (list: readonly string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))]

const scopeOf = (v: TemplateFormValues): CouponScope | null => {
  const scope: CouponScope = { ...matchFromClasses(v.classes ?? []) }
  const brands = cleanList(v.brands)
  const skus = cleanList(v.skus)
  if (brands.length) scope.brands = brands
  if (skus.length) scope.skus = skus
  return Object.keys(scope).length ? scope : null
}

/** The form's value as the API counts it. */
const apiValue = (kind: TemplateKind, value: number): number => {
  switch (kind) {
    case 'amount': case 'threshold': return yuanToFen(value)
    case 'points_multiplier': return Math.round(value * 100)
    default: return value
  }
}

const formValue = (kind: TemplateKind, value: number): number => {
  switch (kind) {
    case 'amount': case 'threshold': return fenToYuan(value)
    case 'points_multiplier': return value / 100
    default: return value
  }
}

const localDate = (d: Dayjs | null | undefined): string | null => (d ? d.format('YYYY-MM-DD') : null)
const blankToNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null)

export const toTemplateBody = (v: TemplateFormValues): TemplateBody => {
  const days = v.validity === 'days'
  return {
    name: v.name.trim(),
    description: blankToNull(v.description),
    kind: v.kind,
    value: apiValue(v.kind, v.value ?? 0),
    maxDiscount: v.kind === 'percent' ? optionalYuanToFen(v.maxDiscount) : null,
    minSpend: optionalYuanToFen(v.minSpend) ?? 0,
    freeSku: v.kind === 'free_item' ? blankToNull(v.freeSku) : null,
    scope: scopeOf(v),
    storeIds: v.storeIds?.length ? v.storeIds : null,
    regionIds: v.regionIds?.length ? v.regionIds : null,
    minTier: v.minTier || null,
    validFrom: days ? null : localDate(v.validFrom),
    validTo: days ? null : localDate(v.validTo),
    validDays: days ? v.validDays ?? null : null,
    stacking: v.stacking,
    stacksWith: v.stacking === 'listed' ? v.stacksWith ?? [] : [],
    restoreOnReturn: v.restoreOnReturn,
    autoIssue: v.autoIssue ? 'registration' : null,
    maxIssued: v.maxIssued ?? null,
    maxRedeemedValue: optionalYuanToFen(v.maxRedeemedValue),
  }
}

/** Form values for editing a template. */
export const templateToValues = (tpl: CouponTemplate, tree: readonly DepartmentNode[]): TemplateFormValues => ({
  name: tpl.name,
  description: tpl.description,
  kind: tpl.kind,
  value: formValue(tpl.kind, tpl.value),
  maxDiscount: tpl.maxDiscount === null ? null : fenToYuan(tpl.maxDiscount),
  minSpend: fenToYuan(tpl.minSpend),
  freeSku: tpl.freeSku,
  classes: classesFromMatch(tpl.scope ?? undefined, tree),
  brands: [...(tpl.scope?.brands ?? [])],
  skus: [...(tpl.scope?.skus ?? [])],
  storeIds: [...(tpl.storeIds ?? [])],
  regionIds: [...(tpl.regionIds ?? [])],
  minTier: tpl.minTier,
  validity: tpl.validDays !== null ? 'days' : 'fixed',
  validDays: tpl.validDays,
  validFrom: tpl.validFrom ? dayjs(tpl.validFrom) : null,
  validTo: tpl.validTo ? dayjs(tpl.validTo) : null,
  stacking: tpl.stacking,
  stacksWith: [...tpl.stacksWith],
  restoreOnReturn: tpl.restoreOnReturn,
  autoIssue: tpl.autoIssue === 'registration',
  maxIssued: tpl.maxIssued,
  maxRedeemedValue: tpl.maxRedeemedValue === null ? null : fenToYuan(tpl.maxRedeemedValue),
})

/** The form field a server error detail names (`scope.brands` → `brands`). */
export const templateFieldName = (field: string): keyof TemplateFormValues | null => {
  const [head, second] = field.split('.')
  switch (head) {
    case 'scope': return second === 'brands' ? 'brands' : second === 'skus' ? 'skus' : 'classes'
    case 'name': case 'description': case 'kind': case 'value': case 'maxDiscount': case 'minSpend': case 'freeSku': case 'storeIds': case 'regionIds':
    case 'minTier': case 'validDays': case 'validFrom': case 'validTo': case 'stacking': case 'stacksWith': case 'restoreOnReturn': case 'autoIssue':
    case 'maxIssued': case 'maxRedeemedValue':
      return head
    default: return null
  }
}

/** The same error with its details renamed to the form's fields, for FormModal to show there. */
export const toTemplateFormError = (err: unknown): unknown => {
  if (!(err instanceof ApiError) || err.details.length === 0) return err
  return new ApiError(err.status, err.code, err.message, err.details.map((d) => ({ ...d, field: templateFieldName(d.field) ?? d.field })))
}
