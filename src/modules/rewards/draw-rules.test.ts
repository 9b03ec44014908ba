import { describe, expect, it } from 'vitest'
import { chancePct, entryCost, limitBroken, pickPrize, totalWeight, validateDraw, type DrawInput } from './draw-rules.js'

const prizes = [{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }, { id: 'c', weight: 0 }, { id: 'd', weight: 6 }]

describe('pickPrize', () => {
  it.each([
    [0, 'a'], [1, 'b'], [3, 'b'], [4, 'd'], [9, 'd'], [10, null], [14, null],
  ])('random %i picks %s (weights 1, 3, 0, 6 and no prize 5)', (r, id) => {
    expect(pickPrize(prizes, 5, r)?.id ?? null).toBe(id)
  })

  it('never picks a prize of weight 0 and covers every prize in proportion to its weight', () => {
    const counts = new Map<string | null, number>()
    for (let r = 0; r < totalWeight(prizes, 5); r++) {
      const id = pickPrize(prizes, 5, r)?.id ?? null
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    expect(Object.fromEntries(counts)).toEqual({ a: 1, b: 3, d: 6, null: 5 })
  })

  it.each([-1, 15, 1.5])('refuses a random number %s outside the range', (r) => {
    expect(() => pickPrize(prizes, 5, r)).toThrow(RangeError)
  })
})

describe('chancePct', () => {
  it.each([[1, 3, 33.33], [0, 10, 0], [5, 0, 0], [10, 10, 100]])('%i of %i is %s%%', (w, t, pct) => expect(chancePct(w, t)).toBe(pct))
})

describe('entryCost', () => {
  const draw = { entryPoints: 100, freeTiers: ['gold'] }
  it.each([
    ['a free draw', { entryPoints: 0, freeTiers: null }, { tierCode: null, hasFreeReceipt: true }, { points: 0, freeReason: null }],
    ['a free tier', draw, { tierCode: 'gold', hasFreeReceipt: true }, { points: 0, freeReason: 'tier' }],
    ['a qualifying receipt', draw, { tierCode: 'regular', hasFreeReceipt: true }, { points: 0, freeReason: 'purchase' }],
    ['otherwise the entry points', draw, { tierCode: 'regular', hasFreeReceipt: false }, { points: 100, freeReason: null }],
    ['no tier', draw, { tierCode: null, hasFreeReceipt: false }, { points: 100, freeReason: null }],
  ] as const)('%s', (_, d, member, cost) => {
    expect(entryCost(d as { entryPoints: number; freeTiers: string[] | null }, member)).toEqual(cost)
  })
})

describe('limitBroken', () => {
  it.each([
    [{ perMemberLimit: null, perDayLimit: null }, { total: 99, today: 99 }, null],
    [{ perMemberLimit: 3, perDayLimit: 1 }, { total: 2, today: 0 }, null],
    [{ perMemberLimit: 3, perDayLimit: 1 }, { total: 2, today: 1 }, 'day'],
    [{ perMemberLimit: 3, perDayLimit: 1 }, { total: 3, today: 0 }, 'member'],
  ] as const)('%o with %o: %s', (draw, counts, broken) => expect(limitBroken(draw, counts)).toBe(broken))
})

describe('validateDraw', () => {
  const valid: DrawInput = {
    name: '春节抽奖', startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-03-31T00:00:00.000Z', entryPoints: 100, noPrizeWeight: 90,
    fallbackPrize: null, prizes: [{ name: '100积分', kind: 'points', points: 100, stock: 10, weight: 10 }],
  }
  it('accepts a sound draw', () => expect(validateDraw(valid)).toEqual([]))
  it.each<[string, Partial<DrawInput>, string]>([
    ['an empty name', { name: ' ' }, 'name'],
    ['an end before the start', { endsAt: '2026-02-01T00:00:00.000Z' }, 'endsAt'],
    ['a date that is not an instant', { startsAt: '2026-03-01' }, 'startsAt'],
    ['negative entry points', { entryPoints: -1 }, 'entryPoints'],
    ['fractional entry points', { entryPoints: 1.5 }, 'entryPoints'],
    ['a zero limit', { perDayLimit: 0 }, 'perDayLimit'],
    ['a zero free spend', { freeMinSpend: 0 }, 'freeMinSpend'],
    ['a fallback beyond the prizes', { fallbackPrize: 2 }, 'fallbackPrize'],
    ['weights adding up to 0', { noPrizeWeight: 0, prizes: [{ name: 'x', kind: 'points', points: 1, stock: 1, weight: 0 }] }, 'noPrizeWeight'],
    ['a huge weight', { noPrizeWeight: 10 ** 12 }, 'noPrizeWeight'],
    ['a points prize without points', { prizes: [{ name: 'x', kind: 'points', stock: 1, weight: 1 }] }, 'prizes.0.points'],
    ['a coupon prize without a template', { prizes: [{ name: 'x', kind: 'coupon', stock: 1, weight: 1 }] }, 'prizes.0.couponTemplateId'],
    ['a gift prize without a gift', { prizes: [{ name: 'x', kind: 'gift', stock: 1, weight: 1 }] }, 'prizes.0.giftId'],
    ['a negative stock', { prizes: [{ name: 'x', kind: 'points', points: 1, stock: -1, weight: 1 }] }, 'prizes.0.stock'],
  ])('refuses %s', (_, patch, field) => {
    expect(validateDraw({ ...valid, ...patch }).map((d) => d.field)).toContain(field)
  })
})
