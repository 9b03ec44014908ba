import { describe, expect, it } from 'vitest'
import { ascending, namePath, rateOf, ratePercent, reasonOf, toBody, toForm, type InsightSettings } from './settings-form.js'

const defaults: InsightSettings = {
  windowDays: 365,
  rfm: { method: 'quintile', fixed: null },
  quadrant: { incomeThreshold: null, spendThreshold: null },
  frequency: { method: 'tercile', mid: null, high: null },
  amount: { method: 'tercile', mid: null, high: null },
  lifecycle: { newDays: null, dormantDays: null, lostDays: null },
  clv: { horizonMonths: 12, discountRate: 0.1 },
}

describe('insight settings form', () => {
  it('round-trips the defaults unchanged', () => {
    expect(toBody(toForm(defaults))).toEqual(defaults)
  })

  it('shows money in yuan and sends it back in fen', () => {
    const set: InsightSettings = {
      ...defaults,
      rfm: { method: 'fixed', fixed: { r: [7, 30, 90, 180], f: [2, 4, 8, 16], m: [10_000, 50_000, 100_050, 500_000] } },
      quadrant: { incomeThreshold: '8k_12k', spendThreshold: 300_000 },
      amount: { method: 'fixed', mid: 20_000, high: 80_000 },
      frequency: { method: 'fixed', mid: 3, high: 12 },
      lifecycle: { newDays: 30, dormantDays: 60, lostDays: 120 },
    }
    const form = toForm(set)
    expect(form.rfm.fixed!.m).toEqual([100, 500, 1000.5, 5000])
    expect(form.quadrant.spendThreshold).toBe(3000)
    expect(form.amount).toEqual({ method: 'fixed', mid: 200, high: 800 })
    expect(toBody(form)).toEqual(set)
  })

  it('starts fixed RFM cuts from the cuts in force (rounded, M in yuan) until HQ sets its own', () => {
    const form = toForm(defaults, { r: [12.4, 40, 95, 200], f: [2, 3, 5, 9], m: [8_800, 20_000, 45_000, 99_900] })
    expect(form.rfm.fixed).toEqual({ r: [12, 40, 95, 200], f: [2, 3, 5, 9], m: [88, 200, 450, 999] })
    // still quintiles: the cuts are not sent (hidden inputs must not be refused)
    expect(toBody(form).rfm).toEqual({ method: 'quintile', fixed: null })
    expect(toBody({ ...form, rfm: { ...form.rfm, method: 'fixed' } }).rfm).toEqual({ method: 'fixed', fixed: { r: [12, 40, 95, 200], f: [2, 3, 5, 9], m: [8_800, 20_000, 45_000, 99_900] } })
  })

  it('starts fixed cuts from tied quintile cuts made strictly ascending, as the server requires', () => {
    expect(ascending([2, 2, 3, 4])).toEqual([2, 3, 4, 5])
    expect(ascending([1, 1, 1, 9])).toEqual([1, 2, 3, 9])
    expect(ascending([4.4, 53, 116, 232])).toEqual([4, 53, 116, 232])
    expect(toForm(defaults, { r: [5, 54, 117, 233], f: [2, 2, 3, 4], m: [9_910, 15_522, 30_180, 59_302] }).rfm.fixed!.f).toEqual([2, 3, 4, 5])
  })

  it('drops the cuts with quintiles, but sends incomplete ones with the fixed method for the server to name the gap', () => {
    const form = toForm(defaults)
    form.rfm.fixed!.r = [7, 30, null, 180]
    expect(toBody(form).rfm.fixed).toBeNull()
    form.rfm.method = 'fixed'
    expect(toBody(form).rfm.fixed?.r).toEqual([7, 30, null, 180])
  })

  it('sends a level’s thresholds only with its fixed method, and empty inputs as derived (null)', () => {
    const form = toForm(defaults)
    form.frequency = { method: 'tercile', mid: 3, high: 9 }
    form.lifecycle = { newDays: undefined as unknown as null, dormantDays: 45, lostDays: null }
    const body = toBody(form)
    expect(body.frequency).toEqual({ method: 'tercile', mid: null, high: null })
    expect(body.lifecycle).toEqual({ newDays: null, dormantDays: 45, lostDays: null })
  })

  it('shows the CLV’s discount rate in % and sends it back as a fraction', () => {
    const form = toForm({ ...defaults, clv: { horizonMonths: 24, discountRate: 0.0725 } })
    expect(form.clv).toEqual({ horizonMonths: 24, discountRate: 7.25 })
    expect(toBody(form).clv).toEqual({ horizonMonths: 24, discountRate: 0.0725 })
    expect(toBody({ ...form, clv: { horizonMonths: 36, discountRate: 0 } }).clv).toEqual({ horizonMonths: 36, discountRate: 0 })
  })

  it.each([
    [0.1, 10], [0.07, 7], [0.0725, 7.25], [0, 0], [1, 100], [0.123456, 12.35],
  ])('writes the yearly rate %f as %f %% and reads it back', (rate, percent) => {
    expect(ratePercent(rate)).toBe(percent)
    expect(rateOf(percent)).toBe(Math.round(rate * 10_000) / 10_000)
  })

  it('keeps an empty discount rate empty, for the server to name the field', () => {
    expect(rateOf(null)).toBeNull()
    expect(rateOf(undefined)).toBeNull()
  })

  it('sends no fixed cuts from a form that never showed them', () => {
    expect(toBody({ ...toForm(defaults), rfm: { method: 'quintile' } }).rfm).toEqual({ method: 'quintile', fixed: null })
  })

  it.each([
    ['windowDays', ['windowDays']],
    ['rfm.fixed.r.2', ['rfm', 'fixed', 'r', 2]],
    ['lifecycle.lostDays', ['lifecycle', 'lostDays']],
    ['clv.discountRate', ['clv', 'discountRate']],
  ])('reads the server field %s as the form name %j', (field, path) => {
    expect(namePath(field)).toEqual(path)
  })
})

