import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { nextReceiptNo } from '../../../../test/receipts.js'

// The till's lookup reads the member's record and profile by the lookup's key in one read, in place
// of its plain find (issue 12 §9: no slower than without it); whichever key finds the member, the
// profile is that member's.

const context = useTestContext()
let t: TestContext
let tagId: string
beforeAll(async () => {
  t = await context()
  await t.given.product({ sku: 'DIAPER', department: '母婴', category: '纸尿裤', listPrice: 8000 })
  tagId = (await t.services.tags.create(t.actors.hq_marketing, { name: '熟客', kind: 'manual', color: 'gold' })).id
})

const buy = (memberId: string, businessAt: string) =>
  t.services.receipts.postSale(t.actors.hq_admin, {
    receiptNo: nextReceiptNo(), businessAt, member: { id: memberId }, lines: [{ sku: 'DIAPER', quantity: 1, unitPrice: 8000, amount: 8000 }],
    tenders: [{ kind: 'cash', amount: 8000 }], total: 8000, storeId: t.stores.a,
  })

const NO_PROFILE = { tags: [], rfmClass: null, lifecycle: null, mainDepartment: null, asOf: null }

describe("the till's lookup profile", () => {
  it('is the member\'s whichever key finds them, and their member_insight row and active tags as read by id', async () => {
    const m = await t.given.member({ phone: '13912340001', idNumber: '110105198001010016', email: 'regular@example.com', externalCode: 'POS-0001' })
    const other = await t.given.member({ phone: '13912340002' })
    await buy(m.id, '2026-02-10T03:00:00.000Z')
    await buy(m.id, '2026-02-27T03:00:00.000Z')
    await buy(other.id, '2026-02-27T03:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    await t.services.tags.attach(t.actors.service_agent, m.id, { tagId })

    const byId = await t.services.profiles.lookupProfile({ field: 'id', value: m.id })
    expect(byId).toEqual({
      member: expect.objectContaining({ id: m.id, card_no: m.cardNo, status: 'active' }),
      profile: { tags: [{ id: tagId, name: '熟客', color: 'gold' }], rfmClass: expect.any(String), lifecycle: expect.any(String), mainDepartment: '母婴', asOf: '2026-03-02' },
    })
    for (const key of [{ phone: '139 1234 0001' }, { cardNo: m.cardNo }, { idNumber: '110105198001010016' }, { email: 'Regular@example.com' }, { externalCode: 'POS-0001' }]) {
      const found = await t.services.members.lookup(t.actors.cashier, key)
      expect(found.id).toBe(m.id)
      expect(found.profile).toEqual(byId!.profile)
    }
    // The other member's profile is theirs: no tag of m's.
    expect((await t.services.members.lookup(t.actors.cashier, { phone: '13912340002' })).profile).toMatchObject({ tags: [], mainDepartment: '母婴' })
  })

  it('is empty for a member the refresh has not reached, and a key that finds nobody reads none', async () => {
    const fresh = await t.given.member()
    expect((await t.services.members.lookup(t.actors.cashier, { cardNo: fresh.cardNo })).profile).toEqual(NO_PROFILE)
    expect(await t.services.profiles.lookupProfile({ field: 'phone_bidx', value: 'no-such-index' })).toBeNull()
    await expect(t.services.members.lookup(t.actors.cashier, { phone: '13912349999' })).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
  })

  it("of a merged record's key is the survivor's, never the merged record's", async () => {
    const survivor = await t.given.member()
    const merged = await t.given.member()
    await buy(merged.id, '2026-02-20T03:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    await t.services.tags.attach(t.actors.service_agent, merged.id, { tagId })
    await t.services.members.merge(t.actors.hq_admin, survivor.id, merged.id, '同一人')
    // The reader gives the merged record as it is (with the tag it held); the lookup goes on to the survivor.
    expect(await t.services.profiles.lookupProfile({ field: 'card_no', value: merged.cardNo })).toMatchObject({ member: { id: merged.id, status: 'merged', merged_into_id: survivor.id } })
    const found = await t.services.members.lookup(t.actors.cashier, { cardNo: merged.cardNo })
    expect(found.id).toBe(survivor.id)
    expect(found.profile).toEqual((await t.services.profiles.lookupProfile({ field: 'id', value: survivor.id }))!.profile)
  })

  it('of an erased record is none, even if a key still named it', async () => {
    const m = await t.given.member()
    await buy(m.id, '2026-02-20T03:00:00.000Z')
    await t.services.insight.refresh({ full: true })
    await t.services.tags.attach(t.actors.service_agent, m.id, { tagId })
    // Erasure clears the keys; a record left erased with its card number must still tell nothing.
    await t.services.db.updateTable('members').set({ status: 'erased' }).where('id', '=', m.id).execute()
    expect(await t.services.profiles.lookupProfile({ field: 'card_no', value: m.cardNo })).toMatchObject({ member: { id: m.id, status: 'erased' } })
    // A lookup that finds nobody counts as a miss, as without the profile.
    const misses = async () => (await t.services.db.selectFrom('member_lookup_counts').select('misses')
      .where('actor_key', '=', `staff:${(t.actors.cashier as { userId: string }).userId}`).execute()).reduce((a, r) => a + Number(r.misses), 0)
    const before = await misses()
    await expect(t.services.members.lookup(t.actors.cashier, { cardNo: m.cardNo })).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' })
    expect(await misses()).toBe(before + 1)
  })

  it('is not read for a malformed key, refused after the meter as without it', async () => {
    await expect(t.services.members.lookup(t.actors.cashier, { phone: '12345' })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(t.services.members.lookup(t.actors.cashier, {})).rejects.toMatchObject({ code: 'LOOKUP_NEEDS_ONE_KEY' })
  })
})
