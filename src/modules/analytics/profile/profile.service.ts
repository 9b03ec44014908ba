import type { Db } from '../../../db/database.js'
import { assertCan, type Actor } from '../../../shared/actor.js'
import { notFound } from '../../../shared/errors.js'
import type { LookupProfileReader } from '../../members/index.js'
import { storeNamesByIds } from '../../org/index.js'
import { parseState, STATE_KEY, windowDaysOf, windowOf, SETTINGS_KEY } from '../insight/insight-rules.js'
import type { Level, LifecycleStage, Quadrant, RfmClass } from '../insight/insight.table.js'
import type { MemberTag, TagsService } from '../tags/tags.service.js'
import * as repo from './profile.repository.js'

export interface MemberProfile {
  memberId: string
  /** the date the figures and classes are as of; null before the member's first refresh */
  asOf: string | null
  window: { from: string; to: string } | null
  tags: MemberTag[]
  rfm: { class: RfmClass | null; r: number | null; f: number | null; m: number | null }
  quadrant: Quadrant | null
  lifecycle: LifecycleStage | null
  frequencyClass: Level | null
  amountClass: Level | null
  mainStore: { id: string; name: string | null } | null
  mainDepartment: string | null
  mainCategory: string | null
  /** the five departments with the most spend in the window, with their share of it in ‰ */
  departmentShares: Array<{ department: string; amount: number; sharePm: number }>
  figures: {
    receipts: number
    /** fen, net of returns, in the window */
    spend: number
    avgTicket: number
    recencyDays: number | null
    intervalDays: number | null
    storesVisited: number
    promoSharePm: number | null
    pointsEarned: number
    pointsRedeemed: number
    couponsUsed: number
    receiptsTotal: number
    spendTotal: number
    firstPurchaseAt: string | null
    lastPurchaseAt: string | null
  } | null
  /** the last lifetime-value fit's predictions (null before a fit covers the member) */
  predictions: {
    /** probability of being alive (1 − churn risk), ‰ */
    pAlivePm: number
    expectedPurchases30: number
    expectedPurchases90: number
    expectedPurchases365: number
    /** fen: the expected value of a purchase, and the CLV over the fit's horizon (null when the value model was not fitted) */
    expectedValue: number | null
    clv: number | null
    fitId: string
  } | null
}

const TOP_DEPARTMENTS = 5

/** Each amount's share of the total in ‰, rounded (the top departments of a member's window spend). */
export const sharesPm = (amounts: number[], total: number): number[] => {
  if (total <= 0) return amounts.map(() => 0)
  return amounts.map((a) => Math.round((a * 1000) / total))
}

export const createProfileService = ({ db, tags }: { db: Db; tags: TagsService }) => {
  const profileOf = async (actor: Actor, memberId: string): Promise<MemberProfile> => {
    // As the member page: anyone who may read a member (a clerk serves members of every store).
    assertCan(actor, 'members.read')
    const member = await repo.findMemberStatus(db, memberId)
    if (!member || member.status === 'erased' || member.status === 'merged') throw notFound('MEMBER_NOT_FOUND', [], 'no such member')
    const [row, held, stateText, settingsText] = await Promise.all([
      repo.findInsightRow(db, memberId), tags.tagsOfMember(db, memberId), repo.readMetaValue(db, STATE_KEY), repo.readMetaValue(db, SETTINGS_KEY),
    ])
    const base: MemberProfile = {
      memberId, asOf: null, window: null, tags: held, rfm: { class: null, r: null, f: null, m: null }, quadrant: null, lifecycle: null,
      frequencyClass: null, amountClass: null, mainStore: null, mainDepartment: null, mainCategory: null, departmentShares: [], figures: null, predictions: null,
    }
    if (!row) return base
    const windowDays = parseState(stateText).windowDays ?? windowDaysOf(settingsText)
    const window = windowOf(row.as_of, windowDays)
    const [byDepartment, stores] = await Promise.all([
      repo.spendByDepartment(db, memberId, window.from, window.to),
      storeNamesByIds(db, [row.main_store_id]),
    ])
    const total = byDepartment.reduce((s, d) => s + d.amount, 0)
    const top = byDepartment.filter((d) => d.department !== '' && d.amount > 0).slice(0, TOP_DEPARTMENTS)
    const shares = sharesPm(top.map((d) => d.amount), total)
    return {
      ...base,
      asOf: row.as_of,
      window,
      rfm: { class: row.rfm_class, r: row.r_score, f: row.f_score, m: row.m_score },
      quadrant: row.quadrant,
      lifecycle: row.lifecycle,
      frequencyClass: row.frequency_class,
      amountClass: row.amount_class,
      mainStore: row.main_store_id ? { id: row.main_store_id, name: stores.get(row.main_store_id)?.name ?? null } : null,
      mainDepartment: row.main_department,
      mainCategory: row.main_category,
      departmentShares: top.map((d, i) => ({ department: d.department, amount: d.amount, sharePm: shares[i]! })),
      figures: {
        receipts: Number(row.receipts_w), spend: Number(row.spend_w), avgTicket: Number(row.avg_ticket_w),
        recencyDays: row.recency_days === null ? null : Number(row.recency_days),
        intervalDays: row.interval_days === null ? null : Math.round(Number(row.interval_days) * 10) / 10,
        storesVisited: Number(row.stores_visited_w), promoSharePm: row.promo_share_pm === null ? null : Number(row.promo_share_pm),
        pointsEarned: Number(row.points_earned_w), pointsRedeemed: Number(row.points_redeemed_w), couponsUsed: Number(row.coupons_used_w),
        receiptsTotal: Number(row.receipts_total), spendTotal: Number(row.spend_total),
        firstPurchaseAt: row.first_purchase_at, lastPurchaseAt: row.last_purchase_at,
      },
      predictions: row.clv_fit_id === null || row.p_alive_pm === null ? null : {
        pAlivePm: Number(row.p_alive_pm),
        expectedPurchases30: Number(row.expected_purchases_30), expectedPurchases90: Number(row.expected_purchases_90), expectedPurchases365: Number(row.expected_purchases_365),
        expectedValue: row.expected_value === null ? null : Number(row.expected_value), clv: row.clv === null ? null : Number(row.clv), fitId: row.clv_fit_id,
      },
    }
  }

  /**
   * The record a till's lookup key names with its brief profile (members.lookup reads it in place of
   * its plain find): one indexed read. The record comes whatever its status; the lookup decides.
   */
  const lookupProfile: LookupProfileReader = async (key) => {
    const all = await repo.findLookupProfileRows(db, key)
    const first = all[0]
    if (first === undefined) return null
    const rows = all.filter((r) => r.id === first.id)
    const { rfm_class: rfmClass, lifecycle, main_department: mainDepartment, as_of: asOf, tag_id: _t, tag_name: _n, tag_color: _c, tag_added_at: _a, ...member } = first
    return {
      member,
      profile: {
        tags: rows.filter((r) => r.tag_id !== null && r.tag_name !== null).map((r) => ({ id: r.tag_id!, name: r.tag_name!, color: r.tag_color })),
        rfmClass, lifecycle, mainDepartment, asOf,
      },
    }
  }

  return { profileOf, lookupProfile }
}

export type ProfileService = ReturnType<typeof createProfileService>
