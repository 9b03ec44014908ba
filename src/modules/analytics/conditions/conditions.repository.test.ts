import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import type { MemberInsightTable } from '../insight/insight.table.js'
import type { Condition } from './condition.js'
import { parseCondition } from './conditions.js'
import { countMatching, matchingMembers, type CompileContext } from './conditions.repository.js'

// Each kind of leaf compiled and run against a small chain (clock 2026-03-02 10:00 Shanghai):
//   A  female, 35, store A, registered a year ago, SMS consent, 母婴 twice in 90 days (one receipt
//      with two 母婴 categories, another in January), gold with 500 points, a tag, holds a coupon,
//      shopped at store B yesterday
//   B  male, 16 today, store B, bought an 伊利 product at store A on 2026-02-25, used a coupon on 2026-02-20
//   C  no gender, no birthday, store A, no figures at all
//   D  female, frozen (still counted), store A, an expired coupon
//   E  erased: matches nothing, whatever its figures say
const getContext = useTestContext()

let t: TestContext
let ctx: CompileContext
const ids: Record<'A' | 'B' | 'C' | 'D' | 'E', string> = { A: '', B: '', C: '', D: '', E: '' }
let tagId = ''
let templateId = ''

const insight = (memberId: string, over: Partial<MemberInsightTable>): Insertable<MemberInsightTable> => ({
  member_id: memberId, as_of: '2026-03-02', registration_store_id: null, registered_at: '2026-03-02T02:00:00.000Z', gender: 'unknown', age_band: null,
  income_band: null, district: null, receipts_w: 0, spend_w: 0, avg_ticket_w: 0, receipts_total: 0, spend_total: 0, first_purchase_at: null, last_purchase_at: null,
  recency_days: null, interval_days: null, stores_visited_w: 0, main_store_id: null, main_department: null, main_category: null, promo_share_pm: null,
  points_earned_w: 0, points_redeemed_w: 0, coupons_used_w: 0, r_score: null, f_score: null, m_score: null, rfm_class: null, quadrant: null,
  frequency_class: null, amount_class: null, lifecycle: 'prospect', updated_at: '2026-03-02T02:00:00.000Z', ...over,
})

beforeAll(async () => {
  t = await getContext()
  const db = t.services.db
  ctx = { asOf: '2026-03-02', engine: t.services.engine, timezone: 'Asia/Shanghai' }
  const { a } = t.stores
  ids.A = (await t.given.member({ gender: 'female', birthday: '1990-05-01', registrationStoreId: a, registeredAt: '2025-03-01T00:00:00.000Z', consents: { sms: true } })).id
  ids.B = (await t.given.member({ gender: 'male', birthday: '2010-03-02', by: t.actors.cashierB, consents: { sms: false } })).id
  ids.C = (await t.given.member({ registrationStoreId: a })).id
  ids.D = (await t.given.member({ gender: 'female', registrationStoreId: a })).id
  ids.E = (await t.given.member({ gender: 'female', registrationStoreId: a })).id

  await db.insertInto('member_insight').values([
    insight(ids.A, { spend_w: 200_000, receipts_w: 5, recency_days: 3, interval_days: 7.5, rfm_class: 'important_value', lifecycle: 'active', age_band: '35-44', main_store_id: a, main_category: '奶粉' }),
    insight(ids.B, { spend_w: 5_000, receipts_w: 1, recency_days: 80, interval_days: 30, rfm_class: 'general_retain', lifecycle: 'dormant' }),
    insight(ids.D, {}),
    insight(ids.E, { spend_w: 999_999, rfm_class: 'important_value', lifecycle: 'active', age_band: '35-44', recency_days: 1 }),
  ]).execute()
  const day = (member_id: string, d: string, department: string, category: string, receipts = 1) => ({ member_id, day: d, department, category, receipts, amount: 10_000 })
  await db.insertInto('member_category_days').values([
    day(ids.A, '2026-02-20', '母婴', '奶粉'), day(ids.A, '2026-02-20', '母婴', '纸尿裤'), day(ids.A, '2026-01-10', '母婴', '奶粉'),
    day(ids.B, '2025-11-01', '生鲜', '蔬菜'),
    day(ids.E, '2026-02-25', '母婴', '奶粉', 9),
  ]).execute()

  await t.given.product({ sku: 'SKU-YL', brand: '伊利', department: '乳品', category: '牛奶' })
  await t.given.receipt({ member: { id: ids.B }, lines: [['SKU-YL', 1, 1_000]], businessAt: '2026-02-25T02:00:00.000Z' })
  await t.given.receipt({ member: { id: ids.A }, lines: [['SKU-T', 1, 1_000]], businessAt: '2026-03-01T02:00:00.000Z', by: t.actors.cashierB })
  await db.updateTable('points_accounts').set({ tier_code: 'gold', balance: 500 }).where('member_id', '=', ids.A).execute()
  await db.updateTable('points_accounts').set({ tier_code: 'silver', balance: 0 }).where('member_id', '=', ids.B).execute()

  tagId = 'tag_01jxq3m5v0aaaaaaaaaaaaaaaa'
  await db.insertInto('tags').values({ id: tagId, name: '母婴人群', description: null, kind: 'manual', rule: null, color: null, status: 'active', created_by: null, created_at: '2026-03-01T00:00:00.000Z', updated_at: '2026-03-01T00:00:00.000Z' }).execute()
  await db.insertInto('member_tags').values({ member_id: ids.A, tag_id: tagId, source: 'manual', reason: 'test', added_at: '2026-03-01T00:00:00.000Z', added_by: null }).execute()

  const template = await t.given.couponTemplate()
  templateId = template.id
  await t.given.coupon({ templateId, memberId: ids.A })
  const used = await t.given.coupon({ templateId, memberId: ids.B, by: t.actors.hq_marketing })
  await db.updateTable('coupons').set({ status: 'used', used_at: '2026-02-20T02:00:00.000Z' }).where('id', '=', used.id).execute()
  const expired = await t.given.coupon({ templateId, memberId: ids.D, by: t.actors.hq_marketing })
  await db.updateTable('coupons').set({ valid_to: '2026-02-01' }).where('id', '=', expired.id).execute()
  await db.updateTable('members').set({ status: 'frozen' }).where('id', '=', ids.D).execute()
  await db.updateTable('members').set({ status: 'erased' }).where('id', '=', ids.E).execute()
})

