import { describe, expect, it } from 'vitest'
import { isDomainError } from '../../../shared/errors.js'
import type { Condition } from './condition.js'
import { parseCondition, referencedIds } from './conditions.js'
import { addDays, minusYears, windowStart } from './conditions.repository.js'
import { describeCondition } from './describe.js'

const detailsOf = (input: unknown, root?: string) => {
  try {
    parseCondition(input, root)
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, status: e.status, details: e.details }
    throw e
  }
  throw new Error('parsed')
}

const leaf: Condition = { field: 'gender', op: 'in', value: ['female'] }
const nest = (depth: number): Condition => (depth <= 1 ? leaf : { all: [nest(depth - 1)] })

describe('parseCondition', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'gender=female', 'definition', /group .* or a condition/],
    ['an unknown field', { field: 'shoe_size', op: 'eq', value: 42 }, 'definition.field', /unknown field "shoe_size"/],
    ['an unknown operator', { all: [leaf, { field: 'spend_w', op: 'approx', value: 1 }] }, 'definition.all[1].op', /unknown operator "approx"/],
    ['a missing operator', { field: 'spend_w', value: 1 }, 'definition.op', /is required/],
    ['a text where a number goes', { field: 'spend_w', op: 'gte', value: '100' }, 'definition.value', /must be a number/],
    ['a fraction of fen', { field: 'spend_w', op: 'gte', value: 10.5 }, 'definition.value', /whole number/],
    ['between out of order', { field: 'age', op: 'between', value: [40, 30] }, 'definition.value', /from must not be above to/],
    ['between with one bound', { field: 'age', op: 'between', value: [40] }, 'definition.value', /\[from, to\]/],
    ['an unknown gender', { field: 'gender', op: 'in', value: ['robot'] }, 'definition.value[0]', /unknown value "robot"/],
    ['an empty choice list', { field: 'district', op: 'in', value: [] }, 'definition.value', /at least one/],
    ['a choice that is not a list', { field: 'district', op: 'in', value: '浦东新区' }, 'definition.value', /list/],
    ['an unknown consent channel', { field: 'consent', op: 'granted', value: 'fax' }, 'definition.value', /sms, email/],
    ['a window of -3 days', { field: 'bought', op: 'category', value: ['母婴'], days: -3 }, 'definition.days', /between 1 and 3650/],
    ['a window of 0 days', { field: 'shopped_at', op: 'in', value: ['sto_1'], days: 0 }, 'definition.days', /between 1 and 3650/],
    ['a window over ten years', { field: 'bought', op: 'sku', value: ['6901'], days: 3651 }, 'definition.days', /between 1 and 3650/],
    ['a window without days', { field: 'bought', op: 'brand', value: ['伊利'] }, 'definition.days', /whole number of days/],
    ['a minimum of zero', { field: 'bought', op: 'category', value: ['母婴'], days: 90, min: 0 }, 'definition.min', /from 1 to 1000/],
    ['an unknown bought kind', { field: 'bought', op: 'aisle', value: ['3'], days: 90 }, 'definition.op', /department, category, brand, sku/],
    ['a tag without an id', { field: 'tag', op: 'has', value: '' }, 'definition.value', /tag id/],
    ['coupon used without days', { field: 'coupon', op: 'used' }, 'definition.days', /whole number of days/],
    ['coupon held with days', { field: 'coupon', op: 'holds', days: 30 }, 'definition.days', /only to used/],
    ['a stray key on a leaf', { field: 'spend_w', op: 'gte', value: 1, unit: 'yuan' }, 'definition.unit', /unknown key/],
    ['an empty group', { all: [leaf, { any: [] }] }, 'definition.all[1].any', /empty group/],
    ['a group that is not a list', { any: leaf }, 'definition.any', /list of conditions/],
    ['two group keys', { all: [leaf], any: [leaf] }, 'definition', /one of all, any or not/],
    ['a null inside a group', { not: { all: [leaf, null] } }, 'definition.not.all[1]', /group .* or a condition/],
    ['nesting seven levels deep', nest(7), 'definition.all[0].all[0].all[0].all[0].all[0].all[0]', /deeper than 6/],
    ['more than 50 conditions', { any: Array.from({ length: 51 }, () => leaf) }, 'definition', /at most 50 conditions/],
  ])('refuses %s, naming the field', (_, input, field, reason) => {
    const error = detailsOf(input)
    expect(error).toMatchObject({ code: 'INSIGHT_CONDITION_INVALID', status: 422 })
    expect(error.details).toContainEqual({ field, reason: expect.stringMatching(reason) })
  })

  it('names the root it was sent under', () => {
    expect(detailsOf({ field: 'nope', op: 'in', value: [] }, 'rule').details[0]!.field).toBe('rule.field')
  })

  it('reports every problem of a tree at once', () => {
    const error = detailsOf({ all: [{ field: 'x', op: 'in', value: [] }, { field: 'spend_w', op: 'gte', value: 'a' }] })
    expect(error.details.map((d) => d.field)).toEqual(['definition.all[0].field', 'definition.all[1].value'])
  })

  it.each<[string, unknown, Condition]>([
    ['a leaf', { field: 'gender', op: 'in', value: [' female ', 'female'] }, { field: 'gender', op: 'in', value: ['female'] }],
    ['six levels', nest(6), nest(6) as Condition],
    ['fifty conditions', { any: Array.from({ length: 50 }, () => leaf) }, { any: Array.from({ length: 50 }, () => leaf) } as Condition],
    ['bought with min 1 (the default, dropped)', { field: 'bought', op: 'category', value: ['母婴'], days: 90, min: 1 }, { field: 'bought', op: 'category', value: ['母婴'], days: 90 }],
    ['a nested tree', {
      all: [leaf, { any: [{ field: 'spend_w', op: 'between', value: [0, 100000] }, { not: { field: 'tag', op: 'has', value: 'tag_1' } }] },
        { field: 'coupon', op: 'used', value: 'tpl_1', days: 30 }, { field: 'coupon', op: 'holds' }, { field: 'consent', op: 'granted', value: 'sms' },
        { field: 'interval_days', op: 'lte', value: 7.5 }],
    }, {
      all: [leaf, { any: [{ field: 'spend_w', op: 'between', value: [0, 100000] }, { not: { field: 'tag', op: 'has', value: 'tag_1' } }] },
        { field: 'coupon', op: 'used', value: 'tpl_1', days: 30 }, { field: 'coupon', op: 'holds' }, { field: 'consent', op: 'granted', value: 'sms' },
        { field: 'interval_days', op: 'lte', value: 7.5 }],
    }],
  ])('accepts %s', (_, input, expected) => {
    expect(parseCondition(input)).toEqual(expected)
  })

  it('lists the ids a tree names with their paths', () => {
    const c = parseCondition({
      all: [{ field: 'tag', op: 'lacks', value: 'tag_1' }, { any: [{ field: 'shopped_at', op: 'in', value: ['sto_a', 'sto_b'], days: 30 }] },
        { field: 'tier', op: 'in', value: ['GOLD'] }, { field: 'coupon', op: 'holds', value: 'tpl_1' }],
    })
    expect(referencedIds(c)).toEqual({
      tags: [{ id: 'tag_1', field: 'definition.all[0].value' }],
      stores: [{ id: 'sto_a', field: 'definition.all[1].any[0].value[0]' }, { id: 'sto_b', field: 'definition.all[1].any[0].value[1]' }],
      tiers: [{ id: 'GOLD', field: 'definition.all[2].value[0]' }],
      templates: [{ id: 'tpl_1', field: 'definition.all[3].value' }],
    })
  })
})

