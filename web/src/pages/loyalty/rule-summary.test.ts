import { beforeAll, describe, expect, it } from 'vitest'
import { factorText, matchText, ruleState, scopeText, sortRules, summarizeRule } from './rule-summary.js'
import { translator } from './test-i18n.js'
import type { EarningRule } from './types.js'

type T = Awaited<ReturnType<typeof translator>>
let zh: T
let en: T
beforeAll(async () => {
  zh = await translator('zh-CN')
  en = await translator('en-US')
})

const rule = (over: Partial<EarningRule>): EarningRule => ({
  id: 'rul_1', ruleKey: 'k1', version: 1, name: 'r', kind: 'multiplier', definition: { kind: 'multiplier', factor: 2 },
  storeIds: null, regionIds: null, validFrom: '2026-03-01T00:00:00.000Z', validTo: null, status: 'active', createdBy: null, createdAt: '2026-03-01T00:00:00.000Z',
  ...over,
})

describe('rules in words', () => {
  it('describes the default base rule', () => {
    const d: EarningRule['definition'] = { kind: 'base', fenPerPoint: 100, rounding: 'floor', excludeTenders: ['points', 'coupon'] }
    expect(summarizeRule(d, zh)).toBe('每消费 ¥1.00 积 1 分，不足 1 分舍去；积分、优惠券支付部分不积分')
    expect(summarizeRule(d, en)).toBe('1 point per ¥1.00 paid, rounded down; nothing for Points, Coupon')
  })

  it('names excluded products', () => {
    expect(summarizeRule({ kind: 'base', fenPerPoint: 200, rounding: 'round', excludeTenders: [], exclude: { departments: ['烟酒'], skus: ['6901', '6902'] } }, zh))
      .toBe('每消费 ¥2.00 积 1 分，四舍五入；不积分：部门 烟酒；货号 6901、6902')
  })

  it.each([
    [{ kind: 'multiplier', factor: 2, match: { departments: ['饮料'] } }, '2 倍积分；适用 部门 饮料', '2× points; on departments 饮料'],
    [{ kind: 'multiplier', factor: 1.5, weekdays: [4, 2] }, '1.5 倍积分；全部商品；每周二、周四', '1.5× points; all products; every Tue, Thu'],
    [{ kind: 'birthday', factor: 3 }, '会员生日当月 3 倍积分', '3× points in the birthday month'],
    [{ kind: 'cap', perReceipt: 500, perDay: 2000 }, '每单最多 500 分；每天最多 2,000 分', 'at most 500 a receipt; at most 2,000 a day'],
    [{ kind: 'cap', perDay: 100 }, '每天最多 100 分', 'at most 100 a day'],
  ] as const)('%j', (d, zhText, enText) => {
    expect(summarizeRule(d as EarningRule['definition'], zh)).toBe(zhText)
    expect(summarizeRule(d as EarningRule['definition'], en)).toBe(enText)
  })

  it('treats an empty match as all products', () => {
    expect(matchText({ departments: [], brands: [] }, zh)).toBeNull()
    expect(matchText({ brands: ['A', 'B'] }, en)).toBe('brands A, B')
  })

  it('writes factors as people do', () => {
    expect([2, 1.5, 1.25, 1.333333].map(factorText)).toEqual(['2', '1.5', '1.25', '1.33'])
  })

  it('says where a rule applies', () => {
    const names = { store: (id: string) => ({ s1: '南京西路店' })[id] ?? id, region: (id: string) => ({ r1: '华东' })[id] ?? id }
    expect(scopeText({ storeIds: null, regionIds: null }, names, zh)).toBe('全部门店')
    expect(scopeText({ storeIds: ['s1', 'gone'], regionIds: ['r1'] }, names, zh)).toBe('区域 华东；门店 南京西路店、gone')
  })
})

describe('rule state and order', () => {
  const now = new Date('2026-03-10T00:00:00.000Z')
  it.each([
    [{}, 'active'],
    [{ validFrom: '2026-03-11T00:00:00.000Z' }, 'scheduled'],
    [{ validTo: '2026-03-10T00:00:00.000Z' }, 'ended'],
    [{ validTo: '2026-03-10T00:00:01.000Z' }, 'active'],
    [{ status: 'disabled', validFrom: '2026-03-11T00:00:00.000Z' }, 'disabled'],
  ] as const)('%j is %s', (over, state) => {
    expect(ruleState(rule(over), now)).toBe(state)
  })

  it('lists base rules first and a rule\'s versions newest first', () => {
    const sorted = sortRules([
      rule({ id: 'cap', ruleKey: 'c', kind: 'cap', definition: { kind: 'cap', perDay: 1 } }),
      rule({ id: 'm1', ruleKey: 'm', version: 1, validFrom: '2026-01-01T00:00:00.000Z' }),
      rule({ id: 'm2', ruleKey: 'm', version: 2, validFrom: '2026-04-01T00:00:00.000Z' }),
      rule({ id: 'early', ruleKey: 'a', validFrom: '2025-01-01T00:00:00.000Z' }),
      rule({ id: 'base', ruleKey: 'z', kind: 'base', definition: { kind: 'base', fenPerPoint: 100, rounding: 'floor', excludeTenders: [] } }),
    ])
    expect(sorted.map((r) => r.id)).toEqual(['base', 'early', 'm2', 'm1', 'cap'])
  })
})
