import type { Db, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorId, actorName, assertCan } from '../../shared/actor.js'
import { conflict, isDomainError, notFound, unprocessable } from '../../shared/errors.js'
import type { EventBus } from '../../shared/events.js'
import { isUniqueViolation } from '../../db/errors.js'
import { newId } from '../../shared/ids.js'
import { assertInScope, homeStoreId, isChainWide, requestedStore, storeFilterFor } from '../../shared/scope.js'
import { dateIn, parseLocalDateTime } from '../../shared/time.js'
import { diffFields } from '../audit/index.js'
import { expiresOnFor, ledger, type LoyaltyConfig } from '../loyalty/index.js'
import { assertLive, findMemberLabels } from '../members/index.js'
import { storeById, storeNamesByIds } from '../org/index.js'
import type { Publisher } from '../outbox/index.js'
import {
  CENTRAL, checkGift, decodePicture, newOrderNo, redeemBlock, stockLocation, toGift, validityOn,
  type Gift, type GiftInput, type GiftRow, type RedeemBlock,
} from './gift-rules.js'
import * as repo from './gifts.repository.js'
import type { GiftOrdersTable, GiftOrderStatus, GiftStockTable } from './gifts.table.js'
import { addDays, type RewardsMismatch } from './rewards-rules.js'
import type { RewardsBaseDeps } from './rewards.types.js'

export interface GiftsDeps extends RewardsBaseDeps {
  events?: EventBus
  /** the durable events: a reserved order publishes gift.reserved, whose job tells the member */
  outbox?: Publisher
  /** the marketing issue's channels: the member is told by SMS that the gift waits (a service message) */
  send?: (input: GiftNotice) => Promise<{ id: string; status: string; error: string | null }>
}

/** The pick-up notice as the channels take it: once per order however often the job runs. */
export interface GiftNotice {
  channel: 'sms'
  purpose: 'service'
  memberId: string
  body: string
  sourceType: 'gift_order'
  sourceId: string
}

export interface GiftOrder {
  id: string
  orderNo: string
  memberId: string
  memberCardNo: string | null
  memberName: string | null
  giftId: string
  giftName: string
  quantity: number
  points: number
  cash: number
  location: string
  pickupStoreId: string | null
  pickupStoreName: string | null
  status: GiftOrderStatus
  source: 'redeem' | 'draw'
  expiresAt: string
  createdBy: string | null
  createdAt: string
  collectedAt: string | null
  collectedBy: string | null
  closedAt: string | null
  closeReason: string | null
}

export interface GiftOption extends Gift {
  /** pieces at the location this member's order would take from */
  availableHere: number
  /** pieces the member holds already (reserved or collected) */
  redeemed: number
  /** why the member cannot redeem it now, or null */
  block: RedeemBlock | null
}

export interface RedeemInput {
  memberId: string
  giftId: string
  quantity?: number
  pickupStoreId?: string | null
  /** a till's key for this redemption: sent again after a lost answer, it gets the first order back */
  requestKey?: string | null
}

export interface StockAdjustment {
  location: string
  /** pieces added (positive) or taken away (negative) */
  delta: number
  reason?: string | null
}

export interface OrderFilter {
  status?: GiftOrderStatus
  storeId?: string
  memberId?: string
  giftId?: string
  /** an order number, exactly */
  orderNo?: string
  cursor?: string
  limit?: number
}

type OrderRow = GiftOrdersTable & { gift_name: string; card_no: string | null; name_masked: string | null; store_name: string | null }

const toOrder = (r: OrderRow): GiftOrder => ({
  id: r.id, orderNo: r.order_no, memberId: r.member_id, memberCardNo: r.card_no, memberName: r.name_masked, giftId: r.gift_id, giftName: r.gift_name,
  quantity: Number(r.quantity), points: Number(r.points), cash: Number(r.cash), location: r.location, pickupStoreId: r.pickup_store_id,
  pickupStoreName: r.store_name, status: r.status, source: r.source, expiresAt: r.expires_at, createdBy: r.created_by, createdAt: r.created_at,
  collectedAt: r.collected_at, collectedBy: r.collected_by, closedAt: r.closed_at, closeReason: r.close_reason,
})

const giftNotFound = () => notFound('GIFT_NOT_FOUND', [{ field: 'giftId', reason: 'no such gift' }])
const orderNotFound = () => notFound('GIFT_ORDER_NOT_FOUND', [{ field: 'id', reason: 'no such gift order' }])
const MAX_QUANTITY = 99
const MAX_STOCK_DELTA = 1_000_000

