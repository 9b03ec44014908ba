import { describe, expect, it } from 'vitest'
import type { Condition } from '../conditions/condition.js'
import { evaluationOrder, parseReasonValues, renderReason, renderRuleReason, valueKindOf } from './tag-reasons.js'

const baby: Condition = { field: 'bought', op: 'department', value: ['母婴'], days: 90, min: 2 }
const promo: Condition = { field: 'promo_share_pm', op: 'gte', value: 500 }
const valuable: Condition = { field: 'rfm_class', op: 'in', value: ['important_value'] }

describe('a rule tag\'s reason in words', () => {
  it.each<[string, Condition, Array<number | null>, string, string]>([
    ['a purchase count', baby, [3], '近90天在母婴购买3次', 'bought 母婴 3 times in 90 days'],
    ['one purchase', { field: 'bought', op: 'category', value: ['奶粉', '纸尿裤'], days: 30 }, [1], '近30天在奶粉、纸尿裤购买1次', 'bought 奶粉, 纸尿裤 1 time in 30 days'],
    ['the member\'s own figure', promo, [620], '促销占比为620‰', 'promotion share is 620‰'],
    ['a class (no figure of its own)', valuable, [null], 'RFM 分类是重要价值客户', 'RFM class is important value'],
    ['all of several', { all: [valuable, baby] }, [null, 4], 'RFM 分类是重要价值客户，近90天在母婴购买4次', 'RFM class is important value; bought 母婴 4 times in 90 days'],
    ['the branch of an any that holds', { any: [promo, baby] }, [120, 2], '近90天在母婴购买2次', 'bought 母婴 2 times in 90 days'],
    ['both branches when both hold', { any: [promo, baby] }, [700, 2], '促销占比为700‰ 或 近90天在母婴购买2次', 'promotion share is 700‰ or bought 母婴 2 times in 90 days'],
    ['money in yuan', { field: 'spend_w', op: 'gte', value: 100_000 }, [123_456], '窗口消费额为1234.56元', 'spend in the window is ¥1234.56'],
  ])('%s', (_, rule, values, zh, en) => {
    expect(renderRuleReason(rule, values, 'zh-CN')).toBe(zh)
    expect(renderRuleReason(rule, values, 'en-US')).toBe(en)
  })

  it('names tags by their names', () => {
    expect(renderRuleReason({ field: 'tag', op: 'has', value: 'tag_1' }, [null], 'zh-CN', { tag_1: '高价值客户' })).toBe('有标签「高价值客户」')
  })

  it('shows a manual note as typed, and a reason it cannot read as the rule', () => {
    expect(renderReason('投诉过', 'manual', null, 'en-US')).toBe('投诉过')
    expect(renderReason('not json', 'rule', baby, 'zh-CN')).toBe('not json')
    expect(parseReasonValues('{"v":[3,null,"x"]}')).toEqual([3, null, null])
    expect(parseReasonValues('{"w":1}')).toBeNull()
  })

  it.each<[Condition, 'count' | 'number' | null]>([
    [baby, 'count'], [{ field: 'shopped_at', op: 'in', value: ['sto_1'], days: 30 }, 'count'], [promo, 'number'],
    [valuable, null], [{ field: 'age', op: 'gte', value: 30 }, null], [{ field: 'tag', op: 'has', value: 'x' }, null],
  ])('what figure %j carries', (leaf, kind) => {
    expect(valueKindOf(leaf as never)).toBe(kind)
  })
})

describe('the order tags are evaluated in', () => {
  it('puts a tag after the tags its rule names', () => {
    const { order, cycle } = evaluationOrder([
      { id: 'c', rule: { all: [{ field: 'tag', op: 'has', value: 'b' }, { field: 'tag', op: 'lacks', value: 'a' }] } },
      { id: 'b', rule: { field: 'tag', op: 'has', value: 'a' } },
      { id: 'a', rule: valuable },
    ])
    expect(cycle).toBeNull()
    expect(order).toEqual(['a', 'b', 'c'])
  })

  it('finds a cycle', () => {
    const { cycle } = evaluationOrder([
      { id: 'a', rule: { field: 'tag', op: 'has', value: 'b' } },
      { id: 'b', rule: { not: { field: 'tag', op: 'has', value: 'a' } } },
    ])
    expect(cycle).toEqual(['a', 'b', 'a'])
  })
})
