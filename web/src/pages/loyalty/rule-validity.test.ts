import { describe, expect, it } from 'vitest'
import { ruleValidity } from './rule-validity.js'

describe('a rule validity in the chain zone', () => {
  it.each([
    ['the base rule (no start, no end)', '2000-01-01T00:00:00.000Z', null, { from: null, to: null }],
    ['no start, an end', '2000-01-01T00:00:00.000Z', '2026-12-31T16:00:00.000Z', { from: null, to: '2027-01-01 00:00' }],
    ['a start, no end', '2026-11-30T16:00:00.000Z', null, { from: '2026-12-01 00:00', to: null }],
    ['a start and an end', '2026-11-30T16:00:00.000Z', '2026-12-07T16:00:00.000Z', { from: '2026-12-01 00:00', to: '2026-12-08 00:00' }],
  ])('%s', (_label, validFrom, validTo, expected) => {
    expect(ruleValidity({ validFrom, validTo }, 'Asia/Shanghai')).toEqual(expected)
  })
})
