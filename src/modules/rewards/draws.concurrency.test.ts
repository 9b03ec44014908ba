import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { sale } from '../../../test/receipts.js'
import type { DrawInput } from './draw-rules.js'

// On PostgreSQL the context's pool has 10 connections, so these races are real.
const context = useTestContext({ poolSize: 10 })
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? (r.reason as { code?: string }).code ?? String(r.reason) : 'ok')
const tally = (results: Array<PromiseSettledResult<unknown>>) => {
  const out: Record<string, number> = {}
  for (const r of results) out[codeOf(r)] = (out[codeOf(r)] ?? 0) + 1
  return out
}
const activeDraw = async (over: Partial<DrawInput>) => {
  const draw = await t.services.draws.create(t.actors.hq_marketing, {
    name: '并发抽奖', startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-04-01T00:00:00.000Z', entryPoints: 0, noPrizeWeight: 1, prizes: [], ...over,
  })
  return t.services.draws.activate(t.actors.hq_marketing, draw.id)
}
const members = (n: number) => Promise.all(Array.from({ length: n }, () => t.given.member()))
const drawLedger = async (memberIds: string[]) => {
  const row = await t.services.db.selectFrom('points_entries').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('points')])
    .where('kind', '=', 'draw').where('member_id', 'in', memberIds).executeTakeFirstOrThrow()
  return { n: Number(row.n), points: Number(row.points) }
}
const entryCount = async (drawId: string, memberId?: string) => {
  let q = t.services.db.selectFrom('draw_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('draw_id', '=', drawId)
  if (memberId) q = q.where('member_id', '=', memberId)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

describe('races', () => {
  it('a prize with stock 5 under 200 concurrent draws: exactly 5 won, points charged for every draw that happened and none that failed', async () => {
    const { id: templateId } = await t.given.couponTemplate({ name: '抽奖券', kind: 'amount', value: 500, minSpend: 0 })
    // The prize is a coupon, so winning gives no points that would pay for more entries.
    const draw = await activeDraw({
      entryPoints: 10, noPrizeWeight: 0, fallbackPrize: null,
      prizes: [{ name: '5元券', kind: 'coupon', couponTemplateId: templateId, stock: 5, weight: 1 }],
    })
    const rich = await members(15)
    const poor = await members(5)
    for (const m of rich) await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 1000, reason: '测试积分' })
    for (const m of poor) await t.services.loyalty.adjust(t.actors.hq_admin, { memberId: m.id, points: 25, reason: '测试积分' })
    const everyone = [...rich, ...poor]

    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) =>
      t.services.draws.enter(i % 2 ? t.actors.cashier : t.actors.cashierB, draw.id, { memberId: everyone[i % 20]!.id })))
    // Each member tried 10 times: the 5 poor could pay for 2 entries each.
    expect(tally(results)).toEqual({ ok: 150 + 10, LOYALTY_INSUFFICIENT_POINTS: 40 })

    const after = await t.services.draws.get(t.actors.hq_admin, draw.id)
    expect(after.prizes[0]).toMatchObject({ stock: 5, won: 5 })
    const entries = await entryCount(draw.id)
    expect(entries).toBe(160)
    const won = await t.services.db.selectFrom('draw_entries').select(['outcome', 'fell_back', 'coupon_id']).where('draw_id', '=', draw.id).where('outcome', '=', 'won').execute()
    expect(won).toHaveLength(5)
    expect(new Set(won.map((w) => w.coupon_id)).size).toBe(5)
    expect(await drawLedger(everyone.map((m) => m.id))).toEqual({ n: 160, points: -160 * 10 })
    for (const m of poor) {
      expect(await entryCount(draw.id, m.id)).toBe(2)
      expect((await t.services.loyalty.points(t.actors.hq_admin, m.id)).balance).toBe(5)
    }
    const issued = await t.services.db.selectFrom('coupons').select((eb) => eb.fn.countAll<number>().as('n')).where('template_id', '=', templateId).executeTakeFirstOrThrow()
    expect(Number(issued.n)).toBe(5)
    expect(await t.services.loyalty.verify()).toEqual([])
    expect(await t.services.verifyRewards()).toEqual([])
  })

  it('per-day and per-member limits hold exactly under concurrent entries', async () => {
    const daily = await activeDraw({ perDayLimit: 2 })
    const overall = await activeDraw({ perMemberLimit: 3 })
    const group = await members(5)
    const attempts = (drawId: string) => group.flatMap((m) => Array.from({ length: 10 }, () => t.services.draws.enter(t.actors.cashier, drawId, { memberId: m.id })))
    const [d, o] = await Promise.all([Promise.allSettled(attempts(daily.id)), Promise.allSettled(attempts(overall.id))])
    expect(tally(d)).toEqual({ ok: 10, DRAW_DAY_LIMIT: 40 })
    expect(tally(o)).toEqual({ ok: 15, DRAW_MEMBER_LIMIT: 35 })
    for (const m of group) {
      expect(await entryCount(daily.id, m.id)).toBe(2)
      expect(await entryCount(overall.id, m.id)).toBe(3)
    }
    expect(await t.services.verifyRewards()).toEqual([])
  })

  it("a qualifying receipt gives one free entry however many are tried at once", async () => {
    const draw = await activeDraw({ entryPoints: 100, freeMinSpend: 5000 })
    const m = await t.given.member()
    await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: m.id }, lines: [['SKU-C', 1, 5000]] })) // earns 50 points
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => t.services.draws.enter(t.actors.cashier, draw.id, { memberId: m.id })))
    expect(tally(results)).toEqual({ ok: 1, LOYALTY_INSUFFICIENT_POINTS: 19 })
    const entries = await t.services.draws.entries(t.actors.hq_admin, draw.id)
    expect(entries.items).toMatchObject([{ freeReason: 'purchase', costPoints: 0 }])
    expect(await drawLedger([m.id])).toEqual({ n: 0, points: 0 })
    expect(await t.services.loyalty.verify()).toEqual([])
  })
})
