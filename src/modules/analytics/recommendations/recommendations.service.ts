import type { Db } from '../../../db/database.js'
import { actorName, assertCan, type Actor } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { notFound, unprocessable } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { addDays, dateIn } from '../../../shared/time.js'
import { basketsOf } from '../rules/rules-baskets.js'
import { basketLines } from '../rules/rules.repository.js'
import { DEFAULT_EXCLUDE_DAYS, mostPopular, neighboursOf, recommend, rowCounts, type ItemSets, type Reason } from './recommender.js'
import * as repo from './recommendations.repository.js'
import { findMemberStatus } from '../profile/profile.repository.js'
import type { NeighbourKind } from './recommendations.table.js'
import type { Progress } from '../forecast/forecast.service.js'

export interface BuildInput {
  /** the sales of the last N days to today (default 90) */
  days?: number
}

export interface RecommendationModel {
  id: string
  builtAt: string
  from: string
  to: string
  baskets: number
  members: number
  products: number
  neighbours: number
  seconds: number
  createdBy: string
}

export interface RecommendInput {
  /** suggestions wanted (default 10, at most 50) */
  limit?: number
  /** nothing the member bought in the last N days (default 7; 0 allows everything) */
  excludeDays?: number
  /** points-eligible products only: the suggestion is a points offer */
  pointsOnly?: boolean
}

export interface RecommendedProduct {
  productId: string
  sku: string
  name: string
  category: string | null
  /** fen */
  listPrice: number
  memberPrice: number | null
  pointsEligible: boolean
  /** prices are per kilogram; the till weighs it */
  soldByWeight: boolean
  score: number
  reason:
    | { kind: 'repeat'; days: number; lastDate: string }
    | { kind: 'together' | 'similar'; productId: string; sku: string; name: string }
    | { kind: 'popular'; rank: number }
}

export interface MemberRecommendations {
  memberId: string
  /** the model the neighbours and the popular list came from; null before the first build (the member's own history still speaks) */
  model: RecommendationModel | null
  asOf: string
  excludeDays: number
  items: RecommendedProduct[]
}

/** Models kept: older ones are deleted as new ones are stored. */
export const MODELS_KEPT = 3
/** Neighbours stored per product and kind. */
export const NEIGHBOURS_KEPT = 20
/** Popular products stored per model. */
export const POPULAR_KEPT = 50
/** A pair on fewer baskets (members) than this is chance, not a neighbour. */
export const MIN_TOGETHER = 2
/** A member's most-bought products counted for "similar" (the rest add little and cost much). */
export const MEMBER_ITEMS_CAP = 100
/** A basket's items counted for "together": a bulk order of hundreds of lines says little about pairs. */
export const BASKET_ITEMS_CAP = 100
/** A member's history: the last year, the most-bought products. */
const HISTORY_DAYS = 365
const HISTORY_ITEMS = 100
/** Members' rows read per page. */
const PAGE = 200_000
/** Ranked candidates whose products are read at once. */
const CANDIDATE_PAGE = 40

const bad = (field: string, reason: string) => unprocessable('RECOMMENDATIONS_INVALID_INPUT', [{ field, reason }])

const modelOf = (r: repo.ModelRow): RecommendationModel => ({
  id: r.id, builtAt: r.built_at, from: r.from_date, to: r.to_date, baskets: Number(r.baskets), members: Number(r.members),
  products: Number(r.products), neighbours: Number(r.neighbours), seconds: Number(r.seconds), createdBy: r.created_by,
})

