import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/client.js'
import { newTemplateValues, templateFieldName, templateToValues, toTemplateBody, toTemplateFormError, type TemplateFormValues } from './template-form.js'
import type { CouponTemplate } from './types.js'

const tree = [{ name: '饮料', count: 10, categories: [{ name: '牛奶', count: 4, subcategories: [] }] }]

const template = (over: Partial<CouponTemplate>): CouponTemplate => ({
  id: 'cpt_1', name: '满100减20', description: null, kind: 'threshold', value: 2000, maxDiscount: null, minSpend: 10000, freeSku: null, scope: null,
  storeIds: null, regionIds: null, minTier: null, validFrom: null, validTo: null, validDays: 30, stacking: 'none', stacksWith: [], restoreOnReturn: false,
  autoIssue: null, maxIssued: null, maxRedeemedValue: null, issuedCount: 0, redeemedValue: 0, status: 'active',
  ...over,
})

describe('the template form and the API body', () => {
  it('turns a threshold coupon in yuan into fen, N days from issue', () => {
    const v: TemplateFormValues = { ...newTemplateValues('threshold'), name: ' 满50减10 ', value: 10, minSpend: 50, validDays: 30, maxRedeemedValue: 1000.5 }
    expect(toTemplateBody(v)).toEqual({
      name: '满50减10', description: null, kind: 'threshold', value: 1000, maxDiscount: null, minSpend: 5000, freeSku: null, scope: null, storeIds: null, regionIds: null,
      minTier: null, validFrom: null, validTo: null, validDays: 30, stacking: 'none', stacksWith: [], restoreOnReturn: false, autoIssue: null, maxIssued: null,
      maxRedeemedValue: 100050,
    })
  })

  it('sends a percent coupon with its cap, fixed dates, a scope and listed stacking', () => {
    const v: TemplateFormValues = {
      ...newTemplateValues('percent'), name: '9折', value: 10, maxDiscount: 50, minSpend: 0, classes: [JSON.stringify(['饮料', '牛奶'])], brands: ['伊利 ', '伊利'], skus: [],
      storeIds: ['sto_1'], minTier: 'gold', validity: 'fixed', validFrom: dayjs('2026-12-01'), validTo: dayjs('2026-12-31'), validDays: 30,
      stacking: 'listed', stacksWith: ['cpt_2'], restoreOnReturn: true, autoIssue: true, maxIssued: 500,
    }
    expect(toTemplateBody(v)).toMatchObject({
      kind: 'percent', value: 10, maxDiscount: 5000, minSpend: 0, scope: { categories: ['牛奶'], brands: ['伊利'] }, storeIds: ['sto_1'], regionIds: null, minTier: 'gold',
      validFrom: '2026-12-01', validTo: '2026-12-31', validDays: null, stacking: 'listed', stacksWith: ['cpt_2'], restoreOnReturn: true, autoIssue: 'registration', maxIssued: 500,
    })
  })

  it.each([
    ['free_item', { value: 2, freeSku: ' SKU-1 ', maxDiscount: 9 }, { value: 2, freeSku: 'SKU-1', maxDiscount: null }],
    ['points_multiplier', { value: 1.5 }, { value: 150, freeSku: null }],
    ['amount', { value: 0.29 }, { value: 29 }],
  ] as const)('a %s coupon sends only its own fields', (kind, over, expected) => {
    expect(toTemplateBody({ ...newTemplateValues(kind), name: 'x', ...over })).toMatchObject(expected)
  })

  it('drops the listed templates unless stacking is listed', () => {
    expect(toTemplateBody({ ...newTemplateValues(), name: 'x', stacking: 'all', stacksWith: ['cpt_2'] }).stacksWith).toEqual([])
  })

  it.each([
    template({}),
    template({ kind: 'percent', value: 15, maxDiscount: 5000, minSpend: 0, validDays: null, validFrom: '2026-12-01', validTo: '2026-12-31', scope: { departments: ['饮料'], skus: ['A'] } }),
    template({ kind: 'points_multiplier', value: 250, minSpend: 0, stacking: 'listed', stacksWith: ['cpt_9'], autoIssue: 'registration', maxIssued: 10, maxRedeemedValue: 99900, storeIds: ['s'], regionIds: ['r'] }),
    template({ kind: 'free_item', value: 1, freeSku: 'SKU-1', minSpend: 0 }),
  ])('edits a template and sends it back unchanged (%#)', (tpl) => {
    const body = toTemplateBody(templateToValues(tpl, tree))
    const { id: _id, issuedCount: _i, redeemedValue: _r, status: _s, ...fields } = tpl
    expect(body).toEqual(fields)
  })

  it('names the form field of a server error', () => {
    expect(templateFieldName('scope.brands')).toBe('brands')
    expect(templateFieldName('scope.departments')).toBe('classes')
    expect(templateFieldName('minSpend')).toBe('minSpend')
    expect(templateFieldName('other')).toBeNull()
    const err = toTemplateFormError(new ApiError(422, 'VALIDATION', 'bad', [{ field: 'scope.skus', reason: 'r' }]))
    expect(err).toMatchObject({ code: 'VALIDATION', details: [{ field: 'skus', reason: 'r' }] })
  })
})
