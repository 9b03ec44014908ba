import type { Db } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import type { Keyring } from '../../shared/pii.js'
import type { LoyaltyService } from '../loyalty/index.js'
import type { PrivacyService } from '../privacy/index.js'
import type { CouponsService, GiftsService } from '../rewards/index.js'
import type { ReceiptsService } from '../transactions/index.js'
import { regionsByIds, storeNamesByIds } from '../org/index.js'
import { CARD_QR_TTL_MS, CONSENT_CHANNELS, cardQrToken, memberSummaries, type ConsentChannel, type MembersService } from '../members/index.js'
import type { MemberSession } from './portal-auth.service.js'

/** What the member's page shows at its top: the card, the tier and the points. */
export interface MeSummary {
  cardNo: string
  nameMasked: string | null
  /** the member's tier (code and name), if the chain has tiers */
  tier: { code: string; name: string } | null
  points: { balance: number; spendable: number; expiring: Array<{ expiresOn: string; points: number }> }
}

/** The electronic card: its number and a QR the till accepts for about a minute. */
export interface MemberCard {
  cardNo: string
  qrToken: string
  expiresAt: string
  /** when the page should ask for the next QR (before this one expires) */
  refreshAfterSeconds: number
}

export interface PortalDeps {
  db: Db
  clock: Clock
  keyring: Pick<Keyring, 'blindIndex'>
  loyalty: Pick<LoyaltyService, 'points' | 'entries'>
  receipts: Pick<ReceiptsService, 'listForMember'>
  coupons: Pick<CouponsService, 'memberCoupons' | 'getTemplate'>
  gifts: Pick<GiftsService, 'memberOrders'>
  members: Pick<MembersService, 'get' | 'setConsent'>
  privacy: Pick<PrivacyService, 'exportPersonalData' | 'requestErasure'>
}

/** What a coupon asks of the basket, in the member's terms (from its template). */
export interface CouponConditions {
  description: string | null
  /** fen the covered goods must come to (0: none) */
  minSpend: number
  /** the most a percent coupon takes off, fen */
  maxDiscount: number | null
  /** the departments, categories, brands or SKUs it covers (null: the whole basket) */
  covers: string[] | null
  /** the stores it is used at (null: every store) */
  stores: string[] | null
  /** the tier code it needs */
  minTier: string | null
  /** whether it goes on a receipt with other coupons */
  stacks: boolean
}

/** A channel's consent as the member sees it: every channel, given or not. */
export interface MyConsent {
  channel: ConsentChannel
  granted: boolean
  changedAt: string | null
}

/**
 * The member's own page's reads (issue 17 §2): always of the signed-in member, whose id comes
 * from the session, never from the request. Other modules' services are called as the page (a
 * system actor), for that member only.
 */
