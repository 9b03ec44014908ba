import { describe, expect, it } from 'vitest'
import { evaluateCoupons, multiplierBonus, stacksTogether, validateTemplate, type BasketContext, type BasketLine, type CouponOnBasket, type CouponTemplate } from './coupon-rules.js'

const template = (over: Partial<CouponTemplate> = {}): CouponTemplate => ({
  id: 'ctp_a', name: '满100减20', description: null, kind: 'threshold', value: 2000, maxDiscount: null, minSpend: 10000, freeSku: null, scope: null,
  storeIds: null, regionIds: null, minTier: null, validFrom: null, validTo: null, validDays: 30, stacking: 'none', stacksWith: [], restoreOnReturn: false,
  autoIssue: null, maxIssued: null, maxRedeemedValue: null, issuedCount: 1, redeemedValue: 0, status: 'active', ...over,
})
const coupon = (t: CouponTemplate, over: Partial<CouponOnBasket> = {}): CouponOnBasket => ({
  code: `C${t.id}`, memberId: 'mem_1', status: 'issued', value: t.value, validFrom: '2026-03-01', validTo: '2026-03-31', template: t, ...over,
})
const line = (sku: string, amount: number, over: Partial<BasketLine> = {}): BasketLine => ({
  sku, amount, quantity: 1, unit: 'piece', unitPrice: amount, department: '食品', category: '乳品', subcategory: null, brand: null, pointsEligible: true, ...over,
})
const ctx: BasketContext = { storeId: 'sto_a', regionId: 'reg_e', memberId: 'mem_1', memberTier: 'silver', tiers: [{ code: 'silver', rank: 1 }, { code: 'gold', rank: 2 }], date: '2026-03-02' }

describe('evaluateCoupons', () => {
  it('takes a threshold coupon off when the covered goods reach the threshold, apportioned over the lines', () => {
    const [o] = evaluateCoupons([coupon(template())], [line('A', 6000), line('B', 4000)], ctx)
    expect(o).toMatchObject({ ok: true, discount: 2000, lineDiscounts: [1200, 800] })
  })

  it.each([
    ['below the threshold', template(), [line('A', 9999)], ctx, 'below_threshold'],
    ['no member on the receipt', template(), [line('A', 20000)], { ...ctx, memberId: null }, 'no_member'],
    ['another member', template(), [line('A', 20000)], { ...ctx, memberId: 'mem_2' }, 'not_yours'],
    ['expired', template(), [line('A', 20000)], { ...ctx, date: '2026-04-01' }, 'expired'],
    ['not yet valid', template(), [line('A', 20000)], { ...ctx, date: '2026-02-28' }, 'not_yet_valid'],
    ['another store', template({ storeIds: ['sto_b'] }), [line('A', 20000)], ctx, 'wrong_store'],
    ['a tier too low', template({ minTier: 'gold' }), [line('A', 20000)], ctx, 'tier'],
    ['a paused template', template({ status: 'paused' }), [line('A', 20000)], ctx, 'template_inactive'],
    ['nothing in scope', template({ scope: { departments: ['日化'] } }), [line('A', 20000)], ctx, 'no_eligible_lines'],
  ] as const)('refuses a coupon %s', (_name, t, lines, c, refusal) => {
    expect(evaluateCoupons([coupon(t)], lines, c)[0]).toMatchObject({ ok: false, refusal })
  })

  it('gives the figures behind a refusal, for a console to word it', () => {
    expect(evaluateCoupons([coupon(template())], [line('A', 9000)], ctx)[0]).toMatchObject({ refusal: 'below_threshold', facts: { have: 9000, need: 10000 } })
    expect(evaluateCoupons([coupon(template())], [line('A', 20000)], { ...ctx, date: '2026-04-01' })[0]).toMatchObject({ facts: { date: '2026-03-31' } })
    expect(evaluateCoupons([coupon(template({ minTier: 'gold' }))], [line('A', 20000)], ctx)[0]).toMatchObject({ facts: { tier: 'gold' } })
  })

  it('counts only the covered lines toward the threshold and takes the discount from them', () => {
    const t = template({ scope: { categories: ['乳品'] } })
    const lines = [line('A', 8000), line('B', 5000, { category: '饮料' })]
    expect(evaluateCoupons([coupon(t)], lines, ctx)[0]).toMatchObject({ ok: false, refusal: 'below_threshold' })
    const [o] = evaluateCoupons([coupon(t)], [line('A', 12000), line('B', 5000, { category: '饮料' })], ctx)
    expect(o).toMatchObject({ ok: true, discount: 2000, lineDiscounts: [2000, 0] })
  })

  it('caps a percent coupon, and never takes more than the basket', () => {
    const t = template({ kind: 'percent', value: 10, maxDiscount: 500, minSpend: 0 })
    expect(evaluateCoupons([coupon(t)], [line('A', 3000)], ctx)[0]).toMatchObject({ discount: 300 })
    expect(evaluateCoupons([coupon(t)], [line('A', 30000)], ctx)[0]).toMatchObject({ discount: 500 })
    const big = template({ kind: 'amount', value: 5000, minSpend: 0 })
    expect(evaluateCoupons([coupon(big)], [line('A', 3000)], ctx)[0]).toMatchObject({ discount: 3000 })
  })

  it('gives a free item only when it is in the basket, at its price', () => {
    const t = template({ kind: 'free_item', value: 1, freeSku: 'MILK', minSpend: 0 })
    expect(evaluateCoupons([coupon(t)], [line('A', 3000)], ctx)[0]).toMatchObject({ ok: false, refusal: 'no_eligible_lines' })
    const [o] = evaluateCoupons([coupon(t)], [line('A', 3000), line('MILK', 1500, { quantity: 3, unitPrice: 500 })], ctx)
    expect(o).toMatchObject({ ok: true, discount: 500, lineDiscounts: [0, 500] })
  })

  it('stacks only templates that allow each other, and refuses the later one naming the earlier', () => {
    const a = template({ id: 'ctp_a', name: 'A', kind: 'amount', value: 500, minSpend: 0, stacking: 'all' })
    const b = template({ id: 'ctp_b', name: 'B', kind: 'amount', value: 500, minSpend: 0, stacking: 'none' })
    const c = template({ id: 'ctp_c', name: 'C', kind: 'amount', value: 500, minSpend: 0, stacking: 'listed', stacksWith: ['ctp_a'] })
    expect(stacksTogether(a, c)).toBe(true)
    expect(stacksTogether(a, b)).toBe(false)
    const out = evaluateCoupons([coupon(a), coupon(b), coupon(c)], [line('A', 3000)], ctx)
    expect(out.map((o) => o.ok)).toEqual([true, false, true])
    expect(out[1]).toMatchObject({ refusal: 'not_stackable', reason: expect.stringContaining('"A"') })
  })

  it('takes a stacked coupon from what the first left, never below zero', () => {
    const a = template({ id: 'ctp_a', kind: 'amount', value: 2500, minSpend: 0, stacking: 'all' })
    const b = template({ id: 'ctp_b', kind: 'amount', value: 2500, minSpend: 0, stacking: 'all' })
    const out = evaluateCoupons([coupon(a), coupon(b)], [line('A', 3000)], ctx)
    expect(out.map((o) => (o.ok ? o.discount : -1))).toEqual([2500, 500])
  })

  it('refuses the same coupon twice, a second of one template, an unknown code and a used one', () => {
    const t = template({ kind: 'amount', value: 100, minSpend: 0, stacking: 'all' })
    const out = evaluateCoupons([coupon(t), coupon(t), coupon(t, { code: 'OTHER' }), { code: 'NOPE', missing: true }, coupon(template({ id: 'ctp_z' }), { status: 'used' })], [line('A', 3000)], ctx)
    expect(out.map((o) => (o.ok ? 'ok' : o.refusal))).toEqual(['ok', 'used', 'same_template', 'not_found', 'used'])
  })

  it('refuses a discount beyond what the budget has left', () => {
    const t = template({ kind: 'amount', value: 1000, minSpend: 0, maxRedeemedValue: 5000, redeemedValue: 4500 })
    expect(evaluateCoupons([coupon(t)], [line('A', 3000)], ctx)[0]).toMatchObject({ ok: false, refusal: 'budget_exhausted' })
  })

  it('a multiplier takes nothing off and adds (multiplier − 1) × the points of its lines', () => {
    const t = template({ kind: 'points_multiplier', value: 300, minSpend: 0, scope: { skus: ['A'] } })
    const [o] = evaluateCoupons([coupon(t)], [line('A', 3000), line('B', 1000)], ctx)
    expect(o).toMatchObject({ ok: true, discount: 0, multiplierPct: 300 })
    if (!o!.ok) throw new Error('refused')
    expect(multiplierBonus(o!, [30, 10])).toEqual([60, 0])
  })
})

