import { describe, expect, it } from 'vitest'
import { rulePlace } from './rule-errors.js'

describe('where a rule error is', () => {
  it.each([
    ['rule.all[1].days', { steps: [2], input: 'days' }],
    ['rule.all[0].any[2].value', { steps: [1, 3], input: 'value' }],
    ['rule.value[0]', { steps: [], input: 'value' }],
    ['rule.all[1].value[3]', { steps: [2], input: 'value' }],
    ['rule.not.field', { steps: [], input: 'field' }],
    ['rule', { steps: [], input: '' }],
  ])('%s', (field, place) => expect(rulePlace(field)).toEqual(place))

  it('is not about the rule', () => expect(rulePlace('name')).toBeNull())
})