export const createPortalService = ({ db, clock, keyring, loyalty, receipts, coupons, gifts, members, privacy }: PortalDeps) => {
  const system: Actor = { kind: 'system', name: 'member page' }

  const summary = async (me: Pick<MemberSession, 'memberId'>): Promise<MeSummary> => {
    const [label, points] = await Promise.all([memberSummaries(db, [me.memberId]), loyalty.points(system, me.memberId)])
    const m = label.get(me.memberId)
    return {
      cardNo: m?.cardNo ?? '', nameMasked: m?.nameMasked ?? null, tier: points.tier ? { code: points.tier.code, name: points.tier.name } : null,
      points: { balance: points.balance, spendable: points.spendable, expiring: points.expiring },
    }
  }

  /** The card and a fresh QR: signed, working for a minute, so a screenshot is useless after it. */
  const card = async (me: MemberSession): Promise<MemberCard> => {
    const cardNo = (await memberSummaries(db, [me.memberId])).get(me.memberId)?.cardNo ?? ''
    const qr = cardQrToken(keyring, cardNo, clock.now())
    return { cardNo, qrToken: qr.token, expiresAt: qr.expiresAt, refreshAfterSeconds: Math.floor((CARD_QR_TTL_MS - 10_000) / 1000) }
  }

  type Paging = { cursor?: string; limit?: number }
  /** The member's points ledger, newest first, each entry with the receipt behind it. */
  const pointsEntries = (me: MemberSession, page: Paging = {}) => loyalty.entries(system, me.memberId, page)
  /** The member's receipts (电子小票) with their lines, returns included, newest first. */
  const myReceipts = (me: MemberSession, page: Paging = {}) => receipts.listForMember(system, me.memberId, page)
  /** The member's coupons, the usable ones first (each with its code, for its QR, and its conditions). */
  const myCoupons = async (me: MemberSession, filter: Parameters<CouponsService['memberCoupons']>[2] = {}) => {
    const list = await coupons.memberCoupons(system, me.memberId, filter)
    const templates = new Map(await Promise.all([...new Set(list.map((c) => c.templateId))].map(async (id) => [id, await coupons.getTemplate(system, id)] as const)))
    const storeIds = [...templates.values()].flatMap((t) => t.storeIds ?? [])
    const regionIds = [...templates.values()].flatMap((t) => t.regionIds ?? [])
    const [storeNames, regions] = await Promise.all([storeNamesByIds(db, storeIds), regionsByIds(db, regionIds)])
    const conditions = (templateId: string): CouponConditions => {
      const t = templates.get(templateId)!
      const covers = t.scope ? [...(t.scope.departments ?? []), ...(t.scope.categories ?? []), ...(t.scope.subcategories ?? []), ...(t.scope.brands ?? []), ...(t.scope.skus ?? [])] : []
      const stores = [...(t.regionIds ?? []).map((id) => regions.find((r) => r.id === id)?.name ?? id), ...(t.storeIds ?? []).map((id) => storeNames.get(id)?.name ?? id)]
      return {
        description: t.description, minSpend: t.minSpend, maxDiscount: t.maxDiscount, covers: covers.length ? covers : null,
        stores: stores.length ? stores : null, minTier: t.minTier, stacks: t.stacking !== 'none',
      }
    }
    return list.map((c) => ({ ...c, conditions: conditions(c.templateId) }))
  }
  /** The member's gift orders with their pick-up codes, newest first. */
  const giftOrders = (me: MemberSession, page: Paging = {}) => gifts.memberOrders(system, me.memberId, page)

  const consentsOf = (states: Array<{ channel: ConsentChannel; granted: boolean; changedAt: string }>): MyConsent[] =>
    CONSENT_CHANNELS.map((channel) => {
      const s = states.find((x) => x.channel === channel)
      return { channel, granted: s?.granted ?? false, changedAt: s?.changedAt ?? null }
    })

  /** The member's consent per channel (every channel, given or not). */
  const consents = async (me: MemberSession): Promise<MyConsent[]> => consentsOf((await members.get(system, me.memberId)).consents)

  /** Gives or withdraws consent on a channel, with one tap; recorded with the source "member_page". */
  const setConsent = async (me: MemberSession, input: { channel: ConsentChannel; granted: boolean }): Promise<MyConsent[]> =>
    consentsOf((await members.setConsent(system, me.memberId, { ...input, source: 'member_page' })).consents)

  /** Everything Patron holds on the member, as the desk would hand it over (a zip of JSON and CSV); audited. */
  const personalData = (me: MemberSession) => privacy.exportPersonalData(system, me.memberId)

  /**
   * The member asks for their account to be closed: their erasure, after the chain's cooling-off
   * days (withdrawn at the desk meanwhile), through the channel member_page; audited.
   */
  const closeAccount = async (me: MemberSession, input: { reason?: string | null } = {}): Promise<{ requestedAt: string; dueAt: string }> => {
    const request = await privacy.requestErasure(system, me.memberId, { reason: input.reason ?? null, channel: 'member_page' })
    return { requestedAt: request.requestedAt, dueAt: request.dueAt }
  }

  return { summary, card, pointsEntries, receipts: myReceipts, coupons: myCoupons, giftOrders, consents, setConsent, personalData, closeAccount }
}

export type PortalService = ReturnType<typeof createPortalService>
