import { randomInt } from 'node:crypto'
import type { Db, Trx } from '../../db/database.js'
import { diffFields } from '../audit/index.js'
import type { Actor } from '../../shared/actor.js'
import { actorId, actorName, assertCan, can } from '../../shared/actor.js'
import { conflict, isDomainError, notFound, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { homeStoreId } from '../../shared/scope.js'
import { dateIn } from '../../shared/time.js'
import { expiresOnFor, ledger } from '../loyalty/index.js'
import { drawLedgerSums, freeEntryReceipt } from '../analytics/index.js'
import { assertLive, findMemberLabels, memberIdsInScope } from '../members/index.js'
import { existingTemplateIds } from './coupons.repository.js'
import { maskCode, type CouponsService } from './coupons.service.js'
import * as repo from './draws.repository.js'
import {
  chancePct, entryCost, limitBroken, pickPrize, totalWeight, validateDraw, MAX_STOCK, type DrawInput, type FreeReason,
} from './draw-rules.js'
import type { DrawEntriesTable, DrawPrizesTable, DrawsTable, PrizeKind } from './draws.table.js'
import { existingGiftIds } from './gifts.repository.js'
import type { GiftsService } from './gifts.service.js'
import { jsonList, type RewardsMismatch } from './rewards-rules.js'
import type { RewardsBaseDeps } from './rewards.types.js'

export interface DrawsDeps extends RewardsBaseDeps {
  coupons: CouponsService
  gifts: GiftsService
}

export type DrawStatus = DrawsTable['status']

export interface Prize {
  id: string
  seq: number
  name: string
  kind: PrizeKind
  couponTemplateId: string | null
  points: number | null
  giftId: string | null
  stock: number
  won: number
  weight: number
  chancePct: number
}

export interface Draw {
  id: string
  name: string
  description: string | null
  startsAt: string
  endsAt: string
  entryPoints: number
  freeTiers: string[]
  freeMinSpend: number | null
  perMemberLimit: number | null
  perDayLimit: number | null
  noPrizeWeight: number
  noPrizePct: number
  fallbackPrizeId: string | null
  status: DrawStatus
  prizes: Prize[]
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface DrawEntry {
  id: string
  drawId: string
  drawName: string
  memberId: string
  memberCardNo: string | null
  memberName: string | null
  businessDate: string
  costPoints: number
  freeReason: FreeReason | null
  receiptId: string | null
  outcome: 'won' | 'lost'
  fellBack: boolean
  prizeId: string | null
  prizeName: string | null
  prizeKind: PrizeKind | null
  prizePoints: number | null
  couponId: string | null
  couponCode: string | null
  giftOrderId: string | null
  actorName: string | null
  createdAt: string
}

export interface DrawReport {
  drawId: string
  entries: number
  members: number
  paidEntries: number
  freeEntries: { tier: number; purchase: number; freeDraw: number }
  pointsCharged: number
  pointsChargedValueFen: number
  won: number
  lost: number
  fellBack: number
  prizes: Array<{ id: string; seq: number; name: string; kind: PrizeKind; stock: number; won: number }>
  cost: { pointsGiven: number; pointsGivenValueFen: number; couponsIssued: number; couponsValueFen: number; giftsOrdered: number; giftsPointsValue: number }
  byDay: Array<{ date: string; entries: number; won: number; pointsCharged: number }>
}

type Page<T> = { items: T[]; nextCursor: string | null }

const NO_PRIZE = 'no_prize'
// A coupon prize whose template cannot issue any more counts as out, like a prize without stock.
const COUPON_OUT = new Set(['COUPON_BUDGET_EXHAUSTED', 'COUPON_TEMPLATE_INACTIVE', 'COUPON_TEMPLATE_NOT_FOUND'])

const toPrize = (row: DrawPrizesTable, total: number): Prize => ({
  id: row.id, seq: row.seq, name: row.name, kind: row.kind, couponTemplateId: row.coupon_template_id, points: row.points, giftId: row.gift_id,
  stock: Number(row.stock), won: Number(row.won), weight: Number(row.weight), chancePct: chancePct(Number(row.weight), total),
})

const toDraw = (row: DrawsTable, prizes: DrawPrizesTable[]): Draw => {
  const total = totalWeight(prizes.map((p) => ({ weight: Number(p.weight) })), Number(row.no_prize_weight))
  return {
    id: row.id, name: row.name, description: row.description, startsAt: row.starts_at, endsAt: row.ends_at, entryPoints: Number(row.entry_points),
    freeTiers: jsonList(row.free_tiers) ?? [], freeMinSpend: row.free_min_spend === null ? null : Number(row.free_min_spend),
    perMemberLimit: row.per_member_limit, perDayLimit: row.per_day_limit, noPrizeWeight: Number(row.no_prize_weight),
    noPrizePct: chancePct(Number(row.no_prize_weight), total), fallbackPrizeId: row.fallback === NO_PRIZE ? null : row.fallback,
    status: row.status, prizes: prizes.map((p) => toPrize(p, total)), createdBy: row.created_by, createdAt: row.created_at, updatedAt: row.updated_at,
  }
}

const drawNotFound = () => notFound('DRAW_NOT_FOUND', [{ field: 'id', reason: 'no such draw' }])
const pageLimit = (limit: number | undefined) => Math.min(Math.max(limit ?? 50, 1), 200)

export const createDrawsService = ({ db, audit, clock, timezone, loyalty, coupons, gifts }: DrawsDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)

  const loadDraw = async (conn: Db | Trx, id: string): Promise<Draw> => {
    const row = await repo.findDraw(conn, id)
    if (!row) throw drawNotFound()
    const prizes = await repo.prizesOf(conn, [id])
    return toDraw(row, prizes)
  }

  /** Checks the definition and that the tiers, coupon templates and gifts it names exist. */
  const checkInput = async (input: DrawInput): Promise<DrawInput> => {
    const details = validateDraw(input)
    if (details.length) throw unprocessable('VALIDATION', details)
    const normal: DrawInput = {
      ...input,
      name: input.name.trim(),
      description: input.description?.trim() || null,
      startsAt: new Date(input.startsAt).toISOString(),
      endsAt: new Date(input.endsAt).toISOString(),
      freeTiers: [...new Set(input.freeTiers ?? [])],
      prizes: input.prizes.map((p) => ({
        name: p.name.trim(), kind: p.kind, stock: p.stock, weight: p.weight,
        couponTemplateId: p.kind === 'coupon' ? p.couponTemplateId ?? null : null,
        points: p.kind === 'points' ? p.points ?? null : null,
        giftId: p.kind === 'gift' ? p.giftId ?? null : null,
      })),
    }
    const tiers = (await loyalty.config()).tiers.map((t) => t.code)
    const unknownTier = normal.freeTiers!.find((c) => !tiers.includes(c))
    if (unknownTier) details.push({ field: 'freeTiers', reason: `no tier ${unknownTier}` })
    const templateIds = normal.prizes.flatMap((p) => (p.couponTemplateId ? [p.couponTemplateId] : []))
    const templates = await existingTemplateIds(db, templateIds)
    const giftIds = normal.prizes.flatMap((p) => (p.giftId ? [p.giftId] : []))
    const giftRows = await existingGiftIds(db, giftIds)
    normal.prizes.forEach((p, i) => {
      if (p.couponTemplateId && !templates.has(p.couponTemplateId)) details.push({ field: `prizes.${i}.couponTemplateId`, reason: 'no such coupon template' })
      if (p.giftId && !giftRows.has(p.giftId)) details.push({ field: `prizes.${i}.giftId`, reason: 'no such gift' })
    })
    if (details.length) throw unprocessable('VALIDATION', details)
    return normal
  }

  const prizeRows = (drawId: string, input: DrawInput): DrawPrizesTable[] => input.prizes.map((p, i) => ({
    id: newId('dpz'), draw_id: drawId, seq: i + 1, name: p.name, kind: p.kind, coupon_template_id: p.couponTemplateId ?? null,
    points: p.points ?? null, gift_id: p.giftId ?? null, stock: p.stock, won: 0, weight: p.weight,
  }))

  const drawColumns = (input: DrawInput, prizes: DrawPrizesTable[]) => ({
    name: input.name, description: input.description ?? null, starts_at: input.startsAt, ends_at: input.endsAt, entry_points: input.entryPoints,
    free_tiers: input.freeTiers && input.freeTiers.length ? JSON.stringify(input.freeTiers) : null,
    free_min_spend: input.freeMinSpend ?? null, per_member_limit: input.perMemberLimit ?? null, per_day_limit: input.perDayLimit ?? null,
    no_prize_weight: input.noPrizeWeight,
    fallback: input.fallbackPrize != null ? prizes[input.fallbackPrize - 1]!.id : NO_PRIZE,
  })

  const list = async (actor: Actor, query: { status?: DrawStatus; cursor?: string; limit?: number } = {}): Promise<Page<Draw>> => {
    assertCan(actor, 'rewards.read')
    const limit = pageLimit(query.limit)
    const rows = await repo.listDraws(db, { status: query.status, cursor: query.cursor, limit: limit + 1 })
    const page = rows.slice(0, limit)
    const prizes = page.length ? await repo.prizesOf(db, page.map((r) => r.id)) : []
    const items = page.map((r) => toDraw(r, prizes.filter((p) => p.draw_id === r.id)))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const get = async (actor: Actor, id: string): Promise<Draw> => {
    assertCan(actor, 'rewards.read')
    return loadDraw(db, id)
  }

  const create = async (actor: Actor, input: DrawInput): Promise<Draw> => {
    assertCan(actor, 'rewards.manage')
    const normal = await checkInput(input)
    const at = now()
    const id = newId('drw')
    const prizes = prizeRows(id, normal)
    const row: DrawsTable = { id, ...drawColumns(normal, prizes), status: 'draft', created_by: actorId(actor), created_at: at, updated_at: at }
    return db.transaction().execute(async (trx) => {
      await repo.insertDraw(trx, row, prizes)
      await audit.record(trx, actor, { action: 'draw.create', entityType: 'draw', entityId: id, changes: { after: normal } })
      return toDraw(row, prizes)
    })
  }

  const rulesOf = (d: Draw) => ({
    name: d.name, description: d.description, startsAt: d.startsAt, endsAt: d.endsAt, entryPoints: d.entryPoints, freeTiers: d.freeTiers, freeMinSpend: d.freeMinSpend,
    perMemberLimit: d.perMemberLimit, perDayLimit: d.perDayLimit, noPrizeWeight: d.noPrizeWeight,
    fallback: d.prizes.find((p) => p.id === d.fallbackPrizeId)?.seq ?? null,
  })

  /** A draft is changed as a whole, prizes included (a draft has no entries, so its prizes are replaced). */
  const update = async (actor: Actor, id: string, input: DrawInput): Promise<Draw> => {
    assertCan(actor, 'rewards.manage')
    const normal = await checkInput(input)
    const at = now()
    return db.transaction().execute(async (trx) => {
      const before = await loadDraw(trx, id)
      const prizes = prizeRows(id, normal)
      const columns = { ...drawColumns(normal, prizes), updated_at: at }
      if (!(await repo.updateDraft(trx, id, columns, prizes))) throw conflict('DRAW_NOT_EDITABLE', [{ field: 'status', reason: `the draw is ${before.status}; only a draft is changed (prize stock may still be raised)` }])
      const after = await loadDraw(trx, id)
      await audit.record(trx, actor, {
        action: 'draw.update', entityType: 'draw', entityId: id,
        changes: {
          ...diffFields(rulesOf(before), rulesOf(after)),
          prizes: diffFields({ prizes: before.prizes.map(({ id: _id, won: _won, chancePct: _pct, ...p }) => p) }, { prizes: after.prizes.map(({ id: _id, won: _won, chancePct: _pct, ...p }) => p) }).prizes,
        },
      })
      return after
    })
  }

  /** Raises a prize's stock (never lowers it: what is promised stays promised), in any status but closed. */
  const setStock = async (actor: Actor, drawId: string, prizeId: string, stock: number): Promise<Draw> => {
    assertCan(actor, 'rewards.manage')
    if (!Number.isInteger(stock) || stock < 0 || stock > MAX_STOCK) throw unprocessable('VALIDATION', [{ field: 'stock', reason: `a whole number from 0 to ${MAX_STOCK}` }])
    return db.transaction().execute(async (trx) => {
      const draw = await loadDraw(trx, drawId)
      const prize = draw.prizes.find((p) => p.id === prizeId)
      if (!prize) throw notFound('DRAW_PRIZE_NOT_FOUND', [{ field: 'prizeId', reason: 'no such prize in this draw' }])
      if (draw.status === 'closed') throw conflict('DRAW_NOT_EDITABLE', [{ field: 'status', reason: 'the draw is closed' }])
      if (draw.status !== 'draft' && stock < prize.stock) throw unprocessable('VALIDATION', [{ field: 'stock', reason: `stock can only be raised once the draw is active (now ${prize.stock})` }])
      if (!(await repo.setPrizeStock(trx, prizeId, stock))) throw unprocessable('VALIDATION', [{ field: 'stock', reason: 'below the pieces already won' }])
      await repo.touchDraw(trx, drawId, now())
      await audit.record(trx, actor, { action: 'draw.prize.stock', entityType: 'draw', entityId: drawId, changes: { prizeId, stock: { from: prize.stock, to: stock } } })
      return loadDraw(trx, drawId)
    })
  }

  const transition = (action: 'activate' | 'close', from: DrawStatus[], to: DrawStatus) => async (actor: Actor, id: string): Promise<Draw> => {
    assertCan(actor, 'rewards.manage')
    return db.transaction().execute(async (trx) => {
      const before = await loadDraw(trx, id)
      if (action === 'activate' && Date.parse(before.endsAt) <= clock.now().getTime()) {
        throw conflict('DRAW_ENDED', [{ field: 'endsAt', reason: 'the draw has ended already; change its dates first' }])
      }
      if (!(await repo.setDrawStatus(trx, id, from, to, now()))) throw conflict('DRAW_STATUS', [{ field: 'status', reason: `a ${before.status} draw cannot be ${action === 'activate' ? 'activated' : 'closed'}` }])
      await audit.record(trx, actor, { action: action === 'activate' ? 'draw.activate' : 'draw.close', entityType: 'draw', entityId: id, changes: { status: { from: before.status, to } } })
      return { ...before, status: to }
    })
  }
  const activate = transition('activate', ['draft'], 'active')
  const close = transition('close', ['draft', 'active'], 'closed')

  // ---- entries ----

  type EntryRow = DrawEntriesTable & {
    draw_name: string; card_no: string | null; name_masked: string | null; prize_name: string | null; prize_kind: PrizeKind | null; prize_points: number | null; coupon_code: string | null
  }
  /** Entries as lists show them: with the member's card and masked name. */
  const toEntries = async (rows: repo.EntryWithPrize[]): Promise<DrawEntry[]> => {
    if (rows.length === 0) return []
    const labels = await findMemberLabels(db, rows.map((r) => r.member_id))
    return rows.map((r) => toEntry({ ...r, card_no: labels.get(r.member_id)?.cardNo ?? null, name_masked: labels.get(r.member_id)?.nameMasked ?? null }))
  }
  const toEntry = (r: EntryRow): DrawEntry => ({
    id: r.id, drawId: r.draw_id, drawName: r.draw_name, memberId: r.member_id, memberCardNo: r.card_no, memberName: r.name_masked,
    businessDate: r.business_date, costPoints: Number(r.cost_points), freeReason: r.free_reason as FreeReason | null, receiptId: r.receipt_id,
    outcome: r.outcome, fellBack: Number(r.fell_back) === 1, prizeId: r.prize_id, prizeName: r.prize_name, prizeKind: r.prize_kind,
    prizePoints: r.prize_points === null ? null : Number(r.prize_points), couponId: r.coupon_id, couponCode: r.coupon_code,
    giftOrderId: r.gift_order_id, actorName: r.actor_name, createdAt: r.created_at,
  })

  /**
   * The oldest of the member's sales within the draw's window that reach the free-entry amount
   * (net of what was returned) and gave no entry yet; or, when named, that receipt if it does.
   */
  const findFreeReceipt = async (trx: Trx, draw: DrawsTable, memberId: string, receiptId: string | null): Promise<string | null> => {
    if (draw.free_min_spend === null) return null
    const row = await freeEntryReceipt(trx, { drawId: draw.id, memberId, from: draw.starts_at, to: draw.ends_at, minNet: Number(draw.free_min_spend), receiptId })
    if (!row && receiptId) {
      throw conflict('DRAW_RECEIPT_NOT_ELIGIBLE', [{ field: 'receiptId', reason: `not a sale of this member of at least ${draw.free_min_spend} fen within the draw, or it gave its free entry already` }])
    }
    return row
  }

  type Award = { couponId: string | null; giftOrderId: string | null; pointsEntryId: string | null }

  /**
   * One member enters a draw: in one transaction the member's account is locked (on PostgreSQL
   * that serialises the member, so limits and a receipt's free entry hold), the entry is paid,
   * a prize is drawn with a cryptographic random number, taken from stock by a conditional
   * update (falling back as configured when it is out) and awarded, and the entry is recorded.
   * A refusal (insufficient points, a limit) records nothing. Row locks come in one order
   * (account, drawn prize, the draw's one fallback prize) and an entry that drew the fallback
   * takes no other prize, so two entries cannot deadlock on PostgreSQL.
   */
  const enter = async (actor: Actor, drawId: string, input: { memberId: string; receiptId?: string | null }): Promise<DrawEntry> => {
    assertCan(actor, 'rewards.redeem')
    const cfg = await loyalty.config()
    const at = now()
    const day = today()
    const entryId = newId('den')
    const cause = { reference: entryId, actorId: actorId(actor), actorName: actorName(actor), storeId: homeStoreId(actor) }
    await db.transaction().execute(async (trx) => {
      const draw = await repo.findDraw(trx, drawId)
      if (!draw) throw drawNotFound()
      const member = await assertLive(trx, input.memberId)
      if (member.status !== 'active') throw conflict('MEMBER_NOT_ACTIVE', [{ field: 'memberId', reason: `the member is ${member.status}` }])
      if (draw.status !== 'active') throw conflict('DRAW_NOT_ACTIVE', [{ field: 'status', reason: `the draw is ${draw.status}` }])
      if (at < draw.starts_at) throw conflict('DRAW_NOT_STARTED', [{ field: 'startsAt', reason: `the draw starts at ${draw.starts_at}` }])
      if (at >= draw.ends_at) throw conflict('DRAW_ENDED', [{ field: 'endsAt', reason: `the draw ended at ${draw.ends_at}` }])

      const account = await ledger.lockAccount(trx, member.id, at)
      const counts = await repo.entryCounts(trx, draw.id, member.id, day)
      const broken = limitBroken({ perMemberLimit: draw.per_member_limit, perDayLimit: draw.per_day_limit }, counts)
      if (broken === 'member') throw conflict('DRAW_MEMBER_LIMIT', [{ field: 'memberId', reason: `the member has had all ${draw.per_member_limit} entries of this draw` }])
      if (broken === 'day') throw conflict('DRAW_DAY_LIMIT', [{ field: 'memberId', reason: `the member has had all ${draw.per_day_limit} entries of today` }])

      const tierCode = loyalty.effectiveTier(cfg, account)?.code ?? null
      const freeTiers = jsonList(draw.free_tiers)
      const tierFree = draw.entry_points === 0 || (tierCode !== null && (freeTiers ?? []).includes(tierCode))
      const receiptId = tierFree ? null : await findFreeReceipt(trx, draw, member.id, input.receiptId ?? null)
      const cost = entryCost({ entryPoints: draw.entry_points, freeTiers }, { tierCode, hasFreeReceipt: receiptId !== null })
      if (cost.points > 0) await ledger.spend(trx, account, 'draw', cost.points, day, { ...cause, reason: draw.name }, at, 'memberId')

      const prizes = await repo.prizesOf(trx, [draw.id])
      const total = totalWeight(prizes, draw.no_prize_weight)
      const drawn = total > 0 ? pickPrize(prizes, draw.no_prize_weight, randomInt(total)) : null

      const award = async (prize: DrawPrizesTable): Promise<Award | null> => {
        if (!(await repo.takePrize(trx, prize.id))) return null
        const given = await giveOut(prize)
        // The prize had stock but what it gives could not be had (a coupon budget, a gift out of stock).
        if (!given) await repo.putPrizeBack(trx, prize.id)
        return given
      }
      const giveOut = async (prize: DrawPrizesTable): Promise<Award | null> => {
        if (prize.kind === 'points') {
          const posted = await ledger.credit(trx, account, 'award', Number(prize.points), expiresOnFor(cfg.policy.expiry, day), { ...cause, reason: `${draw.name}: ${prize.name}` }, at)
          return { couponId: null, giftOrderId: null, pointsEntryId: posted.entry.id }
        }
        if (prize.kind === 'coupon') {
          try {
            // issueInTrx refuses with a conditional update that matches nothing, never a failed
            // statement, so the transaction is still usable on PostgreSQL after a refusal.
            const coupon = await coupons.internals.issueInTrx(trx, { templateId: prize.coupon_template_id!, memberId: member.id, issueKey: `draw:${entryId}`, source: 'draw', issuedBy: actorName(actor), at })
            return { couponId: coupon.id, giftOrderId: null, pointsEntryId: null }
          } catch (err) {
            if (isDomainError(err) && COUPON_OUT.has(err.code)) return null
            throw err
          }
        }
        const order = await gifts.internals.orderForPrize(trx, { giftId: prize.gift_id!, memberId: member.id, actorName: actorName(actor), at })
        return order ? { couponId: null, giftOrderId: order.orderId, pointsEntryId: null } : null
      }

      let prize: DrawPrizesTable | null = null
      let given: Award | null = null
      let fellBack = false
      if (drawn) {
        given = await award(drawn)
        prize = given ? drawn : null
        if (!given) {
          fellBack = true
          const fallback = draw.fallback === NO_PRIZE ? null : prizes.find((p) => p.id === draw.fallback && p.id !== drawn.id) ?? null
          if (fallback) {
            given = await award(fallback)
            prize = given ? fallback : null
          }
        }
      }

      await repo.insertEntry(trx, {
        id: entryId, draw_id: draw.id, member_id: member.id, business_date: day, cost_points: cost.points, free_reason: cost.freeReason,
        receipt_id: cost.freeReason === 'purchase' ? receiptId : null, prize_id: prize?.id ?? null, outcome: prize ? 'won' : 'lost', fell_back: fellBack ? 1 : 0,
        coupon_id: given?.couponId ?? null, gift_order_id: given?.giftOrderId ?? null, entry_id: given?.pointsEntryId ?? null,
        actor_name: actorName(actor), created_at: at,
      })
      await audit.record(trx, actor, {
        action: 'draw.enter', entityType: 'member', entityId: member.id,
        changes: { drawId: draw.id, entryId, costPoints: cost.points, freeReason: cost.freeReason, outcome: prize ? 'won' : 'lost', prizeId: prize?.id ?? null, fellBack },
      })
    })
    return (await toEntries([(await repo.findEntry(db, entryId))!]))[0]!
  }

  const entries = async (actor: Actor, drawId: string, query: { won?: boolean; cursor?: string; limit?: number } = {}): Promise<Page<DrawEntry>> => {
    assertCan(actor, 'rewards.read')
    if (!(await repo.findDraw(db, drawId))) throw drawNotFound()
    const limit = pageLimit(query.limit)
    // A store's staff see their own store's members' entries; prize coupon codes only for those who manage coupons.
    const rows = await repo.findEntries(db, { drawId, won: query.won, cursor: query.cursor, limit: limit + 1, memberIds: memberIdsInScope(db, actor) })
    const showCodes = can(actor, 'rewards.issue')
    const items = (await toEntries(rows.slice(0, limit))).map((e) => (showCodes || !e.couponCode ? e : { ...e, couponCode: maskCode(e.couponCode) }))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const memberEntries = async (actor: Actor, memberId: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<DrawEntry>> => {
    assertCan(actor, 'rewards.read')
    await assertLive(db, memberId)
    const limit = pageLimit(query.limit)
    const rows = await repo.findEntries(db, { memberId, cursor: query.cursor, limit: limit + 1 })
    const items = await toEntries(rows.slice(0, limit))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const report = async (actor: Actor, drawId: string): Promise<DrawReport> => {
    assertCan(actor, 'rewards.reports')
    const draw = await loadDraw(db, drawId)
    const cfg = await loyalty.config()
    const n = (v: unknown) => Number(v ?? 0)
    // A store's manager reads the figures of their own store's members' entries (as the liability report).
    const { totals, pointsGiven, couponValue, giftValue, byDay } = await repo.drawFigures(db, drawId, memberIdsInScope(db, actor))
    const value = (points: number) => points * cfg.policy.pointValueFen
    return {
      drawId,
      entries: n(totals.entries),
      members: n(totals.members),
      paidEntries: n(totals.paid),
      freeEntries: { tier: n(totals.tier), purchase: n(totals.purchase), freeDraw: n(totals.free_draw) },
      pointsCharged: n(totals.charged),
      pointsChargedValueFen: value(n(totals.charged)),
      won: n(totals.won),
      lost: n(totals.entries) - n(totals.won),
      fellBack: n(totals.fell_back),
      prizes: draw.prizes.map((p) => ({ id: p.id, seq: p.seq, name: p.name, kind: p.kind, stock: p.stock, won: p.won })),
      cost: {
        pointsGiven: n(pointsGiven.points),
        pointsGivenValueFen: value(n(pointsGiven.points)),
        couponsIssued: n(totals.coupons),
        couponsValueFen: n(couponValue.fen),
        giftsOrdered: n(totals.gifts),
        giftsPointsValue: n(giftValue.points),
      },
      byDay: byDay.map((d) => ({ date: d.business_date, entries: n(d.entries), won: n(d.won), pointsCharged: n(d.charged) })),
    }
  }

  /**
   * For every prize 0 ≤ won ≤ stock and won = the entries that won it; for every draw the points
   * its entries cost = the 'draw' ledger entries referencing them, and the points prizes they won
   * = the 'award' entries referencing them.
   */
  const verify = async (): Promise<RewardsMismatch[]> => {
    const out: RewardsMismatch[] = []
    const prizes = await repo.prizesWithWins(db)
    for (const p of prizes) {
      const won = Number(p.won)
      const counted = Number(p.n ?? 0)
      if (won < 0 || won > Number(p.stock)) out.push({ area: 'draws', id: p.id, problem: `prize of draw ${p.draw_id}: won ${won} outside 0..${p.stock}` })
      if (won !== counted) out.push({ area: 'draws', id: p.id, problem: `prize of draw ${p.draw_id}: won ${won} but ${counted} entries won it` })
    }
    const charged = await repo.chargedByDraw(db)
    const ledgerSums = await drawLedgerSums(db)
    const drawIds = new Set([...charged.map((c) => c.draw_id), ...ledgerSums.map((l) => l.draw_id)])
    for (const id of drawIds) {
      const c = charged.find((x) => x.draw_id === id)
      const paid = -Number(ledgerSums.find((l) => l.draw_id === id && l.kind === 'draw')?.points ?? 0)
      const awarded = Number(ledgerSums.find((l) => l.draw_id === id && l.kind === 'award')?.points ?? 0)
      if (Number(c?.cost ?? 0) !== paid) out.push({ area: 'draws', id, problem: `entries cost ${Number(c?.cost ?? 0)} points but the ledger charged ${paid}` })
      if (Number(c?.awarded ?? 0) !== awarded) out.push({ area: 'draws', id, problem: `points prizes won come to ${Number(c?.awarded ?? 0)} but the ledger awarded ${awarded}` })
    }
    return out
  }

  return { list, get, create, update, setStock, activate, close, enter, entries, memberEntries, report, verify }
}

export type DrawsService = ReturnType<typeof createDrawsService>