describe('validateTemplate', () => {
  const base = { name: '满100减20', kind: 'threshold' as const, value: 2000, minSpend: 10000, validDays: 30 }
  it('accepts a well-formed template', () => {
    expect(validateTemplate(base, [])).toEqual([])
  })
  it.each([
    ['a threshold not above the amount', { ...base, minSpend: 2000 }, 'minSpend'],
    ['a percent of 100', { ...base, kind: 'percent' as const, value: 100, minSpend: 0 }, 'value'],
    ['a cap on an amount coupon', { ...base, maxDiscount: 100 }, 'maxDiscount'],
    ['no validity', { ...base, validDays: undefined }, 'validTo'],
    ['both kinds of validity', { ...base, validTo: '2026-12-31' }, 'validDays'],
    ['dates in the wrong order', { ...base, validDays: undefined, validFrom: '2026-12-31', validTo: '2026-01-01' }, 'validTo'],
    ['a free item without its SKU', { ...base, kind: 'free_item' as const, value: 1, minSpend: 0 }, 'freeSku'],
    ['a multiplier of 1', { ...base, kind: 'points_multiplier' as const, value: 100, minSpend: 0 }, 'value'],
    ['an unknown tier', { ...base, minTier: 'platinum' }, 'minTier'],
    ['listed stacking without a list', { ...base, stacking: 'listed' as const }, 'stacksWith'],
    ['a scope that names nothing (no line could match)', { ...base, scope: {} }, 'scope'],
    ['a scope of empty lists', { ...base, scope: { skus: [], brands: [] } }, 'scope'],
    ['an empty store list', { ...base, storeIds: [] }, 'storeIds'],
  ])('refuses %s', (_name, input, field) => {
    expect(validateTemplate(input, ['silver']).map((d) => d.field)).toContain(field)
  })
})
