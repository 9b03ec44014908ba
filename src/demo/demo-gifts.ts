import { listAllStores } from '../modules/org/index.js'
import type { GiftInput } from '../modules/rewards/gift-rules.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'

type DemoGift = GiftInput & { stock: number }

/** The demo chain's gift catalogue (积分换购): everyday items a supermarket's members redeem points for. */
export const DEMO_GIFTS: readonly DemoGift[] = [
  { name: '环保购物袋', description: '加厚无纺布，可折叠', pointsPrice: 300, cashPrice: 0, stockMode: 'central', pickupDays: 14, stock: 500 },
  { name: '金龙鱼食用油 1.8L', description: '积分加钱购，领取时付 ¥9.90', pointsPrice: 800, cashPrice: 990, stockMode: 'per_store', pickupDays: 7, perMemberLimit: 2, stock: 40 },
  { name: '不锈钢保温杯 500ml', description: '316 不锈钢内胆，保温 12 小时', pointsPrice: 2_500, cashPrice: 0, stockMode: 'central', pickupDays: 14, perMemberLimit: 1, stock: 120 },
  { name: '维达抽纸 3 包装', description: '三层 130 抽', pointsPrice: 600, cashPrice: 0, stockMode: 'per_store', pickupDays: 7, perMemberLimit: 5, stock: 60 },
  { name: '九阳豆浆机', description: '金卡及以上会员专享', pointsPrice: 15_000, cashPrice: 4_900, stockMode: 'central', pickupDays: 30, perMemberLimit: 1, minTier: 'gold', stock: 10 },
  { name: '新春福袋', description: '春节限定，数量有限', pointsPrice: 1_888, cashPrice: 0, stockMode: 'central', pickupDays: 10, perMemberLimit: 1, stock: 88 },
]

/** How many of the chain's stores stock per-store gifts (the first, by code). */
const STOCKED_STORES = 4

/**
 * Creates the demo gifts with their stock: central gifts in the central store, per-store gifts in
 * the first stores. Safe to run again: a gift of the same name is kept as it is.
 */
export const seedDemoGifts = async (services: Services, actor: Actor): Promise<{ created: number; existing: number }> => {
  const { db, gifts, loyalty } = services
  const names = new Set((await gifts.list(actor)).map((g) => g.name))
  const tiers = new Set((await loyalty.config()).tiers.map((t) => t.code))
  const stores = await listAllStores(db, { status: 'open', limit: STOCKED_STORES })
  let created = 0
  for (const { stock, ...gift } of DEMO_GIFTS) {
    if (names.has(gift.name)) continue
    const initialStock = gift.stockMode === 'central' ? [{ location: 'central', quantity: stock }] : stores.map((s) => ({ location: s.id, quantity: stock }))
    await gifts.create(actor, { ...gift, minTier: gift.minTier && tiers.has(gift.minTier) ? gift.minTier : null, initialStock })
    created++
  }
  return { created, existing: DEMO_GIFTS.length - created }
}
