import type { PrizeInput } from '../modules/rewards/draw-rules.js'
import { entrantsOf, findDrawIdByName } from '../modules/rewards/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import { isDomainError } from '../shared/errors.js'
import { richestActiveMembers } from './demo-members.js'

export const DEMO_DRAW_NAME = '春季幸运大抽奖'

/**
 * An open lucky draw for the demo chain: 100 points an entry, free for gold and diamond members
 * and after a purchase of ¥200, three a day; points prizes, and the demo's shopping bag and first
 * active coupon template when they exist. With `entries`, that many of the members with the most
 * points enter once each, so the draw has results. Safe to run again: a draw of that name is kept.
 */
export const seedDemoDraws = async (services: Services, actor: Actor, options: { entries?: number } = {}): Promise<{ created: boolean; entries: number }> => {
  const { db } = services
  const existing = await findDrawIdByName(db, DEMO_DRAW_NAME)
  const drawId = existing ?? await createDraw(services, actor)
  return { created: !existing, entries: await enterMembers(services, actor, drawId, options.entries ?? 0) }
}

const createDraw = async (services: Services, actor: Actor): Promise<string> => {
  const { draws, coupons, gifts, clock } = services
  const now = clock.now()
  const prizes: PrizeInput[] = [
    { name: '888 积分', kind: 'points', points: 888, stock: 20, weight: 2 },
    { name: '88 积分', kind: 'points', points: 88, stock: 500, weight: 20 },
  ]
  const bag = (await gifts.list(actor, { status: 'active' })).find((g) => g.name === '环保购物袋')
  if (bag) prizes.push({ name: '环保购物袋', kind: 'gift', giftId: bag.id, stock: 50, weight: 8 })
  const template = (await coupons.listTemplates(actor, { status: 'active' })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0]
  if (template) prizes.push({ name: template.name, kind: 'coupon', couponTemplateId: template.id, stock: 200, weight: 10 })
  const tiers = new Set((await services.loyalty.config()).tiers.map((t) => t.code))
  const draft = await draws.create(actor, {
    name: DEMO_DRAW_NAME,
    description: '每次 100 积分；金卡、钻石会员免费；单张小票满 ¥200 送一次。每人每天 3 次。',
    startsAt: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
    endsAt: new Date(now.getTime() + 60 * 86_400_000).toISOString(),
    entryPoints: 100,
    freeTiers: ['gold', 'diamond'].filter((c) => tiers.has(c)),
    freeMinSpend: 20_000,
    perMemberLimit: null,
    perDayLimit: 3,
    noPrizeWeight: 60,
    fallbackPrize: 2,
    prizes,
  })
  await draws.activate(actor, draft.id)
  return draft.id
}

/** Members with the most points who have not entered yet enter once each, up to `target` entries in all. */
const enterMembers = async (services: Services, actor: Actor, drawId: string, target: number): Promise<number> => {
  const { db, draws } = services
  const { entries: already, memberIds: entered } = await entrantsOf(db, drawId)
  let entries = 0
  if (target > already) {
    const members = await richestActiveMembers(db, 100, target - already, entered)
    for (const m of members) {
      try {
        await draws.enter(actor, drawId, { memberId: m.member_id })
        entries++
      } catch (err) {
        // Points that expired still count in a balance but cannot pay: that member sits it out.
        if (!isDomainError(err)) throw err
      }
    }
  }
  return entries
}