export const createRecommendationsService = ({ db, clock, timezone }: { db: Db; clock: Clock; timezone: string }) => {
  const today = () => dateIn(clock.now(), timezone)

  /** Members' histories as rows of item ids (the most-bought first), ids shared with the baskets. */
  const memberSets = async (from: string, to: string, ids: Map<string, number>, keys: string[]): Promise<{ sets: ItemSets; members: number }> => {
    const offsets: number[] = [0]
    let items = new Uint32Array(1 << 16)
    let used = 0
    let after = ''
    for (;;) {
      const rows = await repo.memberProducts(db, { from, to, after, limit: PAGE })
      if (rows.length === 0) break
      const full = rows.length === PAGE
      // A full page may end inside a member: that member is read again with the next page.
      let end = rows.length
      if (full) {
        const lastMember = rows[rows.length - 1]!.m
        while (end > 0 && rows[end - 1]!.m === lastMember) end--
        if (end === 0) throw new Error(`member ${lastMember} has more than ${PAGE} products`)
      }
      let member: string | null = null
      for (let i = 0; i < end; i++) {
        const row = rows[i]!
        if (row.m !== member) {
          if (member !== null) offsets.push(used)
          member = row.m
        }
        let id = ids.get(row.k)
        if (id === undefined) { id = keys.length; ids.set(row.k, id); keys.push(row.k) }
        if (used === items.length) { const grown = new Uint32Array(items.length * 2); grown.set(items); items = grown }
        items[used++] = id
      }
      if (member !== null) offsets.push(used)
      if (!full) break
      after = rows[end - 1]!.m
    }
    return { sets: { offsets: Uint32Array.from(offsets), items: items.slice(0, used), itemCount: keys.length }, members: offsets.length - 1 }
  }

  /**
   * Builds the model from the last `days` days' sales: each product's nearest products bought on
   * the same sales ("together", cosine over baskets) and by the same members ("similar", cosine
   * over members' products), NEIGHBOURS_KEPT of each; and the POPULAR_KEPT products on the most
   * sales. Stored; the newest MODELS_KEPT models are kept.
   */
  const build = async (actor: Actor, input: BuildInput = {}, progress?: Progress): Promise<RecommendationModel> => {
    assertCan(actor, 'insight.manage')
    const days = input.days ?? 90
    if (!Number.isInteger(days) || days < 1 || days > 3660) throw bad('days', 'must be a whole number from 1 to 3660')
    const started = performance.now()
    const to = today()
    const from = addDays(to, 1 - days)
    await progress?.(0, 5, 'baskets')
    const { baskets, keys } = basketsOf(await basketLines(db, { level: 'sku', from, to, storeId: null, membersOnly: false }))
    await progress?.(1, 5, 'members')
    const ids = new Map(keys.map((k, i) => [k, i]))
    const members = await memberSets(from, to, ids, keys)
    const basketSets: ItemSets = { ...baskets, itemCount: keys.length }
    const options = { k: NEIGHBOURS_KEPT, minTogether: MIN_TOGETHER }
    await progress?.(2, 5, 'together')
    const together = neighboursOf(basketSets, { ...options, cap: BASKET_ITEMS_CAP })
    await progress?.(3, 5, 'similar')
    const similar = neighboursOf(members.sets, { ...options, cap: MEMBER_ITEMS_CAP })
    await progress?.(4, 5, 'store')
    const counts = rowCounts(basketSets)
    const popular = mostPopular(basketSets, POPULAR_KEPT)

    const id = newId('rcm')
    const rows: Array<{ model_id: string; product_id: string; kind: NeighbourKind; rank: number; neighbour_id: string; score: number; together: number }> = []
    for (const [kind, lists] of [['together', together], ['similar', similar]] as const) {
      lists.forEach((list, item) => list.forEach((n, i) => rows.push({ model_id: id, product_id: keys[item]!, kind, rank: i + 1, neighbour_id: keys[n.item]!, score: n.score, together: n.together })))
    }
    const model: RecommendationModel = {
      id, builtAt: clock.now().toISOString(), from, to, baskets: baskets.offsets.length - 1, members: members.members,
      products: keys.length, neighbours: rows.length, seconds: 0, createdBy: actorName(actor),
    }
    model.seconds = Math.round(performance.now() - started) / 1000
    await db.transaction().execute(async (trx) => {
      await repo.insertModel(trx, {
        id, built_at: model.builtAt, from_date: from, to_date: to, baskets: model.baskets, members: model.members, products: model.products,
        neighbours: model.neighbours, seconds: model.seconds, created_by: model.createdBy,
      })
      await repo.insertNeighbours(trx, rows)
      await repo.insertPopular(trx, popular.map((item, i) => ({ model_id: id, rank: i + 1, product_id: keys[item]!, baskets: counts[item]! })))
      await repo.pruneModels(trx, MODELS_KEPT)
    })
    await progress?.(5, 5)
    return model
  }

  const latest = async (actor: Actor): Promise<RecommendationModel | null> => {
    assertCan(actor, 'insight.read')
    const row = await repo.latestModel(db)
    return row ? modelOf(row) : null
  }

  /**
   * A member's next products: scored from their own last year of purchases and the newest model's
   * neighbours and popular list (recommender.ts), never a product that is not on sale, one bought
   * in the last `excludeDays` days, or (for a points offer) one that earns no points.
   */
  const forMember = async (actor: Actor, memberId: string, input: RecommendInput = {}): Promise<MemberRecommendations> => {
    assertCan(actor, 'members.read')
    const limit = input.limit ?? 10
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw bad('limit', 'must be a whole number from 1 to 50')
    const excludeDays = input.excludeDays ?? DEFAULT_EXCLUDE_DAYS
    if (!Number.isInteger(excludeDays) || excludeDays < 0 || excludeDays > 365) throw bad('excludeDays', 'must be a whole number from 0 to 365')
    const member = await findMemberStatus(db, memberId)
    if (!member || member.status === 'erased' || member.status === 'merged') throw notFound('MEMBER_NOT_FOUND', [{ field: 'id', reason: 'no such member' }])
    const asOf = today()
    const [history, modelRow] = await Promise.all([repo.memberHistory(db, memberId, addDays(asOf, 1 - HISTORY_DAYS), HISTORY_ITEMS), repo.latestModel(db)])
    const [neighbours, popular] = modelRow
      ? await Promise.all([repo.neighboursOf(db, modelRow.id, history.map((h) => h.k)), repo.popularOf(db, modelRow.id)])
      : [[], []]
    const near = { together: new Map<string, Array<{ item: string; score: number }>>(), similar: new Map<string, Array<{ item: string; score: number }>>() }
    for (const n of neighbours) {
      const map = near[n.kind]
      const list = map.get(n.product_id)
      const entry = { item: n.neighbour_id, score: Number(n.score) }
      if (list) list.push(entry)
      else map.set(n.product_id, [entry])
    }
    // Ranked first, checked after: only the best candidates' products are read (a page at a time
    // while some are off sale or earn no points), not the hundreds the neighbours name.
    const ranked = recommend({
      today: asOf,
      history: history.map((h) => ({ item: h.k, days: Number(h.n), lastDate: h.last })),
      together: (item) => near.together.get(item) ?? [],
      similar: (item) => near.similar.get(item) ?? [],
      popular: popular.map((p) => p.product_id),
      limit: Number.MAX_SAFE_INTEGER, excludeDays,
    })
    const products = new Map<string, repo.ProductRow>()
    const suggestions: typeof ranked = []
    for (let from = 0; from < ranked.length && suggestions.length < limit; from += CANDIDATE_PAGE) {
      const page = ranked.slice(from, from + CANDIDATE_PAGE)
      const wanted = new Set(page.flatMap((c) => [c.item, ...(c.reason.kind === 'together' || c.reason.kind === 'similar' ? [c.reason.with] : [])]))
      for (const [id, row] of await repo.productsByIds(db, [...wanted].filter((id) => !products.has(id)))) products.set(id, row)
      for (const c of page) {
        const p = products.get(c.item)
        if (p && p.status === 'active' && (!input.pointsOnly || p.points_eligible === 1)) suggestions.push(c)
        if (suggestions.length === limit) break
      }
    }
    const reasonOf = (r: Reason): RecommendedProduct['reason'] => {
      if (r.kind === 'repeat' || r.kind === 'popular') return r
      const p = products.get(r.with)
      return { kind: r.kind, productId: r.with, sku: p?.sku ?? '', name: p?.name ?? r.with }
    }
    return {
      memberId, model: modelRow ? modelOf(modelRow) : null, asOf, excludeDays,
      items: suggestions.map((s) => {
        const p = products.get(s.item)!
        return {
          productId: p.id, sku: p.sku, name: p.name, category: p.category, listPrice: p.list_price, memberPrice: p.member_price,
          pointsEligible: p.points_eligible === 1, soldByWeight: p.sold_by_weight === 1, score: s.score, reason: reasonOf(s.reason),
        }
      }),
    }
  }

  return { build, latest, forMember }
}

export type RecommendationsService = ReturnType<typeof createRecommendationsService>
