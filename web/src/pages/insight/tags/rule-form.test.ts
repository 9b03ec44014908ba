import { describe, expect, it } from 'vitest'
import { emptyLeaf, errorPlace, formToRule, ruleToForm, type RuleForm } from './rule-form.js'

describe('the tag rule form', () => {
  it.each<[string, RuleForm, unknown]>([
    ['one purchase condition alone', { join: 'all', leaves: [{ field: 'bought', op: 'department', values: ['母婴'], days: 90, min: 2 }] }, { field: 'bought', op: 'department', value: ['母婴'], days: 90, min: 2 }],
    ['a minimum of one left out', { join: 'all', leaves: [{ field: 'bought', op: 'category', values: ['奶粉'], days: 30, min: 1 }] }, { field: 'bought', op: 'category', value: ['奶粉'], days: 30 }],
    ['money in yuan sent in fen', { join: 'any', leaves: [{ field: 'spend_w', op: 'gte', value: 1234.5 }, { field: 'rfm_class', op: 'in', values: ['important_value'] }] },
      { any: [{ field: 'spend_w', op: 'gte', value: 123_450 }, { field: 'rfm_class', op: 'in', value: ['important_value'] }] }],
    ['a tag', { join: 'all', leaves: [{ field: 'tag', op: 'lacks', values: ['tag_1'] }, { field: 'promo_share_pm', op: 'gte', value: 500 }] },
      { all: [{ field: 'tag', op: 'lacks', value: 'tag_1' }, { field: 'promo_share_pm', op: 'gte', value: 500 }] }],
  ])('%s, and back', (_, form, rule) => {
    expect(formToRule(form)).toEqual(rule)
    expect(ruleToForm(rule)).toEqual(form)
  })

  it('leaves nested rules to words', () => {
    expect(ruleToForm({ all: [{ any: [{ field: 'gender', op: 'in', value: ['female'] }] }] })).toBeNull()
    expect(ruleToForm({ not: { field: 'gender', op: 'in', value: ['female'] } })).toBeNull()
    expect(ruleToForm({ field: 'consent', op: 'granted', value: 'sms' })).toBeNull()
    expect(ruleToForm({ field: 'age', op: 'between', value: [20, 30] })).toBeNull()
  })

  it('starts each kind of condition with sensible defaults', () => {
    expect(emptyLeaf('bought')).toEqual({ field: 'bought', op: 'department', values: [], days: 90, min: 1 })
    expect(emptyLeaf('recency_days')).toEqual({ field: 'recency_days', op: 'gte', value: null })
    expect(emptyLeaf('lifecycle')).toEqual({ field: 'lifecycle', op: 'in', values: [] })
  })

  it.each([
    ['rule.all[1].days', { leaf: 1, input: 'days' }],
    ['rule.days', { leaf: 0, input: 'days' }],
    ['rule', { leaf: 0, input: '' }],
    ['name', { leaf: null, input: 'name' }],
  ])('places the server\'s error %s', (field, place) => expect(errorPlace(field)).toEqual(place))
})
