import type { Db } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { notFound, unprocessable } from '../../shared/errors.js'
import type { Keyring } from '../../shared/pii.js'
import { dateIn } from '../../shared/time.js'
import type { LoyaltyService, Tier } from '../loyalty/index.js'
import type { ChannelsService } from '../marketing/index.js'
import { memberContact, type Education, type Gender, type IncomeBand, type MembersService, type Occupation } from '../members/index.js'
import { storeById } from '../org/index.js'
import type { DrawsService, GiftsService } from '../rewards/index.js'
import type { MemberSession } from './portal-auth.service.js'
import { renamingFields } from './page-errors.js'

type Me = Pick<MemberSession, 'memberId'>

// ---- tier progress (pure) ----

export interface TierProgress {
  basis: 'spend' | 'points'
  /** the rolling window the value is summed over: this month and the 11 before (YYYY-MM) */
  windowFrom: string
  windowTo: string
  /** the member's qualifying value over the window: fen of spend, or points earned */
  value: number
  tier: Tier | null
  tierSince: string | null
  next: Tier | null
  /** what the value lacks to reach the next tier (0 when reached, it moves up with the next purchase or evaluation); null at the top */
  missing: number | null
  /** value / the next tier's threshold, 0..1; 1 at the top tier */
  progress: number
  /** below the current tier's threshold: what keeps it, and when the daily evaluation moves the member down */
  keep: null | {
    missing: number
    /** when an evaluation first found the member below (null: the next evaluation will, and the grace starts then) */
    belowSince: string | null
    /** the end of the grace: the first daily evaluation after it downgrades (null until belowSince is set) */
    downgradeAt: string | null
    downgradeTo: { code: string; name: string } | null
  }
  /** days a member may stay below the tier's threshold before a downgrade */
  graceDays: number
}

/** Where a member stands on the tier ladder (the loyalty module's rule: the highest tier whose threshold the 12-month value reaches). */
export const tierProgress = (input: {
  tiers: readonly Tier[]; current: Tier | null; value: number; belowSince: string | null; graceDays: number
}): Pick<TierProgress, 'next' | 'missing' | 'progress' | 'keep'> => {
  const ladder = [...input.tiers].sort((a, b) => a.rank - b.rank)
  const { current, value } = input
  const next = current ? ladder.find((t) => t.rank > current.rank) ?? null : ladder.find((t) => t.threshold > value) ?? null
  const missing = next ? Math.max(0, next.threshold - value) : null
  const progress = !next ? 1 : next.threshold <= 0 ? 1 : Math.round(Math.min(1, Math.max(0, value / next.threshold)) * 10_000) / 10_000
  let keep: TierProgress['keep'] = null
  if (current && value < current.threshold) {
    const to = ladder.filter((t) => value >= t.threshold).pop() ?? null
    keep = {
      missing: current.threshold - value,
      belowSince: input.belowSince,
      downgradeAt: input.belowSince ? new Date(Date.parse(input.belowSince) + input.graceDays * 86_400_000).toISOString() : null,
      downgradeTo: to ? { code: to.code, name: to.name } : null,
    }
  }
  return { next, missing, progress, keep }
}

/** The month `n` months before a YYYY-MM month. */
const monthsBefore = (month: string, n: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const i = y * 12 + (m - 1) - n
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
}

// ---- the page's shapes ----

type GiftOptions = Awaited<ReturnType<GiftsService['optionsFor']>>
type GiftBlock = GiftOptions['gifts'][number]['block']
type Draw = Awaited<ReturnType<DrawsService['get']>>
type DrawEntry = Awaited<ReturnType<DrawsService['enter']>>

export interface MyGift {
  id: string
  name: string
  description: string | null
  pointsPrice: number
  /** fen paid at the pick-up on top of the points */
  cashPrice: number
  hasPicture: boolean
  validFrom: string | null
  validTo: string | null
  minTier: string | null
  pickupDays: number
  /** pieces left where this member's order would take them from (the pick-up store's, or central) */
  available: number
  perMemberLimit: number | null
  /** pieces this member holds already */
  redeemed: number
  /** pieces this member may still redeem (null: no limit) */
  leftForMe: number | null
  /** whether this member's spendable points pay for one */
  affordable: boolean
  /** the most this member can redeem now in one order (0 when blocked) */
  maxQuantity: number
  block: GiftBlock
}

