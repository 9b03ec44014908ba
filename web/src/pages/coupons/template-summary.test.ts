import { beforeAll, describe, expect, it } from 'vitest'
import { budgetText, goodsText, groupCode, placesText, rateText, shortYuan, stackingText, summarizeOffer, validityText, zheOf } from './template-summary.js'
import { translator } from './test-i18n.js'

type T = Awaited<ReturnType<typeof translator>>
let zh: T
let en: T
beforeAll(async () => {
  zh = await translator('zh-CN')
  en = await translator('en-US')
})

describe('numbers as a shelf label writes them', () => {
  it.each([[10000, '100'], [1250, '12.5'], [1205, '12.05'], [5, '0.05']])('%i fen is %s', (fen, text) => expect(shortYuan(fen)).toBe(text))
  it.each([[10, '9'], [15, '8.5'], [12, '8.8'], [1, '9.9'], [50, '5']])('%i%% off is %s折', (pct, zhe) => expect(zheOf(pct)).toBe(zhe))
})

describe('templates in words', () => {
  it.each([
    [{ kind: 'threshold', value: 2000, minSpend: 10000 }, '满100减20', 'Spend ¥100, ¥20 off'],
    [{ kind: 'amount', value: 1000, minSpend: 0 }, '立减10元', '¥10 off'],
    [{ kind: 'amount', value: 500, minSpend: 3000 }, '满30减5', 'Spend ¥30, ¥5 off'],
    [{ kind: 'percent', value: 10, maxDiscount: 5000, minSpend: 0 }, '9折，最高减50元', '10% off, at most ¥50'],
    [{ kind: 'percent', value: 15, maxDiscount: null, minSpend: 20000 }, '8.5折，满200元可用', '15% off, on spend of ¥200 or more'],
    [{ kind: 'free_item', value: 1, freeSku: 'SKU-MILK', minSpend: 0 }, '赠 SKU-MILK ×1', 'Free SKU-MILK ×1'],
    [{ kind: 'points_multiplier', value: 200, minSpend: 0 }, '2倍积分', '2× points'],
    [{ kind: 'points_multiplier', value: 150, minSpend: 5000 }, '1.5倍积分，满50元可用', '1.5× points, on spend of ¥50 or more'],
  ] as const)('%o is %s', (offer, zhText, enText) => {
    expect(summarizeOffer(offer, zh)).toBe(zhText)
    expect(summarizeOffer(offer, en)).toBe(enText)
  })

  it('says how long the coupons are good for', () => {
    expect(validityText({ validDays: 30, validFrom: null, validTo: null }, zh)).toBe('领取后 30 天内有效')
    expect(validityText({ validDays: null, validFrom: '2026-12-01', validTo: '2026-12-31' }, zh)).toBe('2026-12-01 ~ 2026-12-31')
    expect(validityText({ validDays: null, validFrom: null, validTo: '2026-12-31' }, en)).toBe('until 2026-12-31')
  })

  it('names the goods, places and tier a template is limited to', () => {
    expect(goodsText(null, zh)).toBe('全部商品')
    expect(goodsText({ departments: ['饮料'], brands: ['伊利', '蒙牛'] }, zh)).toBe('部门 饮料；品牌 伊利、蒙牛')
    const names = { store: (id: string) => `S-${id}`, region: (id: string) => `R-${id}`, tier: (code: string) => code.toUpperCase() }
    expect(placesText({ storeIds: null, regionIds: null, minTier: null }, names, zh)).toBe('全部门店')
    expect(placesText({ storeIds: ['1'], regionIds: ['2'], minTier: 'gold' }, names, en)).toBe('regions R-2; stores S-1; GOLD and above')
  })

  it('says what a template combines with', () => {
    expect(stackingText({ stacking: 'none', stacksWith: [] }, (id) => id, zh)).toBe('每单只能单独使用')
    expect(stackingText({ stacking: 'listed', stacksWith: ['a', 'b'] }, (id) => `券${id}`, zh)).toBe('仅可与 券a、券b 同时使用')
  })

  it('writes budgets, rates and codes', () => {
    expect(budgetText('12', '100', zh)).toBe('12 / 100')
    expect(budgetText('12', null, en)).toBe('12 / no limit')
    expect(rateText(0.1234)).toBe('12.3%')
    expect(rateText(0)).toBe('0.0%')
    expect(groupCode('ABCDEFGHJKLMNPQR')).toBe('ABCD EFGH JKLM NPQR')
    expect(groupCode('ABCDEF')).toBe('ABCD EF')
  })
})