describe('the server’s reasons in the form’s words', () => {
  it.each([
    ['days, a whole number from 1 to 3650', { key: 'range', values: { min: 1, max: 3650 } }],
    ['receipts, a whole number from 1 to 100000', { key: 'range', values: { min: 1, max: 100000 } }],
    ['fen, a whole number from 0 to 10000000000', { key: 'rangeYuan', values: { min: 0, max: 100000000 } }],
    ['cut points must be in ascending order, each above the one before', { key: 'ascending' }],
    ['is required with the fixed method', { key: 'required' }],
    ['must be above mid', { key: 'aboveMid' }],
    ['must be more than dormantDays', { key: 'lostAfterDormant' }],
    ['must not be more than dormantDays', { key: 'newNotAboveDormant' }],
    ['unknown income band; one of below_3k, 3k_5k', { key: 'unknownBand' }],
    ['months, a whole number from 1 to 120', { key: 'range', values: { min: 1, max: 120 } }],
    ['a yearly rate from 0 to 1', { key: 'rangePercent', values: { min: 0, max: 100 } }],
    ['must be a number', null],
  ])('reads %j', (reason, expected) => {
    expect(reasonOf(reason)).toEqual(expected)
  })

  it.each([
    ['must be >= 1', 'windowDays', { key: 'atLeast', values: { n: 1 } }],
    ['must be <= 3650', 'lifecycle.lostDays', { key: 'atMost', values: { n: 3650 } }],
    ['must be >= 1', 'rfm.fixed.m.0', { key: 'atLeast', values: { n: 0.01 } }],
    ['must be >= 0', 'quadrant.spendThreshold', { key: 'atLeast', values: { n: 0 } }],
    ['must be <= 120', 'clv.horizonMonths', { key: 'atMost', values: { n: 120 } }],
    ['must be <= 1', 'clv.discountRate', { key: 'atMost', values: { n: '100%' } }],
    ['must be >= 0', 'clv.discountRate', { key: 'atLeast', values: { n: '0%' } }],
  ])('reads the schema’s bound %j on %s in the field’s unit', (reason, field, expected) => {
    expect(reasonOf(reason, field)).toEqual(expected)
  })
})