describe('date windows', () => {
  it.each([
    ['2026-03-02', 1, '2026-03-02'], ['2026-03-02', 90, '2025-12-03'], ['2024-03-01', 1, '2024-03-01'], ['2024-03-01', 2, '2024-02-29'],
  ])('a %s window of %i days starts on %s', (asOf, days, start) => {
    expect(windowStart(asOf, days)).toBe(start)
  })
  it.each([
    ['2026-03-02', 30, '1996-03-02'], ['2024-02-29', 1, '2023-02-28'], ['2024-02-29', 4, '2020-02-29'],
  ])('%s minus %i years is %s', (date, n, expected) => {
    expect(minusYears(date, n)).toBe(expected)
  })
  it('adds days across a year', () => expect(addDays('2025-12-31', 1)).toBe('2026-01-01'))
})

describe('describeCondition', () => {
  const tree: Condition = {
    all: [
      { field: 'gender', op: 'in', value: ['female'] },
      { any: [{ field: 'bought', op: 'category', value: ['母婴'], days: 90, min: 2 }, { field: 'spend_w', op: 'gte', value: 100000 }] },
      { not: { field: 'tag', op: 'has', value: 'tag_1' } },
    ],
  }
  it.each<[string, Condition, string, string]>([
    ['a nested tree', tree,
      '性别是女 且 (近90天在品类「母婴」购买至少2次 或 窗口消费额至少1000元) 且 非 (有标签「沉睡客户」)',
      'gender is female and (bought in category 母婴 at least 2 times in the last 90 days or spend in the window at least ¥1000) and not (has tag "沉睡客户")'],
    ['a range', { field: 'age', op: 'between', value: [25, 34] }, '年龄在25岁至34岁之间', 'age between 25 and 34'],
    ['a consent', { field: 'consent', op: 'not_granted', value: 'wechat' }, '未同意接收微信', 'does not consent to WeChat'],
    ['coupons', { any: [{ field: 'coupon', op: 'holds' }, { field: 'coupon', op: 'used', value: 'tpl_1', days: 30 }] },
      '持有未使用的优惠券 或 近30天使用过「满100减10」优惠券', 'holds an unused coupon or used a "满100减10" coupon in the last 30 days'],
    ['stores and classes', { all: [{ field: 'shopped_at', op: 'in', value: ['sto_a'], days: 30 }, { field: 'rfm_class', op: 'not_in', value: ['important_value', 'general_value'] }] },
      '近30天在人民广场店消费过 且 RFM 分类不是重要价值客户、一般价值客户', 'shopped at 人民广场店 in the last 30 days and RFM class is not one of important value, general value'],
  ])('words %s in zh-CN and en-US', (_, c, zh, en) => {
    const names = { tag_1: '沉睡客户', tpl_1: '满100减10', sto_a: '人民广场店' }
    expect(describeCondition(c, 'zh-CN', names)).toBe(zh)
    expect(describeCondition(c, 'en-US', names)).toBe(en)
  })
})
