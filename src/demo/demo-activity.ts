import { findPiecePricedProducts } from '../modules/catalog/index.js'
import { findRegistrationStores } from '../modules/members/index.js'
import { listAllStores } from '../modules/org/index.js'
import { countOrdersByRequestKeyPrefix } from '../modules/rewards/index.js'
import { findReceiptNosWithPrefix } from '../modules/transactions/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import { isDomainError } from '../shared/errors.js'
import { issuedCouponsOfActiveMembers, richestActiveMembers } from './demo-members.js'
import { giftPicture } from './demo-pictures.js'

/** Receipts in which demo members pay with their issued coupon carry this prefix. */
export const COUPON_SALE_PREFIX = 'DEMO-Q'
/** Gift orders by demo members are asked for with request keys of this prefix (a re-run finds them). */
const GIFT_KEY_PREFIX = 'demo-gift-'

export interface ActivityOptions {
  /** sales today that pay with a member's issued coupon */
  couponSales: number
  /** gift redemptions: every second one collected, every fifth cancelled, the rest waiting */
  giftOrders: number
}

export interface ActivityResult {
  couponSales: number
  giftOrders: number
  collected: number
  cancelled: number
  pictures: number
  errors: string[]
}

/** How many coupon sales and gift orders a demo of `members` gets: enough for every report to read. */
export const activityFor = (members: number): ActivityOptions => ({
  couponSales: Math.min(300, Math.max(20, Math.round(members / 60))),
  giftOrders: Math.min(150, Math.max(12, Math.round(members / 120))),
})

/**
 * The demo chain uses what it issues, through the same services a till and a desk use: members
 * pay part of today's shopping with their "满 100 减 20" coupon, redeem gifts for points (some
 * collected, some cancelled, some waiting), and every gift has a picture. Deterministic, and a
 * re-run adds only what is missing (counted by receipt prefix and request key).
 */
export const seedDemoActivity = async (services: Services, actor: Actor, options: ActivityOptions): Promise<ActivityResult> => {
  const { db, receipts, gifts, clock, timezone } = services
  const result: ActivityResult = { couponSales: 0, giftOrders: 0, collected: 0, cancelled: 0, pictures: 0, errors: [] }
  const note = (err: unknown) => {
    if (!isDomainError(err)) throw err
    if (result.errors.length < 5) result.errors.push(`${err.code}: ${err.message}`)
  }

  // ---- gift pictures ----
  const unpictured = (await gifts.list(actor)).filter((g) => !g.hasPicture).sort((a, b) => byText(a.name, b.name))
  for (const g of unpictured) {
    await gifts.setPicture(actor, g.id, giftPicture(g.name).toString('base64'))
    result.pictures++
  }

  // ---- coupons used at the till ----
  const stores = await listAllStores(db, { status: 'open' })
  const done = await findReceiptNosWithPrefix(db, COUPON_SALE_PREFIX)
  const wanted = options.couponSales - done.length
  if (wanted > 0 && stores.length > 0) {
    const goods = (await findPiecePricedProducts(db, 1_000, 6_000, 40)).map((p) => ({ sku: p.sku, name: p.name, list_price: p.listPrice }))
    const held = goods.length === 0 ? [] : await issuedCouponsOfActiveMembers(db, { kind: 'threshold', name: '满 100 减 20' }, wanted * 3)
    // Today's sales, spread from the morning to now (coupons are valid from the day they are issued).
    const now = clock.now().getTime()
    const local = new Date(now + offsetMinutes(timezone, now) * 60_000)
    const morning = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 8) - offsetMinutes(timezone, now) * 60_000
    const start = Math.min(now - 60_000, Math.max(morning, now - 12 * 3_600_000))
    let n = done.length
    for (let i = 0; i < held.length && result.couponSales < wanted; i += 3) {
      const c = held[i]!
      const lines = basket(goods, Number(c.min_spend) + 1_500, i)
      const total = lines.reduce((a, l) => a + l.amount, 0)
      const discount = Number(c.value)
      const businessAt = new Date(start + Math.floor(((now - start) * (result.couponSales + 1)) / (wanted + 1))).toISOString()
      const store = stores[i % stores.length]!
      try {
        await receipts.postSale(actor, {
          storeId: store.id, till: '01', receiptNo: `${COUPON_SALE_PREFIX}${String(++n).padStart(5, '0')}`, businessAt, member: { id: c.member_id },
          lines, tenders: [{ kind: 'coupon', amount: discount, reference: c.code }, { kind: i % 2 ? 'wechat_pay' : 'alipay', amount: total - discount }], total,
        }, { source: 'till' })
        result.couponSales++
      } catch (err) {
        note(err)
      }
    }
  }

  // ---- gifts redeemed for points ----
  const toOrder = options.giftOrders - await countOrdersByRequestKeyPrefix(db, GIFT_KEY_PREFIX)
  if (toOrder > 0) {
    const catalogue = (await gifts.list(actor, { status: 'active' })).filter((g) => g.minTier === null).sort((a, b) => a.pointsPrice - b.pointsPrice)
    const rich = await richestActiveMembers(db, 1_000, toOrder * 2)
    const registeredAt = await findRegistrationStores(db, rich.map((m) => m.member_id))
    for (const [i, m] of rich.entries()) {
      if (result.giftOrders >= toOrder || catalogue.length === 0) break
      const gift = catalogue[i % catalogue.length]!
      if (gift.pointsPrice > Number(m.balance)) continue
      const where = gift.stock.filter((s) => s.available > 0).sort((a, b) => byText(a.location, b.location))
      const pickup = gift.stockMode === 'central' ? (registeredAt.get(m.member_id) ?? stores[0]?.id) : where[i % Math.max(1, where.length)]?.location
      if (!pickup || where.length === 0) continue
      try {
        const order = await gifts.redeem(actor, { memberId: m.member_id, giftId: gift.id, pickupStoreId: pickup, requestKey: `${GIFT_KEY_PREFIX}${m.member_id}` })
        result.giftOrders++
        if (result.giftOrders % 5 === 0) {
          await gifts.cancel(actor, order.id, { reason: '会员改主意，积分已退回' })
          result.cancelled++
        } else if (result.giftOrders % 2 === 0) {
          await gifts.collect(actor, order.id)
          result.collected++
        }
      } catch (err) {
        note(err)
      }
    }
  }
  return result
}

/** Text order as the databases' ORDER BY on these columns: by code unit (names and ids here compare alike on both engines). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Lines from the catalogue adding up to at least `atLeast` fen (so a threshold coupon applies). */
const basket = (goods: ReadonlyArray<{ sku: string; name: string; list_price: number | string }>, atLeast: number, seed: number) => {
  const lines: Array<{ sku: string; name: string; quantity: number; unitPrice: number; amount: number }> = []
  let sum = 0
  for (let k = 0; sum < atLeast; k++) {
    const p = goods[(seed * 7 + k * 3) % goods.length]!
    const price = Number(p.list_price)
    const quantity = 1 + ((seed + k) % 2)
    lines.push({ sku: p.sku, name: p.name, quantity, unitPrice: price, amount: price * quantity })
    sum += price * quantity
  }
  return lines
}

/** The zone's offset from UTC at an instant, in minutes (Asia/Shanghai: 480). */
const offsetMinutes = (timeZone: string, at: number): number => {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at)
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value)
  return Math.round((Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - Math.floor(at / 60_000) * 60_000) / 60_000)
}
