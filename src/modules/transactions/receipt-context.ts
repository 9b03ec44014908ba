import { LRUCache } from 'lru-cache'
import type { Db, Engine, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { assertInScope as assertStoreScope, homeStoreId } from '../../shared/scope.js'
import type { Clock } from '../../shared/clock.js'
import type { EventBus } from '../../shared/events.js'
import { forbidden, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { dateIn } from '../../shared/time.js'
import type { MemberFactsWriter } from '../analytics/index.js'
import type { AuditService } from '../audit/index.js'
import type { ProductForPricing } from '../catalog/index.js'
import type { LoyaltyConfig, LoyaltyService } from '../loyalty/index.js'
import type { MembersService } from '../members/index.js'
import type { OutboxService } from '../outbox/index.js'
import { findStoreById } from '../org/index.js'
import type { CouponsService } from '../rewards/index.js'
import type { MemberRef } from './receipt-rules.js'
import type { ReceiptsTable } from './receipts.table.js'
import type { PostedMember, PostResult } from './receipts.types.js'

export interface ReceiptsDeps {
  db: Db
  engine: Engine
  clock: Clock
  timezone: string
  members: MembersService
  loyalty: LoyaltyService
  coupons: CouponsService
  /** the members' purchase facts: every sale and return adds to them */
  facts: Pick<MemberFactsWriter, 'recordPurchases' | 'addReceiptDays'>
  events?: EventBus
  /** records changes of the till settings and decisions on returns */
  audit?: AuditService
  /** publishes 'member.firstPurchase' with a member's first receipt */
  outbox?: Pick<OutboxService, 'publish'>
}

/** A sale or a return checked and ready: the work to do in a transaction, alone or among many. */
export interface Prepared {
  kind: 'sale' | 'return'
  hash: string
  /** the digest as it would be for another member (a resend after the member's merge) */
  hashFor: (memberId: string | null) => string
  work: (trx: Trx) => Promise<PostResult>
  /** announcements once committed */
  after: () => void
}

/** Thrown inside a transaction to roll it back when the receipt number was already taken. */
export class AlreadyPosted extends Error {
  constructor(readonly existing: ReceiptsTable) { super('already posted') }
}

export const badReceipt = (details: ErrorDetail[], code = 'VALIDATION') => unprocessable(code, details)

export interface StoreRef { id: string; regionId: string | null }

/** The live member a receipt names, as members resolves it. */
export type ReceiptMember = NonNullable<Awaited<ReturnType<MembersService['internals']['resolve']>>>

const STORE_CACHE_MS = 60_000
/** How long a till trusts the products it has read (another process's catalogue change shows within it). */
const PRODUCT_CACHE_MS = 5_000

/** What the sale, the return, the quote and the reads share: the clock, the caches, the store and member a receipt names. */
export const createReceiptContext = (deps: ReceiptsDeps) => {
  const { db, clock, timezone, members, loyalty, events } = deps
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)

  // Every receipt names its store; stores change rarely (a region move shows within a minute).
  const stores = new LRUCache<string, StoreRef>({ max: 10_000, ttl: STORE_CACHE_MS })
  const storeFor = async (actor: Actor, storeId: string | undefined): Promise<StoreRef> => {
    // A till and a store's staff post for their own store unless they say otherwise (and may not).
    const id = actor.kind === 'pos' ? actor.storeId : storeId ?? homeStoreId(actor) ?? undefined
    if (actor.kind === 'pos' && storeId !== undefined && storeId !== actor.storeId) {
      throw forbidden('OUT_OF_STORE_SCOPE', [{ field: 'storeId', reason: 'a till posts for its own store' }])
    }
    if (!id) throw badReceipt([{ field: 'storeId', reason: 'required' }])
    assertStoreScope(actor, id, 'store')
    const cached = stores.get(id)
    if (cached) return cached
    const row = await findStoreById(db, id)
    if (!row) throw unprocessable('STORE_NOT_FOUND', [{ field: 'storeId', reason: 'no such store' }])
    const store = { id: row.id, regionId: row.region_id }
    stores.set(id, store)
    return store
  }

  // The products of receipts lately committed, by SKU, so a till's sale of known goods reads none.
  // Only what was read from the database is kept (never what a cache hit returned, or what a
  // transaction that rolled back created); a change of the catalogue here empties it.
  const productCache = new LRUCache<string, ProductForPricing>({ max: 100_000, ttl: PRODUCT_CACHE_MS })
  events?.on('catalog.changed', () => productCache.clear())
  events?.on('store.changed', () => stores.clear())
  const cachedProducts = (skus: string[]): Map<string, ProductForPricing> | null => {
    const out = new Map<string, ProductForPricing>()
    for (const sku of skus) {
      const product = productCache.get(sku)
      if (!product) return null
      out.set(sku, product)
    }
    return out
  }
  const rememberProducts = (products: Map<string, ProductForPricing>) => {
    for (const [sku, product] of products) productCache.set(sku, product)
  }

  // `meterFor`: a quote answers whether a phone is a member, so it counts like a member lookup.
  const resolveMember = async (conn: Db | Trx, ref: MemberRef | null | undefined, meterFor?: Actor): Promise<ReceiptMember | null> => {
    if (!ref) return null
    const row = await members.internals.resolve(conn, ref, meterFor)
    if (!row) throw unprocessable('MEMBER_NOT_FOUND', [{ field: 'member', reason: 'no member with this id, card, phone or code' }])
    return row
  }

  const memberSummary = (cfg: LoyaltyConfig, member: ReceiptMember | null, account: { balance: number; tier_code: string | null } | null | undefined): PostedMember | null => {
    if (!member) return null
    const tier = loyalty.effectiveTier(cfg, account ?? undefined)
    const balance = account?.balance ?? 0
    return { id: member.id, cardNo: member.card_no, balance, negative: balance < 0, tier: tier ? { code: tier.code, name: tier.name } : null }
  }

  return { ...deps, now, today, storeFor, cachedProducts, rememberProducts, resolveMember, memberSummary }
}

export type ReceiptContext = ReturnType<typeof createReceiptContext>
