import { describe, expect, it } from 'vitest'
import { formField, newValues, toBody, toValues, type Programme } from './programme-form.js'

const programme: Programme = {
  id: 'rbp_1', name: '2025 返利', periodFrom: '2025-01-01', periodTo: '2025-12-31', basis: 'spend', reward: 'coupon', couponTemplateId: 'cpt_1',
  minRebate: 500, brackets: [{ min: 100_000, rateBp: 150, fixed: 0 }, { min: 500_000, rateBp: 200, fixed: 1_000 }], tierRates: { gold: 300 },
  status: 'draft', membersRewarded: 0, totalRebate: 0, pointValueFen: null, createdBy: null, createdAt: '', updatedAt: '', runAt: null, runBy: null,
}

describe('the programme form', () => {
  it('shows fen as yuan and basis points as percent', () => {
    expect(toValues(programme)).toMatchObject({
      minRebate: 5, brackets: [{ min: 1000, ratePct: 1.5, fixed: 0 }, { min: 5000, ratePct: 2, fixed: 10 }], tierRates: { gold: 3 },
    })
  })

  it('gives back what it was given', () => {
    const { id: _id, status: _s, membersRewarded: _m, totalRebate: _t, pointValueFen: _p, createdBy: _c, createdAt: _ca, updatedAt: _u, runAt: _r, runBy: _rb, ...terms } = programme
    expect(toBody(toValues(programme))).toEqual(terms)
  })

  it('keeps points as points and drops empty tier rates and a template for a points reward', () => {
    const body = toBody({
      ...toValues({ ...programme, basis: 'points', reward: 'points', couponTemplateId: null }),
      tierRates: { gold: null as unknown as number, silver: 0.29 }, couponTemplateId: 'cpt_1',
    })
    expect(body).toMatchObject({ brackets: [{ min: 100_000, rateBp: 150, fixed: 0 }, { min: 500_000, rateBp: 200, fixed: 1_000 }], minRebate: 500, tierRates: { silver: 29 }, couponTemplateId: null })
    expect(toBody({ ...newValues('2026-03-02'), name: ' x ', tierRates: {} })).toMatchObject({ name: 'x', tierRates: null, periodFrom: '2025-01-01', periodTo: '2025-12-31' })
  })

  it.each([
    ['brackets.1.rateBp', ['brackets', 1, 'ratePct']],
    ['brackets.0.min', ['brackets', 0, 'min']],
    ['periodTo', ['period']],
    ['tierRates.gold', ['tierRates', 'gold']],
    ['name', ['name']],
  ])('puts the server field %s on %j', (field, path) => expect(formField(field)).toEqual(path))
})
