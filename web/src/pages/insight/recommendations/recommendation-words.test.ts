import { beforeAll, describe, expect, it } from 'vitest'
import { translator } from '../../../i18n/test-translator.js'
import { builderText, isRebuilt, offerPrice, priceText, reasonText, shortReasonText, type Reason } from './recommendation-words.js'

type Insight = Awaited<ReturnType<typeof translator<'insight', 'recommendations'>>>
type Till = Awaited<ReturnType<typeof translator<'till', 'suggestions'>>>
const t: Record<'zh' | 'en', { insight: Insight; till: Till }> = {} as never

beforeAll(async () => {
  t.zh = { insight: await translator('insight', 'zh-CN', 'recommendations'), till: await translator('till', 'zh-CN', 'suggestions') }
  t.en = { insight: await translator('insight', 'en-US', 'recommendations'), till: await translator('till', 'en-US', 'suggestions') }
})

const repeat: Reason = { kind: 'repeat', days: 12, lastDate: '2026-11-05' }
const once: Reason = { kind: 'repeat', days: 1, lastDate: '2026-10-28' }
const together: Reason = { kind: 'together', productId: 'prd_1', sku: '10010017', name: '阳光玫瑰葡萄' }
const similar: Reason = { kind: 'similar', productId: 'prd_2', sku: '20010061', name: '五得利 刀削面 1kg' }
const popular: Reason = { kind: 'popular', rank: 1234 }

describe('a suggestion’s reason in words', () => {
  it.each([
    [repeat, '常买（近一年 12 天，最近 2026-11-05）', 'Bought often (12 days in the last year, last on 2026-11-05)'],
    // bought on one day only is not bought often
    [once, '买过（最近 2026-10-28）', 'Bought once (last on 2026-10-28)'],
    [together, '常与「阳光玫瑰葡萄」一起购买', 'Often bought with “阳光玫瑰葡萄”'],
    [similar, '买「五得利 刀削面 1kg」的会员也买', 'Members who buy “五得利 刀削面 1kg” also buy it'],
    [popular, '全店热销第 1,234', 'Popular in the chain, #1,234'],
  ])('%o in full', (reason, zh, en) => {
    expect(reasonText(t.zh.insight, reason)).toBe(zh)
    expect(reasonText(t.en.insight, reason)).toBe(en)
  })

  it.each([
    [repeat, '常买', 'Buys often'],
    [once, '买过', 'Bought once'],
    [together, '常与「阳光玫瑰葡萄」同买', 'Bought with “阳光玫瑰葡萄”'],
    [similar, '买「五得利 刀削面 1kg」的也买', 'Buyers of “五得利 刀削面 1kg” buy it'],
    [popular, '热销第 1,234', 'Popular #1,234'],
  ])('%o in short, for the till', (reason, zh, en) => {
    expect(shortReasonText(t.zh.till, reason)).toBe(zh)
    expect(shortReasonText(t.en.till, reason)).toBe(en)
  })
})

describe('the price offered', () => {
  it.each([
    [{ listPrice: 2690, memberPrice: 2330 }, { price: 2330, isMemberPrice: true }],
    [{ listPrice: 2690, memberPrice: null }, { price: 2690, isMemberPrice: false }],
    // a member price at or above the list price is no offer: the till charges the lower one
    [{ listPrice: 2690, memberPrice: 2690 }, { price: 2690, isMemberPrice: false }],
    [{ listPrice: 2690, memberPrice: 2900 }, { price: 2690, isMemberPrice: false }],
  ])('%o → %o', (item, offer) => {
    expect(offerPrice(item)).toEqual(offer)
  })
})

describe('a price in words', () => {
  it.each([
    [350, true, '¥3.50/kg'],
    [2690, false, '¥26.90'],
    [123456, true, '¥1,234.56/kg'],
  ])('%d fen, sold by weight %s: %s', (fen, soldByWeight, text) => {
    expect(priceText(fen, soldByWeight, t.zh.insight('member.perKg'))).toBe(text)
    expect(priceText(fen, soldByWeight, t.en.insight('member.perKg'))).toBe(text)
  })
})

describe('following a rebuild', () => {
  const at = Date.parse('2026-12-06T08:30:40Z')
  const model = (id: string, builtAt: string) => ({ id, builtAt })
  it.each([
    ['no model yet', { before: null, at, joined: false }, null, false],
    ['the first model', { before: null, at, joined: false }, model('rcm_new', '2026-12-06T08:30:42Z'), true],
    ['still the old model', { before: 'rcm_old', at, joined: false }, model('rcm_old', '2026-12-05T02:00:00Z'), false],
    ['a new model', { before: 'rcm_old', at, joined: false }, model('rcm_new', '2026-12-06T08:30:42Z'), true],
    ['joined a job of this minute that was done already', { before: 'rcm_new', at, joined: true }, model('rcm_new', '2026-12-06T08:30:05Z'), true],
    ['joined, and the model on screen is older than this minute', { before: 'rcm_old', at, joined: true }, model('rcm_old', '2026-12-06T08:29:59Z'), false],
  ] as const)('%s', (_, asked, current, done) => {
    expect(isRebuilt(asked, current)).toBe(done)
  })
})

describe('who built the model', () => {
  it('names the daily job in words and staff by name', () => {
    expect(builderText(t.zh.insight, 'job:analytics.buildRecommendations')).toBe('每日自动任务')
    expect(builderText(t.en.insight, 'job:analytics.buildRecommendations')).toBe('the daily job')
    expect(builderText(t.zh.insight, '数据分析师')).toBe('数据分析师')
  })
})