export interface MyGifts {
  spendable: number
  tier: string | null
  /** the store whose stock is shown and where a redemption is picked up by default */
  pickupStoreId: string | null
  pickupStoreName: string | null
  gifts: MyGift[]
}

export interface MyDrawEntry {
  id: string
  createdAt: string
  costPoints: number
  freeReason: DrawEntry['freeReason']
  outcome: 'won' | 'lost'
  prizeName: string | null
  prizeKind: DrawEntry['prizeKind']
  prizePoints: number | null
  couponCode: string | null
  giftOrderId: string | null
}

export type MyDrawBlock = 'not_started' | 'ended' | 'limit' | 'day_limit' | 'points'

export interface MyDraw {
  id: string
  name: string
  description: string | null
  startsAt: string
  endsAt: string
  /** upcoming: active but not started; open: can be entered now; finished: ended or closed */
  state: 'upcoming' | 'open' | 'finished'
  entryPoints: number
  /** what one entry costs this member: 0 when their tier enters free */
  cost: number
  /** a sale of at least this much (fen) within the draw gives a free entry */
  freeMinSpend: number | null
  perMemberLimit: number | null
  perDayLimit: number | null
  entered: number
  enteredToday: number
  /** entries this member has left (null: no limit) */
  entriesLeft: number | null
  canEnter: boolean
  block: MyDrawBlock | null
  prizes: Array<{ id: string; name: string; kind: Draw['prizes'][number]['kind']; points: number | null; left: number }>
  /** this member's entries, newest first, with what each won */
  myEntries: MyDrawEntry[]
}

/**
 * The fields a member edits on their page. No chain setting names them (registration's required
 * fields are fixed too), so this is a fixed list: the phone is the sign-in (the desk changes it),
 * the ID number and the address are the desk's, and a birthday that the ID number gives is too.
 */
export const MEMBER_EDITABLE_FIELDS = ['name', 'gender', 'birthday', 'email', 'occupation', 'education', 'incomeBand', 'district'] as const
export type MemberEditableField = (typeof MEMBER_EDITABLE_FIELDS)[number]

export interface MyProfile {
  cardNo: string
  /** masked: the phone is the sign-in and is changed at the desk */
  phone: string | null
  name: string | null
  gender: Gender
  /** YYYY-MM-DD; YYYY-**-** when the member's ID number gives it */
  birthday: string | null
  email: string | null
  occupation: Occupation | null
  education: Education | null
  incomeBand: IncomeBand | null
  district: string | null
  registeredAt: string
  registrationStoreName: string | null
  /** the fields PATCH /me/profile takes for this member */
  editable: MemberEditableField[]
  wechat: { bound: boolean; openId: string | null }
}

export type ProfilePatch = Partial<{
  name: string | null; gender: Gender | null; birthday: string | null; email: string | null
  occupation: Occupation | null; education: Education | null; incomeBand: IncomeBand | null; district: string | null
}>

export interface PortalRewardsDeps {
  db: Db
  clock: Clock
  timezone: string
  keyring: Keyring
  loyalty: Pick<LoyaltyService, 'points' | 'config' | 'accountOf'>
  gifts: Pick<GiftsService, 'optionsFor' | 'redeem' | 'get' | 'picture'>
  draws: Pick<DrawsService, 'list' | 'get' | 'memberEntries' | 'enter'>
  members: Pick<MembersService, 'get' | 'update'>
  channels: Pick<ChannelsService, 'wechatOpenidOf' | 'bindWechat' | 'unbindWechat' | 'wechatAuthorizeUrl' | 'wechatOpenidFromCode'>
  /** where members reach the page (PATRON_PUBLIC_URL): WeChat's authorisation comes back to it */
  publicUrl?: string
}

/** Every page of a cursor-paged read, up to `max` items. */
const allPages = async <T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, max = 1000): Promise<T[]> => {
  const out: T[] = []
  let cursor: string | undefined
  do {
    const page = await read(cursor)
    out.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor && out.length < max)
  return out
}

