import { describe, expect, it } from 'vitest'
import { chances, drawPhase, emptyDraw, toDrawBody, toFormValues, type Draw } from './draw-form.js'

const TZ = 'Asia/Shanghai'
const draw: Draw = {
  id: 'drw_1', name: '春节抽奖', description: null, startsAt: '2026-02-01T16:00:00.000Z', endsAt: '2026-03-01T16:00:00.000Z', entryPoints: 100,
  freeTiers: ['gold'], freeMinSpend: 10000, perMemberLimit: 5, perDayLimit: null, noPrizeWeight: 80, noPrizePct: 80, fallbackPrizeId: 'dpz_2', status: 'draft',
  prizes: [
    { id: 'dpz_1', seq: 1, name: '满100减10券', kind: 'coupon', couponTemplateId: 'ctp_1', points: null, giftId: null, stock: 10, won: 0, weight: 10, chancePct: 10 },
    { id: 'dpz_2', seq: 2, name: '50积分', kind: 'points', couponTemplateId: null, points: 50, giftId: null, stock: 100, won: 0, weight: 10, chancePct: 10 },
  ],
  createdBy: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
}

describe('the draw form', () => {
  it('shows a draw in the chain zone and in yuan, and gives back the same body', () => {
    const values = toFormValues(draw, TZ)
    expect(values.startsAt.format('YYYY-MM-DD HH:mm')).toBe('2026-02-02 00:00')
    expect(values).toMatchObject({ freeMinSpend: 100, fallbackPrize: 2 })
    expect(toDrawBody(values, TZ)).toEqual({
      name: '春节抽奖', description: null, startsAt: draw.startsAt, endsAt: draw.endsAt, entryPoints: 100, freeTiers: ['gold'], freeMinSpend: 10000,
      perMemberLimit: 5, perDayLimit: null, noPrizeWeight: 80, fallbackPrize: 2,
      prizes: [
        { name: '满100减10券', kind: 'coupon', couponTemplateId: 'ctp_1', points: null, giftId: null, stock: 10, weight: 10 },
        { name: '50积分', kind: 'points', couponTemplateId: null, points: 50, giftId: null, stock: 100, weight: 10 },
      ],
    })
  })

  it('sends only the field of the kind a prize is, and no fallback as null', () => {
    const values = { ...emptyDraw(TZ, new Date('2026-03-02T02:10:00.000Z')), name: ' 抽奖 ', prizes: [{ name: '杯子', kind: 'gift' as const, giftId: 'gft_1', points: 100, couponTemplateId: 'ctp_1', stock: 1, weight: 1 }] }
    const body = toDrawBody(values, TZ)
    expect(body).toMatchObject({ name: '抽奖', fallbackPrize: null, freeTiers: null, freeMinSpend: null, startsAt: '2026-03-02T02:10:00.000Z', endsAt: '2026-04-01T02:10:00.000Z' })
    expect(body.prizes[0]).toEqual({ name: '杯子', kind: 'gift', giftId: 'gft_1', points: null, couponTemplateId: null, stock: 1, weight: 1 })
  })

  it.each([
    [[{ weight: 1 }, { weight: 3 }], 6, { prizes: [10, 30], noPrize: 60 }],
    [[{ weight: 1 }, undefined, { weight: null }], 2, { prizes: [33.33, 0, 0], noPrize: 66.67 }],
    [[], 0, { prizes: [], noPrize: 0 }],
  ])('chances of %o with no-prize weight %i', (prizes, none, expected) => {
    expect(chances(prizes, none)).toEqual(expected)
  })

  it.each([
    ['draft', '2026-02-10T00:00:00Z', 'draft'],
    ['active', '2026-01-10T00:00:00Z', 'scheduled'],
    ['active', '2026-02-10T00:00:00Z', 'open'],
    ['active', '2026-03-01T16:00:00Z', 'ended'],
    ['closed', '2026-02-10T00:00:00Z', 'closed'],
  ] as const)('a %s draw at %s is %s', (status, now, phase) => {
    expect(drawPhase({ ...draw, status }, new Date(now))).toBe(phase)
  })
})
