import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import type { Condition } from '../conditions/condition.js'

// Segments through the service on a migrated database: store A has four women and a man, store
// B two women. HQ sees the chain, a store manager their store.
const getContext = useTestContext()
let t: TestContext
const women: string[] = []
const womenB: string[] = []

const female: Condition = { field: 'gender', op: 'in', value: ['female'] }

beforeAll(async () => {
  t = await getContext()
  for (let i = 0; i < 4; i++) women.push((await t.given.member({ gender: 'female', registrationStoreId: t.stores.a })).id)
  await t.given.member({ gender: 'male', registrationStoreId: t.stores.a })
  for (let i = 0; i < 2; i++) womenB.push((await t.given.member({ gender: 'female', by: t.actors.cashierB })).id)
})

describe('segments', () => {
  it('counts a definition live: HQ the chain, a store manager their store', async () => {
    const hq = await t.services.segments.count(t.actors.analyst, female)
    expect(hq).toEqual({ count: 6, asOf: '2026-03-02' })
    expect((await t.services.segments.count(t.actors.store_manager, female)).count).toBe(4)
    expect((await t.services.segments.count(t.actors.managerB, female)).count).toBe(2)
    expect((await t.services.segments.count(t.actors.analyst, { not: female })).count).toBe(1)
  })

  it('refuses a bad definition or an unknown id, naming the field', async () => {
    await expect(t.services.segments.count(t.actors.analyst, { all: [female, { field: 'gender', op: 'like', value: ['f'] }] }))
      .rejects.toMatchObject({ code: 'INSIGHT_CONDITION_INVALID', status: 422, details: [{ field: 'definition.all[1].op' }] })
    await expect(t.services.segments.count(t.actors.analyst, { all: [female, { field: 'tag', op: 'has', value: 'tag_nope' }] }))
      .rejects.toMatchObject({ code: 'INSIGHT_CONDITION_INVALID', details: [{ field: 'definition.all[1].value', reason: 'unknown tag "tag_nope"' }] })
    await expect(t.services.segments.create(t.actors.analyst, { name: '', definition: { field: 'shopped_at', op: 'in', value: ['sto_x'], days: 7 } }))
      .rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'name' }] })
    await expect(t.services.segments.create(t.actors.analyst, { name: 'x', definition: { field: 'shopped_at', op: 'in', value: ['sto_x'], days: 7 } }))
      .rejects.toMatchObject({ code: 'INSIGHT_CONDITION_INVALID', details: [{ field: 'definition.value[0]', reason: 'unknown store "sto_x"' }] })
  })

  it('previews masked members a page at a time', async () => {
    const first = await t.services.segments.preview(t.actors.analyst, female, { limit: 4 })
    expect(first.items).toHaveLength(4)
    expect(first.nextCursor).toBe(first.items[3]!.id)
    expect(first.items[0]).toMatchObject({ cardNo: expect.any(String), name: expect.stringContaining('*'), phone: expect.stringContaining('*'), gender: 'female', spendW: 0 })
    const second = await t.services.segments.preview(t.actors.analyst, female, { limit: 4, cursor: first.nextCursor! })
    expect(second.items).toHaveLength(2)
    expect(second.nextCursor).toBeNull()
    expect([...first.items, ...second.items].map((m) => m.id).sort()).toEqual([...women, ...womenB].sort())
    const store = await t.services.segments.preview(t.actors.store_manager, female)
    expect(store.items.map((m) => m.id).sort()).toEqual([...women].sort())
    expect(store.items[0]).toMatchObject({ storeName: '上海浦东店', storeCode: 'SHA01' })
  })

  it("keeps a store manager's segment to their store; HQ sees every segment", async () => {
    const mine = await t.services.segments.create(t.actors.store_manager, { name: '本店女性', definition: female })
    expect(mine).toMatchObject({ storeId: t.stores.a, status: 'active', summaryZh: '性别是女', summaryEn: 'gender is female', snapshot: null })
    expect((await t.services.segments.countSegment(t.actors.store_manager, mine.id)).count).toBe(4)
    // HQ counts a store's segment over that store's members
    expect((await t.services.segments.countSegment(t.actors.hq_marketing, mine.id)).count).toBe(4)
    await expect(t.services.segments.get(t.actors.managerB, mine.id)).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE', status: 403 })
    await expect(t.services.segments.get(t.actors.analyst, 'seg_nope')).rejects.toMatchObject({ code: 'SEGMENT_NOT_FOUND', status: 404 })

    const chain = await t.services.segments.create(t.actors.analyst, { name: '全部女性', description: '测试', definition: female })
    expect(chain.storeId).toBeNull()
    await expect(t.services.segments.get(t.actors.store_manager, chain.id)).rejects.toMatchObject({ status: 403 })
    expect((await t.services.segments.list(t.actors.analyst)).map((s) => s.id)).toEqual(expect.arrayContaining([mine.id, chain.id]))
    expect((await t.services.segments.list(t.actors.store_manager)).map((s) => s.id)).toEqual([mine.id])
    expect(await t.services.segments.list(t.actors.managerB)).toEqual([])
    await expect(t.services.segments.create(t.actors.cashier, { name: 'x', definition: female })).rejects.toMatchObject({ status: 403 })

    const renamed = await t.services.segments.update(t.actors.store_manager, mine.id, { name: '本店女顾客', definition: { all: [female, { field: 'spend_w', op: 'gte', value: 0 }] } })
    expect(renamed).toMatchObject({ name: '本店女顾客', summaryZh: '性别是女 且 窗口消费额至少0元' })
    const archived = await t.services.segments.archive(t.actors.store_manager, mine.id)
    expect(archived.status).toBe('archived')
    expect(await t.services.segments.list(t.actors.store_manager)).toEqual([])
    const trail = await t.services.db.selectFrom('audit_log').select(['action', 'store_id']).where('entity_id', '=', mine.id).orderBy('at').execute()
    expect(trail.map((a) => a.action)).toEqual(['segment.create', 'segment.update', 'segment.archive'])
    expect(trail.every((a) => a.store_id === t.stores.a)).toBe(true)
  })

  it('freezes snapshots and compares who joined, left and stayed', async () => {
    const seg = await t.services.segments.create(t.actors.analyst, { name: '女性会员', definition: female, snapshot: true })
    const first = seg.snapshot!
    expect(first).toMatchObject({ segmentId: seg.id, asOf: '2026-03-02', memberCount: 6, definition: female })
    // one woman's profile changes, a new one registers
    await t.services.members.update(t.actors.hq_admin, women[0]!, { gender: 'male' })
    const newcomer = (await t.given.member({ gender: 'female', registrationStoreId: t.stores.a })).id
    t.clock.advance(24 * 3600_000)
    const second = await t.services.segments.snapshot(t.actors.analyst, seg.id)
    expect(second).toMatchObject({ asOf: '2026-03-03', memberCount: 6 })

    const joined = await t.services.segments.compare(t.actors.analyst, seg.id, { from: first.id, to: second.id })
    expect(joined).toMatchObject({ joined: 1, left: 1, stayed: 5, list: 'joined', nextCursor: null })
    expect(joined.items.map((m) => m.id)).toEqual([newcomer])
    const left = await t.services.segments.compare(t.actors.analyst, seg.id, { from: first.id, to: second.id, list: 'left' })
    expect(left.items.map((m) => m.id)).toEqual([women[0]])
    const stayed = await t.services.segments.compare(t.actors.analyst, seg.id, { from: first.id, to: second.id, list: 'stayed', limit: 3 })
    expect(stayed.items).toHaveLength(3)
    expect(stayed.nextCursor).toBe(stayed.items[2]!.id)

    // the snapshot keeps its list and definition when the segment changes
    await t.services.segments.update(t.actors.analyst, seg.id, { definition: { field: 'gender', op: 'in', value: ['male'] } })
    const snaps = await t.services.segments.snapshots(t.actors.analyst, seg.id)
    expect(snaps.map((s) => s.id)).toEqual([second.id, first.id])
    expect(snaps[1]!.definition).toEqual(female)
    const page = await t.services.segments.snapshotMembers(t.actors.analyst, seg.id, first.id)
    expect(page.items.map((m) => m.id)).toContain(women[0])
    await expect(t.services.segments.compare(t.actors.analyst, seg.id, { from: first.id, to: 'snp_nope' }))
      .rejects.toMatchObject({ code: 'SEGMENT_SNAPSHOT_NOT_FOUND', status: 404, details: [{ field: 'to' }] })
    expect((await t.services.segments.get(t.actors.analyst, seg.id)).snapshots).toBe(2)
    // put the chain back as the other tests expect it
    await t.services.members.update(t.actors.hq_admin, women[0]!, { gender: 'female' })
    await t.services.members.update(t.actors.hq_admin, newcomer, { gender: 'male' })
  })

  it('exports masked members for HQ only, audited', async () => {
    const seg = await t.services.segments.create(t.actors.analyst, { name: '门店B女性', definition: { all: [female, { field: 'registration_store', op: 'in', value: [t.stores.b] }] } })
    const rows = []
    for await (const r of await t.services.segments.exportRows(t.actors.analyst, seg.id, { format: 'csv' })) rows.push(r)
    expect(rows.map((r) => r.id).sort()).toEqual([...womenB].sort())
    expect(rows[0]).toMatchObject({ phone: expect.stringContaining('*'), storeName: '北京朝阳店' })
    const entry = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'segment.export').where('entity_id', '=', seg.id).executeTakeFirstOrThrow()
    expect(JSON.parse(entry.changes!)).toEqual({ format: 'CSV', asOf: '2026-03-03', snapshot: false })
    await expect(t.services.segments.exportRows(t.actors.store_manager, seg.id, { format: 'csv' })).rejects.toMatchObject({ status: 403 })
  })

  it('issues a coupon template to a segment once per member, however often it is run', async () => {
    const template = await t.given.couponTemplate({ name: '女神节券' })
    const seg = await t.services.segments.create(t.actors.hq_marketing, { name: '女神节', definition: female, snapshot: true })
    const first = await t.services.segments.issueCoupons(t.actors.hq_marketing, seg.id, { templateId: template.id })
    expect(first).toMatchObject({ templateId: template.id, issueKey: `segment:${seg.id}`, total: 6, issued: 6, skipped: 0, failed: 0 })
    expect(first.runs).toHaveLength(1)
    const again = await t.services.segments.issueCoupons(t.actors.hq_marketing, seg.id, { templateId: template.id })
    expect(again).toMatchObject({ total: 6, issued: 0, skipped: 6 })
    const fromSnapshot = await t.services.segments.issueCoupons(t.actors.hq_marketing, seg.id, { templateId: template.id, snapshotId: seg.snapshot!.id })
    expect(fromSnapshot).toMatchObject({ issued: 0, skipped: 6 })
    const newcomer = (await t.given.member({ gender: 'female', by: t.actors.cashierB })).id
    const later = await t.services.segments.issueCoupons(t.actors.hq_marketing, seg.id, { templateId: template.id })
    expect(later).toMatchObject({ total: 7, issued: 1, skipped: 6 })
    const held = await t.services.db.selectFrom('coupons').select('member_id').where('template_id', '=', template.id).execute()
    expect(held.map((c) => c.member_id).sort()).toEqual([...women, ...womenB, newcomer].sort())

    await expect(t.services.segments.issueCoupons(t.actors.analyst, seg.id, { templateId: template.id })).rejects.toMatchObject({ status: 403 })
    await expect(t.services.segments.issueCoupons(t.actors.hq_marketing, seg.id, { templateId: 'ctp_nope' })).rejects.toMatchObject({ code: 'COUPON_TEMPLATE_NOT_FOUND', status: 404 })
    // a store manager issues to their store's segment
    const store = await t.services.segments.create(t.actors.store_manager, { name: '本店女神节', definition: female })
    const storeRun = await t.services.segments.issueCoupons(t.actors.store_manager, store.id, { templateId: (await t.given.couponTemplate({ name: '本店券' })).id })
    expect(storeRun).toMatchObject({ total: 4, issued: 4 })
  })
})