const toMyEntry = (e: DrawEntry): MyDrawEntry => ({
  id: e.id, createdAt: e.createdAt, costPoints: e.costPoints, freeReason: e.freeReason, outcome: e.outcome, prizeName: e.prizeName,
  prizeKind: e.prizeKind, prizePoints: e.prizePoints, couponCode: e.couponCode, giftOrderId: e.giftOrderId,
})

/**
 * The member's page (issue 17 §2): tier progress, gifts for points, lucky draws, the profile and
 * the WeChat binding, always of the signed-in member. Other modules' services do the work, as the
 * page (a system actor), with the same rules, stock and concurrency as at the desk.
 */
export const createPortalRewardsService = ({ db, clock, timezone, keyring, loyalty, gifts, draws, members, channels, publicUrl }: PortalRewardsDeps) => {
  const system: Actor = { kind: 'system', name: 'member page' }
  const today = () => dateIn(clock.now(), timezone)

  /** Where the member is on the tier ladder, what the next tier needs, and whether the current one is kept. */
  const tier = async (me: Me): Promise<TierProgress> => {
    const [points, cfg, account] = await Promise.all([loyalty.points(system, me.memberId), loyalty.config(), loyalty.accountOf(db, me.memberId)])
    const basis = cfg.policy.tierBasis
    const value = basis === 'spend' ? points.spend12m : points.pointsEarned12m
    const month = today().slice(0, 7)
    const progress = tierProgress({ tiers: cfg.tiers, current: points.tier, value, belowSince: account?.tier_below_since ?? null, graceDays: cfg.policy.tierGraceDays })
    return {
      basis, windowFrom: monthsBefore(month, 11), windowTo: month, value, tier: points.tier ?? null, tierSince: points.tierSince,
      ...progress, graceDays: cfg.policy.tierGraceDays,
    }
  }

  /** The member's registration store when it is open: where they pick up unless they choose. */
  const homeStore = async (me: Me): Promise<string | null> => {
    const id = (await members.get(system, me.memberId)).registrationStoreId
    if (!id) return null
    return (await storeById(db, id))?.status === 'open' ? id : null
  }

  const openStore = async (storeId: string) => {
    const store = await storeById(db, storeId)
    if (!store) throw unprocessable('STORE_NOT_FOUND', [{ field: 'storeId', reason: 'no such store' }])
    if (store.status !== 'open') throw unprocessable('STORE_CLOSED', [{ field: 'storeId', reason: 'the store is closed' }])
    return store
  }

  /** The active catalogue as this member sees it: price, what is left at the pick-up store, their limit and whether they can redeem now. */
  const giftCatalogue = async (me: Me, query: { storeId?: string } = {}): Promise<MyGifts> => {
    const storeId = query.storeId || (await homeStore(me))
    const store = storeId ? await openStore(storeId) : null
    const options = await gifts.optionsFor(system, me.memberId, { pickupStoreId: storeId ?? undefined })
    return {
      spendable: options.spendable, tier: options.tier, pickupStoreId: store?.id ?? null, pickupStoreName: store?.name ?? null,
      gifts: options.gifts.map((g) => {
        const leftForMe = g.perMemberLimit === null ? null : Math.max(0, g.perMemberLimit - g.redeemed)
        const byPoints = g.pointsPrice > 0 ? Math.floor(Math.max(0, options.spendable) / g.pointsPrice) : 99
        return {
          id: g.id, name: g.name, description: g.description, pointsPrice: g.pointsPrice, cashPrice: g.cashPrice, hasPicture: g.hasPicture,
          validFrom: g.validFrom, validTo: g.validTo, minTier: g.minTier, pickupDays: g.pickupDays, available: g.availableHere,
          perMemberLimit: g.perMemberLimit, redeemed: g.redeemed, leftForMe, affordable: options.spendable >= g.pointsPrice,
          maxQuantity: g.block ? 0 : Math.min(99, g.availableHere, leftForMe ?? 99, byPoints), block: g.block,
        }
      }),
    }
  }

  /** A gift's picture, for a gift of the active catalogue only. */
  const giftPicture = async (giftId: string) => {
    const gift = await gifts.get(system, giftId)
    if (gift.status !== 'active') throw notFound('GIFT_NOT_FOUND', [{ field: 'giftId', reason: 'no such gift' }])
    return gifts.picture(system, giftId)
  }

  /**
   * Redeems a gift as the desk does (its stock, limits and the member's account lock). The
   * page's request key makes a double tap or a resend one order: the same key answers the same
   * order. The pick-up store is the one chosen, else the member's registration store.
   */
  const redeemGift = async (me: Me, giftId: string, input: { requestKey: string; storeId?: string | null; quantity?: number }) => {
    const storeId = input.storeId || (await homeStore(me))
    if (!storeId) throw unprocessable('VALIDATION', [{ field: 'storeId', reason: 'is required: the store where you pick the gift up' }])
    await openStore(storeId)
    return renamingFields(
      () => gifts.redeem(system, { memberId: me.memberId, giftId, quantity: input.quantity, pickupStoreId: storeId, requestKey: `me:${input.requestKey.trim()}` }),
      { pickupStoreId: 'storeId', memberId: 'giftId' },
    )
  }

  /** The draws open to the member (entered or not), those about to start, and the finished ones they entered with what they won. */
  const myDraws = async (me: Me): Promise<{ items: MyDraw[] }> => {
    const [active, entries, points] = await Promise.all([
      allPages((cursor) => draws.list(system, { status: 'active', cursor, limit: 200 })),
      allPages((cursor) => draws.memberEntries(system, me.memberId, { cursor, limit: 200 })),
      loyalty.points(system, me.memberId),
    ])
    const now = clock.now().toISOString()
    const day = today()
    const byDraw = new Map<string, DrawEntry[]>()
    for (const e of entries) byDraw.set(e.drawId, [...(byDraw.get(e.drawId) ?? []), e])
    const shown = new Map(active.map((d) => [d.id, d]))
    for (const id of byDraw.keys()) if (!shown.has(id)) shown.set(id, await draws.get(system, id))
    const tierCode = points.tier?.code ?? null
    const items = [...shown.values()].flatMap((d): MyDraw[] => {
      const mine = byDraw.get(d.id) ?? []
      const state = d.status === 'active' && now < d.endsAt ? (now < d.startsAt ? 'upcoming' : 'open') : 'finished'
      // Draft draws are not shown; finished ones only when the member entered them.
      if (d.status === 'draft' || (state === 'finished' && mine.length === 0)) return []
      const cost = d.entryPoints === 0 || (tierCode !== null && d.freeTiers.includes(tierCode)) ? 0 : d.entryPoints
      const enteredToday = mine.filter((e) => e.businessDate === day).length
      const entriesLeft = d.perMemberLimit === null ? null : Math.max(0, d.perMemberLimit - mine.length)
      // A sale of the draw's window may still pay the entry: the server finds it when entering.
      const block: MyDrawBlock | null = state === 'upcoming' ? 'not_started' : state === 'finished' ? 'ended'
        : entriesLeft === 0 ? 'limit' : d.perDayLimit !== null && enteredToday >= d.perDayLimit ? 'day_limit'
          : cost > points.spendable && d.freeMinSpend === null ? 'points' : null
      return [{
        id: d.id, name: d.name, description: d.description, startsAt: d.startsAt, endsAt: d.endsAt, state, entryPoints: d.entryPoints, cost,
        freeMinSpend: d.freeMinSpend, perMemberLimit: d.perMemberLimit, perDayLimit: d.perDayLimit, entered: mine.length, enteredToday, entriesLeft,
        canEnter: block === null, block,
        prizes: d.prizes.map((p) => ({ id: p.id, name: p.name, kind: p.kind, points: p.points, left: Math.max(0, p.stock - p.won) })),
        myEntries: mine.map(toMyEntry),
      }]
    })
    const order = { open: 0, upcoming: 1, finished: 2 }
    items.sort((a, b) => order[a.state] - order[b.state] || (a.state === 'finished' ? b.endsAt.localeCompare(a.endsAt) : a.state === 'open' ? a.endsAt.localeCompare(b.endsAt) : a.startsAt.localeCompare(b.startsAt)))
    return { items }
  }

  /** Enters a draw as the desk does (limits, cost in points or a free entry, the prize drawn at once). */
  const enterDraw = async (me: Me, drawId: string): Promise<MyDrawEntry> =>
    toMyEntry(await renamingFields(() => draws.enter(system, drawId, { memberId: me.memberId }), { memberId: 'drawId', id: 'drawId' }))

  const profile = async (me: Me): Promise<MyProfile> => {
    const [m, contact, openId] = await Promise.all([members.get(system, me.memberId), memberContact(db, keyring, me.memberId), channels.wechatOpenidOf(me.memberId)])
    return {
      cardNo: m.cardNo, phone: m.phone, name: contact?.name ?? null, gender: m.gender, birthday: m.birthday, email: contact?.email ?? null,
      occupation: m.occupation, education: m.education, incomeBand: m.incomeBand, district: m.district,
      registeredAt: m.registeredAt, registrationStoreName: m.registrationStoreName ?? null,
      editable: MEMBER_EDITABLE_FIELDS.filter((f) => f !== 'birthday' || m.idNumber === null),
      wechat: { bound: openId !== null, openId },
    }
  }

  /**
   * Changes the member's own fields of the allowed list, validated by the members' rules (field
   * and reason) and audited as member.update by the member page.
   */
  const updateProfile = async (me: Me, patch: ProfilePatch): Promise<MyProfile> => {
    const unknown = Object.keys(patch).filter((k) => !(MEMBER_EDITABLE_FIELDS as readonly string[]).includes(k))
    if (unknown.length) throw unprocessable('VALIDATION', unknown.map((field) => ({ field, reason: 'is not a field you can change here' })))
    if (patch.birthday !== undefined && (await members.get(system, me.memberId)).idNumber !== null) {
      throw unprocessable('VALIDATION', [{ field: 'birthday', reason: 'follows your ID number; the service desk changes it' }])
    }
    await members.update(system, me.memberId, patch)
    return profile(me)
  }

  // WeChat binding: the page never says which OpenID is the member's; WeChat does. The page asks
  // for the authorisation URL (its state names this session, for ten minutes), WeChat sends the
  // phone back with a code, and the server asks WeChat whose code it is.
  const WECHAT_STATE_TTL_S = 600
  const stateSignature = (sessionId: string, expires: number) => keyring.blindIndex('wechat-oauth-state', `${sessionId}:${expires}`).slice(0, 24)

  /** WeChat's authorisation URL of the chain's official account, coming back to the page's profile. */
  const wechatAuthorize = async (me: Pick<MemberSession, 'sessionId'>): Promise<{ url: string }> => {
    const expires = Math.floor(clock.now().getTime() / 1000) + WECHAT_STATE_TTL_S
    const redirect = `${(publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '')}/m/profile`
    return { url: await channels.wechatAuthorizeUrl(redirect, `${expires}.${stateSignature(me.sessionId, expires)}`) }
  }

  /** Binds the WeChat that WeChat's code names to the member; the state must be this session's, unexpired; an OpenID bound to another member is refused. */
  const bindWechat = async (me: MemberSession, input: { code: string; state: string }): Promise<MyProfile['wechat']> => {
    const [exp, sig] = input.state.split('.')
    const expires = Number(exp)
    const expected = Number.isInteger(expires) ? stateSignature(me.sessionId, expires) : ''
    if (!sig || sig !== expected || expires * 1000 < clock.now().getTime()) {
      throw unprocessable('WECHAT_STATE_INVALID', [{ field: 'state', reason: 'not from this sign-in, or older than ten minutes: tap 绑定 again' }])
    }
    await channels.bindWechat(system, me.memberId, { openId: await channels.wechatOpenidFromCode(input.code) })
    const openId = await channels.wechatOpenidOf(me.memberId)
    return { bound: openId !== null, openId }
  }

  const unbindWechat = async (me: Me): Promise<MyProfile['wechat']> => {
    await channels.unbindWechat(system, me.memberId)
    return { bound: false, openId: null }
  }


  return { tier, giftCatalogue, giftPicture, redeemGift, myDraws, enterDraw, profile, updateProfile, wechatAuthorize, bindWechat, unbindWechat }
}

export type PortalRewardsService = ReturnType<typeof createPortalRewardsService>