const names = (rows: Array<{ id: string }>) => Object.entries(ids).filter(([, id]) => rows.some((r) => r.id === id)).map(([k]) => k).join('')
const run = async (input: unknown, storeIds?: string[]) => {
  const c = parseCondition(input)
  const rows = await matchingMembers(t.services.db, c, ctx, storeIds).select('m.id').execute()
  // only this file's members: other tests' data never shares the database, but be exact anyway
  const mine = rows.filter((r) => Object.values(ids).includes(r.id))
  expect(await countMatching(t.services.db, c, ctx, storeIds)).toBe(rows.length)
  return names(mine)
}

describe('compiled conditions', () => {
  it.each<[string, Condition | (() => Condition), string]>([
    ['gender in', { field: 'gender', op: 'in', value: ['female'] }, 'AD'],
    ['gender not in', { field: 'gender', op: 'not_in', value: ['female'] }, 'BC'],
    ['age at least 16 (B turns 16 today)', { field: 'age', op: 'gte', value: 16 }, 'AB'],
    ['age below 16', { field: 'age', op: 'lt', value: 16 }, ''],
    ['age between', { field: 'age', op: 'between', value: [30, 40] }, 'A'],
    ['age exactly 16', { field: 'age', op: 'eq', value: 16 }, 'B'],
    ['NOT age ≥ 18 includes those without a birthday', { not: { field: 'age', op: 'gte', value: 18 } }, 'BCD'],
    ['registered at least 365 days', { field: 'registered_days', op: 'gte', value: 365 }, 'A'],
    ['registered today', { field: 'registered_days', op: 'lte', value: 0 }, 'BCD'],
    ['spend at least 1,000 yuan', { field: 'spend_w', op: 'gte', value: 100_000 }, 'A'],
    ['spend at most 50 yuan (no figures = 0)', { field: 'spend_w', op: 'lte', value: 5_000 }, 'BCD'],
    ['recency within 30 days', { field: 'recency_days', op: 'lte', value: 30 }, 'A'],
    ['NOT recency within 30 days', { not: { field: 'recency_days', op: 'lte', value: 30 } }, 'BCD'],
    ['interval at most 7.5 days', { field: 'interval_days', op: 'lte', value: 7.5 }, 'A'],
    ['points balance at least 100', { field: 'points_balance', op: 'gte', value: 100 }, 'A'],
    ['points balance 0 (no account = 0)', { field: 'points_balance', op: 'eq', value: 0 }, 'BCD'],
    ['RFM class', { field: 'rfm_class', op: 'in', value: ['important_value'] }, 'A'],
    ['lifecycle not active', { field: 'lifecycle', op: 'not_in', value: ['active'] }, 'BCD'],
    ['age band', { field: 'age_band', op: 'in', value: ['35-44'] }, 'A'],
    ['registration store', () => ({ field: 'registration_store', op: 'in', value: [t.stores.b] }), 'B'],
    ['main store', () => ({ field: 'main_store', op: 'in', value: [t.stores.a] }), 'A'],
    ['tier', { field: 'tier', op: 'in', value: ['gold'] }, 'A'],
    ['tier not', { field: 'tier', op: 'not_in', value: ['gold'] }, 'BCD'],
    ['SMS consent', { field: 'consent', op: 'granted', value: 'sms' }, 'A'],
    ['no SMS consent', { field: 'consent', op: 'not_granted', value: 'sms' }, 'BCD'],
    ['bought in a department within 90 days', { field: 'bought', op: 'department', value: ['母婴'], days: 90 }, 'A'],
    ['bought in a department twice (one receipt in two categories counts once)', { field: 'bought', op: 'department', value: ['母婴'], days: 90, min: 2 }, 'A'],
    ['bought in a department three times', { field: 'bought', op: 'department', value: ['母婴'], days: 90, min: 3 }, ''],
    ['bought in a category twice', { field: 'bought', op: 'category', value: ['奶粉'], days: 90, min: 2 }, 'A'],
    ['bought twice within 30 days', { field: 'bought', op: 'department', value: ['母婴'], days: 30, min: 2 }, ''],
    ['bought 生鲜 within 90 days (it was 121 days ago)', { field: 'bought', op: 'department', value: ['生鲜'], days: 90 }, ''],
    ['bought 生鲜 within 200 days', { field: 'bought', op: 'department', value: ['生鲜'], days: 200 }, 'B'],
    ['bought a brand', { field: 'bought', op: 'brand', value: ['伊利'], days: 30 }, 'B'],
    ['bought a SKU within 7 days (the window takes 2026-02-24 on)', { field: 'bought', op: 'sku', value: ['SKU-YL'], days: 7 }, 'B'],
    ['bought a SKU within 5 days', { field: 'bought', op: 'sku', value: ['SKU-YL'], days: 5 }, ''],
    ['bought a brand twice', { field: 'bought', op: 'brand', value: ['伊利'], days: 30, min: 2 }, ''],
    ['shopped at store B', () => ({ field: 'shopped_at', op: 'in', value: [t.stores.b], days: 7 }), 'A'],
    ['shopped at store A', () => ({ field: 'shopped_at', op: 'in', value: [t.stores.a], days: 30 }), 'B'],
    ['has a tag', () => ({ field: 'tag', op: 'has', value: tagId }), 'A'],
    ['lacks a tag', () => ({ field: 'tag', op: 'lacks', value: tagId }), 'BCD'],
    ['holds a coupon (an expired one does not count)', { field: 'coupon', op: 'holds' }, 'A'],
    ['holds a coupon of a template', () => ({ field: 'coupon', op: 'holds', value: templateId }), 'A'],
    ['used a coupon within 30 days', { field: 'coupon', op: 'used', days: 30 }, 'B'],
    ['used a coupon within 5 days', { field: 'coupon', op: 'used', days: 5 }, ''],
    ['a nested tree', () => ({
      all: [
        { field: 'gender', op: 'in', value: ['female'] },
        { any: [{ field: 'bought', op: 'department', value: ['母婴'], days: 90, min: 2 }, { field: 'tag', op: 'has', value: tagId }] },
        { not: { field: 'consent', op: 'granted', value: 'email' } },
      ],
    }), 'A'],
    ['OR across tables', () => ({ any: [{ field: 'tier', op: 'in', value: ['silver'] }, { field: 'coupon', op: 'holds' }] }), 'AB'],
  ])('%s', async (_, condition, expected) => {
    expect(await run(typeof condition === 'function' ? condition() : condition)).toBe(expected)
  })

  it('limits to registration stores', async () => {
    expect(await run({ field: 'gender', op: 'in', value: ['female', 'male', 'unknown'] }, [t.stores.a])).toBe('ACD')
    expect(await run({ field: 'gender', op: 'in', value: ['female', 'male', 'unknown'] }, [t.stores.b])).toBe('B')
    expect(await run({ field: 'gender', op: 'in', value: ['female'] }, [])).toBe('')
  })
})