/** The gift catalogue (积分换购), its stock per place, and redemption orders from reservation to hand-over. */
export const createGiftsService = ({ db, audit, clock, timezone, loyalty, outbox, send }: GiftsDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)
  /** The end of the Nth local day after `at`: a gift reserved on Monday with 3 days waits until Thursday closes. */
  const plusDays = (at: string, days: number) => parseLocalDateTime(`${addDays(dateIn(new Date(at), timezone), days + 1)} 00:00:00`, timezone)!.toISOString()

  const giftRow = async (conn: Db | Trx, id: string): Promise<GiftRow> => {
    const row = await repo.findGift(conn, id)
    if (!row) throw giftNotFound()
    return row
  }
  const stockOf = async (conn: Db | Trx, giftIds: string[]): Promise<Map<string, GiftStockTable[]>> => {
    const out = new Map<string, GiftStockTable[]>()
    if (giftIds.length === 0) return out
    for (const s of await repo.stockOf(conn, giftIds)) {
      out.set(s.gift_id, [...(out.get(s.gift_id) ?? []), s])
    }
    return out
  }
  const withStock = async (conn: Db | Trx, row: GiftRow): Promise<Gift> => toGift(row, (await stockOf(conn, [row.id])).get(row.id) ?? [])

  const tierCodes = async () => (await loyalty.config()).tiers.map((t) => t.code)

  /** An open store, for a pick-up or a stock location. */
  const openStore = async (conn: Db | Trx, storeId: string, field: string) => {
    const store = await storeById(conn, storeId)
    if (!store) throw unprocessable('STORE_NOT_FOUND', [{ field, reason: 'no such store' }])
    if (store.status !== 'open') throw conflict('STORE_CLOSED', [{ field, reason: 'the store is closed' }])
    return store
  }

  const checkLocation = async (conn: Db | Trx, mode: Gift['stockMode'], location: string, field: string) => {
    if (mode === 'central') {
      if (location !== CENTRAL) throw unprocessable('VALIDATION', [{ field, reason: 'this gift is stocked centrally: the location is "central"' }])
      return
    }
    if (location === CENTRAL) throw unprocessable('VALIDATION', [{ field, reason: 'this gift is stocked per store: the location is a store id' }])
    await openStore(conn, location, field)
  }

  // ---- catalogue ----

  const list = async (actor: Actor, filter: { status?: 'active' | 'inactive'; q?: string } = {}): Promise<Gift[]> => {
    assertCan(actor, 'rewards.read')
    // LIKE's wildcards are dropped from the search rather than escaped (escaping differs by engine).
    const text = filter.q?.replace(/[%_]/g, '').trim()
    const rows = await repo.listGifts(db, { status: filter.status, text: text || undefined, limit: 1000 })
    const stock = await stockOf(db, rows.map((r) => r.id))
    return rows.map((r) => toGift(r, stock.get(r.id) ?? []))
  }

  const get = async (actor: Actor, id: string): Promise<Gift> => {
    assertCan(actor, 'rewards.read')
    return withStock(db, await giftRow(db, id))
  }

  const create = async (actor: Actor, input: GiftInput & { initialStock?: Array<{ location: string; quantity: number }> }): Promise<Gift> => {
    assertCan(actor, 'rewards.manage')
    const details = checkGift(input, await tierCodes())
    const initial = input.initialStock ?? []
    initial.forEach((s, i) => {
      if (!Number.isInteger(s.quantity) || s.quantity < 0 || s.quantity > MAX_STOCK_DELTA) details.push({ field: `initialStock.${i}.quantity`, reason: `a whole number from 0 to ${MAX_STOCK_DELTA}` })
    })
    if (new Set(initial.map((s) => s.location)).size !== initial.length) details.push({ field: 'initialStock', reason: 'names a location twice' })
    if (details.length) throw unprocessable('VALIDATION', details)
    for (const [i, s] of initial.entries()) await checkLocation(db, input.stockMode, s.location, `initialStock.${i}.location`)
    const at = now()
    const row = {
      id: newId('gft'), name: input.name.trim(), description: input.description?.trim() || null, points_price: input.pointsPrice, cash_price: input.cashPrice ?? 0,
      stock_mode: input.stockMode, valid_from: input.validFrom ?? null, valid_to: input.validTo ?? null, per_member_limit: input.perMemberLimit ?? null,
      min_tier: input.minTier ?? null, pickup_days: input.pickupDays, picture: null, picture_type: null, status: input.status ?? 'active' as const,
      created_at: at, updated_at: at,
    }
    return db.transaction().execute(async (trx) => {
      await repo.insertGift(trx, row)
      const stocked = initial.filter((s) => s.quantity > 0)
      if (stocked.length) {
        await repo.insertStock(trx, stocked.map((s) => ({ gift_id: row.id, location: s.location, stocked: s.quantity, available: s.quantity, reserved: 0, collected: 0 })))
      }
      const { picture: _p, ...shown } = row
      await audit.record(trx, actor, { action: 'gift.create', entityType: 'gift', entityId: row.id, changes: { after: { ...shown, initialStock: stocked } } })
      return withStock(trx, shown)
    })
  }

  const update = async (actor: Actor, id: string, patch: Partial<GiftInput>): Promise<Gift> => {
    assertCan(actor, 'rewards.manage')
    const codes = await tierCodes()
    return db.transaction().execute(async (trx) => {
      const before = await giftRow(trx, id)
      const merged: GiftInput = {
        name: patch.name ?? before.name, description: patch.description !== undefined ? patch.description : before.description,
        pointsPrice: patch.pointsPrice ?? Number(before.points_price), cashPrice: patch.cashPrice ?? Number(before.cash_price), stockMode: patch.stockMode ?? before.stock_mode,
        validFrom: patch.validFrom !== undefined ? patch.validFrom : before.valid_from, validTo: patch.validTo !== undefined ? patch.validTo : before.valid_to,
        perMemberLimit: patch.perMemberLimit !== undefined ? patch.perMemberLimit : before.per_member_limit,
        minTier: patch.minTier !== undefined ? patch.minTier : before.min_tier, pickupDays: patch.pickupDays ?? before.pickup_days, status: patch.status ?? before.status,
      }
      // A gift whose tier was removed from the ladder keeps it until someone changes it.
      const details = checkGift(merged, merged.minTier === before.min_tier && before.min_tier ? [...codes, before.min_tier] : codes)
      if (details.length) throw unprocessable('VALIDATION', details)
      if (merged.stockMode !== before.stock_mode) {
        if (await repo.hasStock(trx, id)) throw conflict('GIFT_STOCK_MODE_LOCKED', [{ field: 'stockMode', reason: 'the gift has stock; the stock mode cannot change' }])
      }
      const after = {
        name: merged.name.trim(), description: merged.description?.trim() || null, points_price: merged.pointsPrice, cash_price: merged.cashPrice ?? 0,
        stock_mode: merged.stockMode, valid_from: merged.validFrom ?? null, valid_to: merged.validTo ?? null, per_member_limit: merged.perMemberLimit ?? null,
        min_tier: merged.minTier ?? null, pickup_days: merged.pickupDays, status: merged.status ?? 'active',
      }
      const changes = diffFields(before as unknown as Record<string, unknown>, after)
      if (Object.keys(changes).length === 0) return withStock(trx, before)
      await repo.updateGift(trx, id, { ...after, updated_at: now() })
      await audit.record(trx, actor, { action: 'gift.update', entityType: 'gift', entityId: id, changes })
      return withStock(trx, await giftRow(trx, id))
    })
  }

  const setPicture = async (actor: Actor, id: string, data: string | null): Promise<Gift> => {
    assertCan(actor, 'rewards.manage')
    let picture: { base64: string; type: string; bytes: number } | null = null
    if (data !== null) {
      const decoded = await decodePicture(data)
      if ('problem' in decoded) {
        throw decoded.problem === 'too_large'
          ? unprocessable('GIFT_PICTURE_TOO_LARGE', [{ field: 'data', reason: 'at most 1 MiB' }])
          : unprocessable('GIFT_PICTURE_INVALID', [{ field: 'data', reason: 'a PNG, JPEG or WebP picture, base64-encoded' }])
      }
      picture = { base64: decoded.bytes.toString('base64'), type: decoded.type, bytes: decoded.bytes.length }
    }
    return db.transaction().execute(async (trx) => {
      const before = await giftRow(trx, id)
      await repo.updateGift(trx, id, { picture: picture?.base64 ?? null, picture_type: picture?.type ?? null, updated_at: now() })
      await audit.record(trx, actor, {
        action: picture ? 'gift.picture.set' : 'gift.picture.remove', entityType: 'gift', entityId: id,
        changes: { from: before.picture_type, to: picture ? { type: picture.type, bytes: picture.bytes } : null },
      })
      return withStock(trx, await giftRow(trx, id))
    })
  }

  const picture = async (actor: Actor, id: string): Promise<{ bytes: Buffer; type: string; updatedAt: string }> => {
    assertCan(actor, 'rewards.read')
    const row = await repo.findPicture(db, id)
    if (!row) throw giftNotFound()
    if (!row.picture || !row.picture_type) throw notFound('GIFT_NO_PICTURE', [{ field: 'id', reason: 'the gift has no picture' }])
    return { bytes: Buffer.from(row.picture, 'base64'), type: row.picture_type, updatedAt: row.updated_at }
  }

  /** Adds or takes away pieces at one location; only available pieces can be taken away. */
  const adjustStock = async (actor: Actor, id: string, input: StockAdjustment): Promise<Gift> => {
    assertCan(actor, 'rewards.manage')
    const details = []
    if (!Number.isInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > MAX_STOCK_DELTA) details.push({ field: 'delta', reason: `a non-zero whole number of at most ${MAX_STOCK_DELTA} either way` })
    if (input.reason != null && input.reason.length > 200) details.push({ field: 'reason', reason: 'at most 200 characters' })
    if (details.length) throw unprocessable('VALIDATION', details)
    const gift = await giftRow(db, id)
    await checkLocation(db, gift.stock_mode, input.location, 'location')
    return db.transaction().execute(async (trx) => {
      const d = input.delta
      if (d > 0) {
        await repo.addStock(trx, id, input.location, d)
      } else {
        if (!(await repo.removeStock(trx, id, input.location, -d))) {
          const available = await repo.availableAt(trx, id, input.location)
          throw conflict('GIFT_STOCK_NOT_AVAILABLE', [{ field: 'delta', reason: `only ${available ?? 0} pieces are available here; reserved and collected pieces stay` }])
        }
      }
      await repo.updateGift(trx, id, { updated_at: now() })
      await audit.record(trx, actor, { action: 'gift.stock.adjust', entityType: 'gift', entityId: id, storeId: input.location === CENTRAL ? null : input.location, changes: { location: input.location, delta: d, reason: input.reason?.trim() || null } })
      return withStock(trx, await giftRow(trx, id))
    })
  }

  // ---- orders ----

  /** Orders as lists show them: with the member's card and masked name, and the pick-up store's name. */
  const toOrders = async (conn: Db | Trx, rows: repo.OrderWithGift[]): Promise<GiftOrder[]> => {
    if (rows.length === 0) return []
    const [members, stores] = await Promise.all([
      findMemberLabels(conn, rows.map((r) => r.member_id)),
      storeNamesByIds(conn, rows.map((r) => r.pickup_store_id)),
    ])
    return rows.map((r) => {
      const m = members.get(r.member_id)
      return toOrder({ ...r, card_no: m?.cardNo ?? null, name_masked: m?.nameMasked ?? null, store_name: r.pickup_store_id === null ? null : stores.get(r.pickup_store_id)?.name ?? null })
    })
  }

  const orderById = async (conn: Db | Trx, id: string): Promise<GiftOrder> => {
    const row = await repo.findOrderWithGift(conn, id)
    if (!row) throw orderNotFound()
    return (await toOrders(conn, [row]))[0]!
  }

  /** A store's staff act on their store's orders, and on prizes that any store may hand over. */
  const assertOrderScope = (actor: Actor, order: { pickup_store_id: string | null }) =>
    assertInScope(actor, order.pickup_store_id, 'order', { orUnassigned: true })

  const memberForOrders = (conn: Db | Trx, memberId: string) => assertLive(conn, memberId)

  const assertCanRedeemFor = (member: { status: string; mergedIntoId: string | null }) => {
    if (member.status === 'merged') throw conflict('MEMBER_MERGED', [{ field: 'memberId', reason: `merged into ${member.mergedIntoId}; redeem for the survivor` }])
    if (member.status !== 'active') throw conflict('MEMBER_NOT_ACTIVE', [{ field: 'memberId', reason: `the member is ${member.status}; points cannot be spent` }])
  }

  /** The pick-up store of a redemption: a store's staff and tills hand over at their own store. */
  const pickupStoreFor = (actor: Actor, requested: string | null | undefined): string => {
    const own = storeFilterFor(actor, requested || null, 'pickupStoreId', 'orders taken here are picked up here')
    if (!isChainWide(actor)) return own!
    if (!requested) throw unprocessable('VALIDATION', [{ field: 'pickupStoreId', reason: 'is required: where the member picks the gift up' }])
    return requested
  }

  /** Pieces a member holds of each gift (reserved or collected redemptions; prizes do not count). */
  const redeemedByGift = (conn: Db | Trx, memberId: string, giftId?: string): Promise<Map<string, number>> => repo.redeemedByGift(conn, memberId, giftId)

  /**
   * Reserves stock and spends the points in one transaction. The member's points account is
   * locked first, so one member's redemptions run one at a time (the per-member limit holds);
   * the stock is taken by a conditional update, so the last piece goes to one order only.
   */
  const redeem = async (actor: Actor, input: RedeemInput): Promise<GiftOrder> => {
    assertCan(actor, 'rewards.redeem')
    const quantity = input.quantity ?? 1
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw unprocessable('VALIDATION', [{ field: 'quantity', reason: `a whole number from 1 to ${MAX_QUANTITY}` }])
    const pickupStoreId = pickupStoreFor(actor, input.pickupStoreId)
    await openStore(db, pickupStoreId, 'pickupStoreId')
    assertCanRedeemFor(await memberForOrders(db, input.memberId))
    // Read before the transaction: on SQLite a read through `db` inside it would wait for it.
    const cfg = await loyalty.config()
    const at = now()
    const day = today()
    const orderId = newId('gor')
    const requestKey = input.requestKey?.trim() || null
    if (requestKey !== null && requestKey.length > 100) throw unprocessable('VALIDATION', [{ field: 'requestKey', reason: 'at most 100 characters' }])
    const earlier = async () => {
      if (requestKey === null) return null
      const row = await repo.findOrderByRequestKey(db, input.memberId, requestKey)
      if (row && (row.gift_id !== input.giftId || Number(row.quantity) !== quantity)) {
        throw conflict('GIFT_REQUEST_REUSED', [{ field: 'requestKey', reason: 'this key was used for another redemption' }])
      }
      return row ? orderById(db, row.id) : null
    }
    const resent = await earlier()
    if (resent) return resent
    try {
      await placeOrder(actor, input, { orderId, quantity, pickupStoreId, requestKey, cfg, at, day })
    } catch (err) {
      // Two resends at once: the second finds the first's order.
      if (requestKey !== null && isUniqueViolation(err, 'request_key')) {
        const first = await earlier()
        if (first) return first
      }
      throw err
    }
    return orderById(db, orderId)
  }

  const placeOrder = async (actor: Actor, input: RedeemInput, o: { orderId: string; quantity: number; pickupStoreId: string; requestKey: string | null; cfg: LoyaltyConfig; at: string; day: string }) => {
    const { orderId, quantity, pickupStoreId, requestKey, cfg, at, day } = o
    await db.transaction().execute(async (trx) => {
      const account = await ledger.lockAccount(trx, input.memberId, at)
      assertCanRedeemFor(await memberForOrders(trx, input.memberId))
      const gift = await giftRow(trx, input.giftId)
      if (gift.status !== 'active') throw conflict('GIFT_INACTIVE', [{ field: 'giftId', reason: 'the gift is not offered now' }])
      const validity = validityOn(gift, day)
      if (validity !== 'valid') throw conflict('GIFT_NOT_VALID', [{ field: 'giftId', reason: validity === 'early' ? `offered from ${gift.valid_from}` : `offered until ${gift.valid_to}` }])
      const tier = loyalty.effectiveTier(cfg, account)
      const block = redeemBlock({
        gift, today: day, tiers: cfg.tiers, memberTier: tier?.code ?? null, quantity, available: Number.MAX_SAFE_INTEGER, spendable: Number.MAX_SAFE_INTEGER,
        redeemed: gift.per_member_limit === null ? 0 : (await redeemedByGift(trx, input.memberId, gift.id)).get(gift.id) ?? 0,
      })
      if (block === 'tier') throw conflict('GIFT_TIER_REQUIRED', [{ field: 'giftId', reason: `for members of tier ${gift.min_tier} and above` }])
      if (block === 'limit') throw conflict('GIFT_LIMIT_REACHED', [{ field: 'quantity', reason: `at most ${gift.per_member_limit} per member` }])
      const location = stockLocation(gift.stock_mode, pickupStoreId)
      if (!(await repo.reserveStock(trx, gift.id, location, quantity))) throw conflict('GIFT_OUT_OF_STOCK', [{ field: 'giftId', reason: location === CENTRAL ? 'no pieces left' : 'no pieces left at this store' }])
      const points = Number(gift.points_price) * quantity
      const cause = { reference: orderId, storeId: pickupStoreId, reason: gift.name, actorId: actorId(actor), actorName: actorName(actor) }
      if (points > 0) await ledger.spend(trx, account, 'redeem', points, day, cause, at, 'giftId')
      const orderNo = newOrderNo()
      await repo.insertOrder(trx, {
        id: orderId, order_no: orderNo, member_id: input.memberId, gift_id: gift.id, quantity, points, cash: Number(gift.cash_price) * quantity,
        location, pickup_store_id: pickupStoreId, status: 'reserved', source: 'redeem', request_key: requestKey, expires_at: plusDays(at, gift.pickup_days),
        created_by: actorName(actor), created_at: at, collected_at: null, collected_by: null, closed_at: null, close_reason: null,
      })
      await audit.record(trx, actor, {
        action: 'gift.redeem', entityType: 'gift_order', entityId: orderId, storeId: pickupStoreId,
        changes: { orderNo, memberId: input.memberId, giftId: gift.id, quantity, points, location },
      })
      await outbox?.publish(trx, 'gift.reserved', { orderId, memberId: input.memberId, at })
    })
  }

  /**
   * The job of a reserved order (gift.reserved): an SMS tells the member what waits, where, until
   * when and under which order number — a service message, so no marketing consent or cap. Once per
   * order (the message's source); an order collected or cancelled before the job ran is not told.
   */
  const notifyReserved = async (orderId: string): Promise<{ status: string }> => {
    const o = await repo.findOrder(db, orderId)
    if (!send || !o || o.status !== 'reserved') return { status: 'skipped' }
    const gift = await repo.findGift(db, o.gift_id)
    const store = o.pickup_store_id ? await storeById(db, o.pickup_store_id) : undefined
    // expires_at is the first moment after the last pick-up day.
    const lastDay = dateIn(new Date(new Date(o.expires_at).getTime() - 1), timezone)
    const body = `您的礼品「${gift?.name ?? ''}」×${o.quantity}已备好，请于${lastDay}前凭单号${o.order_no}到${store?.name ?? '会员服务台'}领取。`
    try {
      const m = await send({ channel: 'sms', purpose: 'service', memberId: o.member_id, body, sourceType: 'gift_order', sourceId: o.id })
      return { status: m.status }
    } catch (e) {
      // A member erased meanwhile, or with no number the channel takes: nothing to tell.
      if (isDomainError(e)) return { status: 'not_sent' }
      throw e
    }
  }

  /** The staff at the pick-up store hand the gift over: reserved becomes collected. */
  const collect = async (actor: Actor, id: string): Promise<GiftOrder> => {
    assertCan(actor, 'rewards.redeem')
    const peek = await repo.findOrder(db, id)
    if (!peek) throw orderNotFound()
    assertOrderScope(actor, peek)
    const at = now()
    await db.transaction().execute(async (trx) => {
      const order = await repo.collectOrder(trx, id, { at, by: actorName(actor), pickupStoreId: peek.pickup_store_id ?? homeStoreId(actor) })
      if (!order) {
        const current = (await repo.orderState(trx, id))!
        if (current.status === 'reserved') throw conflict('GIFT_ORDER_EXPIRED', [{ field: 'id', reason: `the pick-up time ended at ${current.expires_at}` }])
        throw conflict('GIFT_ORDER_NOT_RESERVED', [{ field: 'id', reason: `the order is ${current.status}` }])
      }
      await repo.collectStock(trx, order.gift_id, order.location, order.quantity)
      await audit.record(trx, actor, {
        action: 'gift_order.collect', entityType: 'gift_order', entityId: id, storeId: order.pickup_store_id,
        changes: { orderNo: order.order_no, memberId: order.member_id, quantity: order.quantity, cash: order.cash },
      })
    })
    return orderById(db, id)
  }

  /**
   * Closes a reserved order (cancelled by staff or expired): the pieces go back to available and
   * the points back to the member, into lots expiring when the spent ones would have (never
   * before today), so a cancellation cannot lengthen the points' life.
   */
  const closeOrder = async (order: GiftOrdersTable, to: 'cancelled' | 'expired', reason: string, actor: Actor | null, at: string, policyExpiry: string): Promise<boolean> =>
    db.transaction().execute(async (trx) => {
      const account = await ledger.lockAccount(trx, order.member_id, at)
      const closed = await repo.closeOrder(trx, { id: order.id, memberId: order.member_id }, to, reason, at)
      if (!closed) return false
      await repo.releaseStock(trx, closed.gift_id, closed.location, closed.quantity)
      if (closed.points > 0) {
        const spentFrom = await ledger.lotsTakenBy(trx, closed.id, 'redeem')
        const day = today()
        const parts = new Map<string, number>()
        let left = Number(closed.points)
        for (const s of spentFrom) {
          const p = Math.min(left, -Number(s.points))
          if (p <= 0) continue
          const on = s.expires_on < day ? day : s.expires_on
          parts.set(on, (parts.get(on) ?? 0) + p)
          left -= p
        }
        if (left > 0) parts.set(policyExpiry, (parts.get(policyExpiry) ?? 0) + left)
        const cause = { reference: closed.id, storeId: closed.pickup_store_id, reason: to === 'cancelled' ? reason : 'gift order expired', actorId: actor ? actorId(actor) : null, actorName: actor ? actorName(actor) : null }
        for (const [expiresOn, p] of parts) await ledger.credit(trx, account, 'refund', p, expiresOn, cause, at)
      }
      if (actor) {
        await audit.record(trx, actor, {
          action: to === 'cancelled' ? 'gift_order.cancel' : 'gift_order.expire', entityType: 'gift_order', entityId: closed.id, storeId: closed.pickup_store_id,
          changes: { orderNo: closed.order_no, memberId: closed.member_id, quantity: closed.quantity, points: closed.points, reason },
        })
      }
      return true
    })

  const cancel = async (actor: Actor, id: string, input: { reason: string }): Promise<GiftOrder> => {
    assertCan(actor, 'rewards.redeem')
    const reason = input.reason?.trim() ?? ''
    if (reason.length < 2 || reason.length > 200) throw unprocessable('VALIDATION', [{ field: 'reason', reason: 'say why, in 2 to 200 characters' }])
    const order = await repo.findOrder(db, id)
    if (!order) throw orderNotFound()
    assertOrderScope(actor, order)
    const cfg = await loyalty.config()
    const at = now()
    if (!(await closeOrder(order, 'cancelled', reason, actor, at, expiresOnFor(cfg.policy.expiry, today())))) {
      const current = (await repo.orderState(db, id))!
      throw conflict('GIFT_ORDER_NOT_RESERVED', [{ field: 'id', reason: current.status === 'reserved' ? 'the order changed meanwhile; try again' : `the order is ${current.status}` }])
    }
    return orderById(db, id)
  }

  /** Expires reserved orders past their pick-up time, returning stock and points. Running it twice changes nothing. */
  const expireDue = async (options: { batch?: number } = {}): Promise<{ orders: number; points: number }> => {
    const batch = options.batch ?? 200
    const cfg = await loyalty.config()
    const result = { orders: 0, points: 0 }
    const seen = new Set<string>()
    for (;;) {
      const at = now()
      const due = (await repo.ordersToExpire(db, at, batch + seen.size)).filter((o) => !seen.has(o.id)).slice(0, batch)
      if (due.length === 0) return result
      for (const order of due) {
        seen.add(order.id)
        if (await closeOrder(order, 'expired', 'not collected in time', null, at, expiresOnFor(cfg.policy.expiry, today()))) {
          result.orders++
          result.points += Number(order.points)
        }
      }
    }
  }

  const list_ = async (actor: Actor, filter: OrderFilter = {}): Promise<{ items: GiftOrder[]; nextCursor: string | null }> => {
    assertCan(actor, 'rewards.read')
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200)
    const rows = await repo.findOrders(db, {
      who: actor, storeId: filter.storeId ? storeFilterFor(actor, filter.storeId)! : undefined, status: filter.status, memberId: filter.memberId,
      giftId: filter.giftId, orderNo: filter.orderNo ? filter.orderNo.trim().toUpperCase() : undefined, cursor: filter.cursor, limit: limit + 1,
    })
    const items = await toOrders(db, rows.slice(0, limit))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const getOrder = async (actor: Actor, id: string): Promise<GiftOrder> => {
    assertCan(actor, 'rewards.read')
    const order = await orderById(db, id)
    assertOrderScope(actor, { pickup_store_id: order.pickupStoreId })
    return order
  }

  /** A member's orders, newest first (the member's page: every store's, as the member shops everywhere). */
  const memberOrders = async (actor: Actor, memberId: string, page: { cursor?: string; limit?: number } = {}): Promise<{ items: GiftOrder[]; nextCursor: string | null }> => {
    assertCan(actor, 'rewards.read')
    await memberForOrders(db, memberId)
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200)
    const rows = await repo.findOrders(db, { memberId, cursor: page.cursor, limit: limit + 1 })
    const items = await toOrders(db, rows.slice(0, limit))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  /** The active gifts as the desk offers them to one member: what each costs, what is left, and what stands in the way. */
  const optionsFor = async (actor: Actor, memberId: string, input: { pickupStoreId?: string } = {}): Promise<{ spendable: number; tier: string | null; pickupStoreId: string | null; gifts: GiftOption[] }> => {
    assertCan(actor, 'rewards.read')
    await memberForOrders(db, memberId)
    const pickupStoreId = requestedStore(actor, input.pickupStoreId, 'pickupStoreId') ?? homeStoreId(actor)
    const cfg = await loyalty.config()
    const account = await ledger.findAccount(db, memberId)
    const spendable = await ledger.spendable(db, memberId, account?.balance ?? 0, today())
    const tier = loyalty.effectiveTier(cfg, account)
    const rows = await repo.activeGifts(db, 1000)
    const stock = await stockOf(db, rows.map((r) => r.id))
    const redeemed = await redeemedByGift(db, memberId)
    const day = today()
    const gifts = rows.map((r) => {
      const gift = toGift(r, stock.get(r.id) ?? [])
      const availableHere = gift.stockMode === 'central' || pickupStoreId === null
        ? (gift.stockMode === 'central' ? gift.stock.find((s) => s.location === CENTRAL)?.available ?? 0 : gift.available)
        : gift.stock.find((s) => s.location === pickupStoreId)?.available ?? 0
      const held = redeemed.get(r.id) ?? 0
      return { ...gift, availableHere, redeemed: held, block: redeemBlock({ gift: r, today: day, tiers: cfg.tiers, memberTier: tier?.code ?? null, redeemed: held, available: availableHere, spendable }) }
    }).filter((g) => validityOn(rows.find((r) => r.id === g.id)!, day) !== 'ended')
    return { spendable, tier: tier?.code ?? null, pickupStoreId, gifts }
  }

  /**
   * A lucky draw's gift prize: an order of one piece at no points, reserved for pick-up, inside
   * the draw's transaction (which has locked the member's account); null when the gift is out of
   * stock or not offered. Central stock first, else the store with the most pieces.
   */
  const orderForPrize = async (trx: Trx, input: { giftId: string; memberId: string; actorName: string | null; at: string }): Promise<{ orderId: string; orderNo: string } | null> => {
    const gift = await repo.findGift(trx, input.giftId)
    if (!gift || gift.status !== 'active' || validityOn(gift, dateIn(new Date(input.at), timezone)) !== 'valid') return null
    const places = await repo.placesWithStock(trx, gift.id, CENTRAL)
    for (const location of places) {
      if (!(await repo.reserveStock(trx, gift.id, location, 1))) continue
      const orderId = newId('gor')
      const orderNo = newOrderNo()
      await repo.insertOrder(trx, {
        id: orderId, order_no: orderNo, member_id: input.memberId, gift_id: gift.id, quantity: 1, points: 0, cash: 0, location,
        pickup_store_id: location === CENTRAL ? null : location, status: 'reserved', source: 'draw', expires_at: plusDays(input.at, gift.pickup_days),
        created_by: input.actorName, created_at: input.at, collected_at: null, collected_by: null, closed_at: null, close_reason: null,
      })
      await outbox?.publish(trx, 'gift.reserved', { orderId, memberId: input.memberId, at: input.at })
      return { orderId, orderNo }
    }
    return null
  }

  /**
   * For `patron verify`: per stock row stocked = available + reserved + collected, none negative,
   * reserved and collected equal to their orders; every order's points match its ledger entries.
   */
  const verify = async (): Promise<RewardsMismatch[]> => {
    const out: RewardsMismatch[] = []
    const stock = await repo.allStock(db)
    const sums = await repo.heldByPlace(db)
    const sumOf = (giftId: string, location: string, status: string) => Number(sums.find((s) => s.gift_id === giftId && s.location === location && s.status === status)?.n ?? 0)
    for (const s of stock) {
      const id = `${s.gift_id}@${s.location}`
      const [stocked, available, reserved, collected] = [s.stocked, s.available, s.reserved, s.collected].map(Number) as [number, number, number, number]
      if (stocked !== available + reserved + collected) out.push({ area: 'gifts', id, problem: `stocked ${stocked} but available ${available} + reserved ${reserved} + collected ${collected}` })
      if (Math.min(stocked, available, reserved, collected) < 0) out.push({ area: 'gifts', id, problem: 'a negative count' })
      const r = sumOf(s.gift_id, s.location, 'reserved')
      const c = sumOf(s.gift_id, s.location, 'collected')
      if (r !== reserved) out.push({ area: 'gifts', id, problem: `reserved ${reserved} but reserved orders hold ${r}` })
      if (c !== collected) out.push({ area: 'gifts', id, problem: `collected ${collected} but collected orders hold ${c}` })
    }
    for (const s of sums) {
      if (!stock.some((r) => r.gift_id === s.gift_id && r.location === s.location)) out.push({ area: 'gifts', id: `${s.gift_id}@${s.location}`, problem: `${s.status} orders without a stock row` })
    }
    const ledgerSums = await ledger.sumsByReference(db, ['redeem', 'refund'], 'gor_')
    const orders = await repo.allOrderPoints(db)
    for (const o of orders) {
      const p = ledgerSums.get(o.id)
      const redeemed = -Number(p?.redeem ?? 0)
      const refunded = Number(p?.refund ?? 0)
      const closed = o.status === 'cancelled' || o.status === 'expired'
      if (redeemed !== Number(o.points)) out.push({ area: 'gifts', id: o.id, problem: `costs ${o.points} points but the ledger took ${redeemed}` })
      if (refunded !== (closed ? Number(o.points) : 0)) out.push({ area: 'gifts', id: o.id, problem: `${o.status}, ${closed ? `${o.points} points due back` : 'nothing due back'}, but ${refunded} were refunded` })
    }
    const orderIds = new Set(orders.map((o) => o.id))
    const orphans = (await ledger.entryReferences(db, 'redeem')).filter((e) => e.reference === null || !orderIds.has(e.reference)).slice(0, 100)
    for (const e of orphans) out.push({ area: 'gifts', id: e.id, problem: `a redeem entry naming no gift order (${e.reference})` })
    return out
  }

  /** On a member merge, the merged member's gift orders move to the survivor (and count against the survivor's limits). */
  return {
    list, get, create, update, setPicture, picture, adjustStock,
    redeem, collect, cancel, expireDue, notifyReserved, listOrders: list_, getOrder, memberOrders, optionsFor,
    verify, internals: { orderForPrize },
  }
}

export type GiftsService = ReturnType<typeof createGiftsService>
