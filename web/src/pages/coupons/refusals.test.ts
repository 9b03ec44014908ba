import { beforeAll, describe, expect, it } from 'vitest'
import { refusalText } from './refusals.js'
import { translator } from './test-i18n.js'
import { REFUSALS } from './types.js'

type T = Awaited<ReturnType<typeof translator>>
let zh: T
let en: T
beforeAll(async () => {
  zh = await translator('zh-CN')
  en = await translator('en-US')
})

describe('why a coupon does not apply', () => {
  // The facts are the server's (coupon-rules.ts evaluateCoupons).
  it.each([
    ['below_threshold', { have: 4250, need: 5000 }, '适用商品 ¥42.50，满 ¥50.00 可用（还差 ¥7.50）', 'Covered goods ¥42.50; needs ¥50.00 (¥7.50 more)'],
    ['expired', { date: '2026-11-30' }, '已于 2026-11-30 过期', 'Expired on 2026-11-30'],
    ['not_yet_valid', { date: '2027-01-01' }, '2027-01-01 起可用', 'Valid from 2027-01-01'],
    ['not_stackable', { other: '满100减20' }, '不能与“满100减20”同时使用', 'Cannot be combined with “满100减20”'],
    ['same_template', { other: '新人券' }, '每单限用一张“新人券”', 'One “新人券” per receipt'],
    ['no_eligible_lines', { sku: 'SKU-MILK' }, '购物篮中没有 SKU-MILK', 'The basket has no SKU-MILK'],
    ['wrong_store', {}, '本门店不可用', 'Not valid in this store'],
    ['no_eligible_lines', {}, '购物篮中没有适用商品', 'Nothing in the basket is covered'],
  ])('%s: %j', (refusal, facts, zhText, enText) => {
    expect(refusalText(zh, refusal, 'an English sentence', facts)).toBe(zhText)
    expect(refusalText(en, refusal, 'an English sentence', facts)).toBe(enText)
  })

  it('names the tier by its name', () => {
    expect(refusalText(zh, 'tier', 'the coupon needs tier gold or above', { tier: 'gold' }, (c) => (c === 'gold' ? '金卡' : c))).toBe('需金卡及以上等级')
  })

  it('translates every code, and shows an unknown one as the server said it', () => {
    for (const r of REFUSALS) expect(refusalText(zh, r, null)).not.toMatch(/refusals\./)
    expect(refusalText(zh, 'something_new', 'a new reason')).toBe('a new reason')
    expect(refusalText(en, null, null)).toBe('Not applicable')
  })
})
