import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { nextReceiptNo, sale } from '../../../test/receipts.js'
import { tamper } from '../../../test/tamper.js'
import { seedDemoRebates } from '../../demo/demo-rebates.js'
import type { TemplateInput } from './coupon-rules.js'
import type { ProgrammeInput } from './rebate-rules.js'
import { createRebatesService } from './rebates.service.js'

// A pool of 10 on PostgreSQL, so the concurrent runs below really overlap.
const context = useTestContext({ poolSize: 10 })
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const balanceOf = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance
const expectSound = async () => {
  expect(await t.services.rebates.verify()).toEqual([])
  expect(await t.services.coupons.verify()).toEqual([])
  expect(await t.services.loyalty.verify()).toEqual([])
}

/** A sale of `fen` to a member on a local day (10:00 in Shanghai). */
const buy = async (memberId: string, day: string, fen: number) =>
  (await t.services.receipts.postSale(t.actors.cashier, sale({ member: { id: memberId }, lines: [['SKU-RB', 1, fen]], businessAt: `${day}T02:00:00.000Z` }))).result

/** Returns `quantity` of the sale's only line (all of it when omitted). */
const giveBack = async (receiptNo: string, day: string, quantity?: number) =>
  (await t.services.receipts.postReturn(t.actors.store_manager, { reason: 'quality',
    receiptNo: nextReceiptNo('RT'), originalReceiptNo: receiptNo, businessAt: `${day}T03:00:00.000Z`,
    ...(quantity !== undefined ? { lines: [{ originalLineNo: 1, quantity }] } : {}),
  })).result

/** The coupon a rebate pays in: its value is the rebate's, so the template's own is a placeholder. */
const rebateCoupon: TemplateInput = { name: '返利券', kind: 'amount', value: 1000, minSpend: 0, validDays: 90 }
const template = async (input: { kind?: 'amount' | 'percent'; maxIssued?: number | null; status?: 'active' | 'archived' } = {}) => {
  const { kind = 'amount', ...rest } = input
  // A percent coupon takes 1 to 99 off; a rebate refuses it whatever its value.
  return (await t.given.couponTemplate({ ...rebateCoupon, kind, ...(kind === 'percent' ? { value: 10 } : {}), ...rest })).id
}

const spendBrackets = [
  { min: 100_000, rateBp: 100, fixed: 0 },
  { min: 500_000, rateBp: 200, fixed: 1_000 },
]
const programme = (month: string, input: Partial<ProgrammeInput> = {}): ProgrammeInput => ({
  name: `返利 ${month}`, periodFrom: `${month}-01`, periodTo: `${month}-28`, basis: 'spend', brackets: spendBrackets, reward: 'points', ...input,
})
const create = (input: ProgrammeInput) => t.services.rebates.create(t.actors.hq_marketing, input)
const runsAudited = async (id: string) =>
  (await t.services.db.selectFrom('audit_log').select('id').where('entity_id', '=', id).where('action', '=', 'rebate.run').execute()).length

/** `n` members each with one sale of `fen` on `day`. */
const buyers = async (n: number, day: string, fen: number) => {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const m = await t.given.member()
    await buy(m.id, day, fen + i * 1_000)
    out.push(m.id)
  }
  return out
}

describe('preview', () => {
  it('gives each active member their basis and rebate in the period, sales less returns, with totals, and writes nothing', async () => {
    const [a, b, c, d, e] = [await t.given.member(), await t.given.member(), await t.given.member(), await t.given.member(), await t.given.member()]
    const saleA = await buy(a.id, '2025-06-10', 300_000)
    const returnA = await giveBack(saleA.receiptNo, '2025-06-15')
    const saleA2 = await buy(a.id, '2025-06-11', 250_000)
    await buy(b.id, '2025-06-12', 80_000) // below the first bracket
    await buy(b.id, '2025-07-01', 900_000) // after the period
    await buy(b.id, '2025-05-31', 900_000) // before it
    await buy(c.id, '2025-06-12', 600_000)
    await t.services.members.setFrozen(t.actors.hq_admin, c.id, true, '核查中')
    const saleD = await buy(d.id, '2025-06-20', 1_200_000)
    const db = tamper(t, 'tiers without the year of spending that earns them (that spending would count here)')
    await db.updateTable('points_accounts').set({ tier_code: 'gold' }).where('member_id', '=', d.id).execute()
    await db.updateTable('points_accounts').set({ tier_code: 'silver' }).where('member_id', '=', a.id).execute()
    const saleE = await buy(e.id, '2025-06-20', 400_000)
    await giveBack(saleE.receiptNo, '2025-06-21') // all of it: nothing left

    const p = await create(programme('2025-06', { tierRates: { gold: 300 } }))
    const preview = await t.services.rebates.preview(t.actors.hq_marketing, p.id)
    expect(preview.items.map((i) => [i.memberId, i.basis, i.tierCode, i.rebate, i.awarded])).toEqual([
      [d.id, 1_200_000, 'gold', 1_000 + 36_000, false], // fixed 1,000 of the second bracket, gold's 3% instead of 2%
      [a.id, 250_000, 'silver', 2_500, false], // silver has no rate of its own: the bracket's 1%
    ])
    expect(preview.items[0]).toMatchObject({ cardNo: d.cardNo, name: '王**' })
    expect(preview.totals).toEqual({ members: 2, basis: 1_450_000, rebate: 39_500, belowMinimum: 1, awarded: 0, awardedRebate: 0 })
    expect(preview.pointValueFen).toBe(1)

    // Points earned less the points returns reversed; a coupon's fen at 2 fen a point.
    await t.services.loyalty.updatePolicy(t.actors.hq_admin, { pointValueFen: 2 })
    try {
      const byPoints = await create(programme('2025-06', { basis: 'points', reward: 'coupon', couponTemplateId: await template(), brackets: [{ min: 1_000, rateBp: 1_000, fixed: 0 }] }))
      const pts = await t.services.rebates.preview(t.actors.analyst, byPoints.id)
      // A earned more on the second sale once silver (its first sale upgraded it).
      const pointsA = saleA.points - returnA.points + saleA2.points
      expect([saleD.points, returnA.points]).toEqual([12_000, 3_000])
      expect(pts.items.map((i) => [i.memberId, i.basis, i.rebate])).toEqual([[d.id, 12_000, 2_400], [a.id, pointsA, Math.floor((pointsA * 1_000 * 2) / 10_000)]])
      expect(pts.totals).toMatchObject({ members: 2, basis: 12_000 + pointsA, rebate: 2_400 + Math.floor((pointsA * 1_000 * 2) / 10_000) })
    } finally {
      await t.services.loyalty.updatePolicy(t.actors.hq_admin, { pointValueFen: 1 })
    }

    const paged = await t.services.rebates.preview(t.actors.hq_marketing, p.id, { offset: 1, limit: 1 })
    expect(paged.items.map((i) => i.memberId)).toEqual([a.id])
    expect(paged.totals.members).toBe(2)
    expect(await t.services.db.selectFrom('rebate_awards').select('member_id').where('programme_id', '=', p.id).execute()).toEqual([])
    expect((await t.services.rebates.get(t.actors.hq_marketing, p.id)).status).toBe('draft')
  })

  it('refuses roles without rewards.manage or rewards.reports', async () => {
    const p = await create(programme('2025-01'))
    await expect(t.services.rebates.preview(t.actors.cashier, p.id)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(t.services.rebates.list(t.actors.service_agent)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(t.services.rebates.create(t.actors.analyst, programme('2025-01'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(t.services.rebates.run(t.actors.store_manager, p.id)).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('programmes', () => {
  it('checks the coupon template: it must exist, give an amount and not be archived', async () => {
    const bad = async (templateId: string) => create(programme('2025-02', { reward: 'coupon', couponTemplateId: templateId }))
    await expect(bad('ctp_none')).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'couponTemplateId', reason: 'no such coupon template' }] })
    await expect(bad(await template({ kind: 'percent' }))).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'couponTemplateId' }] })
    await expect(bad(await template({ status: 'archived' }))).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'couponTemplateId' }] })
    await expect(create(programme('2025-02', { tierRates: { platinum: 100 } }))).rejects.toMatchObject({ details: [{ field: 'tierRates.platinum' }] })
  })

  it('edits and deletes a draft, audited; once run, neither', async () => {
    const p = await create(programme('2025-02'))
    const edited = await t.services.rebates.update(t.actors.hq_marketing, p.id, programme('2025-02', { name: '  新名称 ', minRebate: 50 }))
    expect(edited).toMatchObject({ name: '新名称', minRebate: 50, status: 'draft' })
    const audit = await t.services.db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', p.id).orderBy('at').execute()
    expect(audit.map((a) => a.action)).toEqual(['rebate.create', 'rebate.update'])
    expect(JSON.parse(audit[1]!.changes!)).toEqual({ name: { from: '返利 2025-02', to: '新名称' }, minRebate: { from: 0, to: 50 } })

    const gone = await create(programme('2025-02'))
    await t.services.rebates.remove(t.actors.hq_marketing, gone.id)
    await expect(t.services.rebates.get(t.actors.hq_marketing, gone.id)).rejects.toMatchObject({ code: 'REBATE_PROGRAMME_NOT_FOUND' })

    await t.services.rebates.run(t.actors.hq_marketing, p.id)
    await expect(t.services.rebates.update(t.actors.hq_marketing, p.id, programme('2025-02'))).rejects.toMatchObject({ code: 'REBATE_PROGRAMME_NOT_DRAFT' })
    await expect(t.services.rebates.remove(t.actors.hq_marketing, p.id)).rejects.toMatchObject({ code: 'REBATE_PROGRAMME_NOT_DRAFT' })
  })

  it('refuses to run before the period has ended', async () => {
    const p = await create({ ...programme('2026-02'), periodTo: '2026-03-02' })
    await expect(t.services.rebates.run(t.actors.hq_marketing, p.id)).rejects.toMatchObject({ code: 'REBATE_PERIOD_OPEN' })
    expect((await t.services.rebates.get(t.actors.hq_marketing, p.id)).status).toBe('draft')
  })

  it('seeds one demo draft over last year, once', async () => {
    const first = await seedDemoRebates(t.services, t.actors.system)
    const again = await seedDemoRebates(t.services, t.actors.system)
    expect(first.created).toBe(true)
    expect(again).toEqual({ created: false, id: first.id })
    expect(await t.services.rebates.get(t.actors.hq_admin, first.id)).toMatchObject({ name: '2025 年终返利', periodFrom: '2025-01-01', periodTo: '2025-12-31', status: 'draft', tierRates: { gold: 200, diamond: 300 } })
  })

  it('answers an unknown programme with 404 codes', async () => {
    await expect(t.services.rebates.preview(t.actors.hq_marketing, 'rbp_none')).rejects.toMatchObject({ code: 'REBATE_PROGRAMME_NOT_FOUND', status: 404 })
    await expect(t.services.rebates.run(t.actors.hq_marketing, 'rbp_none')).rejects.toMatchObject({ code: 'REBATE_PROGRAMME_NOT_FOUND' })
  })
})

describe('running', () => {
  it('credits each member their points once, audited with its totals; running again changes nothing', async () => {
    const [a, b] = await buyers(2, '2025-08-05', 200_000)
    const before = [await balanceOf(a!), await balanceOf(b!)]
    const p = await create(programme('2025-08'))
    const done = await t.services.rebates.run(t.actors.hq_marketing, p.id)
    expect(done).toMatchObject({ status: 'completed', membersRewarded: 2, totalRebate: 2_000 + 2_010, pointValueFen: 1 })
    expect([await balanceOf(a!), await balanceOf(b!)]).toEqual([before[0]! + 2_000, before[1]! + 2_010])
    const entries = await t.services.loyalty.entries(t.actors.hq_admin, a!)
    expect(entries.items[0]).toMatchObject({ kind: 'award', points: 2_000, reference: p.id, reason: p.name })
    expect(await runsAudited(p.id)).toBe(1)

    const again = await t.services.rebates.run(t.actors.hq_marketing, p.id)
    expect(again).toEqual(done)
    expect([await balanceOf(a!), await balanceOf(b!)]).toEqual([before[0]! + 2_000, before[1]! + 2_010])
    expect(await runsAudited(p.id)).toBe(1)
    const shown = await t.services.rebates.preview(t.actors.hq_marketing, p.id)
    expect(shown.totals).toEqual({ members: 2, basis: 401_000, rebate: 4_010, belowMinimum: 0, awarded: 2, awardedRebate: 4_010 })
    await expectSound()
  })

  it('issues one coupon of the rebate in fen per member, leaving out rebates below the minimum', async () => {
    const [a, b, small] = await buyers(3, '2025-09-05', 600_000)
    await tamper(t, 'back to the first tier, whatever these sales earned').updateTable('points_accounts').set({ tier_code: 'regular' }).where('member_id', 'in', [a!, b!, small!]).execute()
    const low = await t.given.member()
    await buy(low.id, '2025-09-06', 100_000) // 1,000 fen: below the minimum
    const templateId = await template()
    const p = await create(programme('2025-09', { reward: 'coupon', couponTemplateId: templateId, minRebate: 5_000 }))
    const done = await t.services.rebates.run(t.actors.hq_marketing, p.id)
    expect(done).toMatchObject({ status: 'completed', membersRewarded: 3, totalRebate: 13_000 + 13_020 + 13_040 })
    const coupons = await t.services.db.selectFrom('coupons').select(['member_id', 'value', 'source', 'issue_key', 'status']).where('template_id', '=', templateId).orderBy('value').execute()
    expect(coupons).toEqual([
      { member_id: a, value: 13_000, source: 'rebate', issue_key: `rebate:${p.id}`, status: 'issued' },
      { member_id: b, value: 13_020, source: 'rebate', issue_key: `rebate:${p.id}`, status: 'issued' },
      { member_id: small, value: 13_040, source: 'rebate', issue_key: `rebate:${p.id}`, status: 'issued' },
    ])
    await t.services.rebates.run(t.actors.hq_marketing, p.id)
    expect(await t.services.db.selectFrom('coupons').select('id').where('template_id', '=', templateId).execute()).toHaveLength(3)
    await expectSound()
  })

  it('resumes a run interrupted by a failing chunk: every member gets exactly one award', async () => {
    const members = await buyers(7, '2025-10-05', 150_000)
    const start = await Promise.all(members.map(balanceOf))
    const p = await create(programme('2025-10'))
    let chunks = 0
    const flaky = createRebatesService({
      db: t.services.db, engine: t.services.engine, audit: t.services.audit, clock: t.clock, timezone: 'Asia/Shanghai',
      loyalty: t.services.loyalty, coupons: t.services.coupons, chunkSize: 2,
      afterChunk: (chunk) => {
        chunks++
        if (chunk === 1) throw new Error('the process was stopped')
      },
    })
    await expect(flaky.run(t.actors.hq_marketing, p.id)).rejects.toThrow('the process was stopped')
    expect(chunks).toBe(2)
    const half = await t.services.rebates.get(t.actors.hq_marketing, p.id)
    expect(half).toMatchObject({ status: 'running', membersRewarded: 2 })
    await expect(t.services.rebates.update(t.actors.hq_marketing, p.id, programme('2025-10'))).rejects.toMatchObject({ code: 'REBATE_PROGRAMME_NOT_DRAFT' })
    expect(await t.services.rebates.verify()).toEqual([])

    const done = await t.services.rebates.run(t.actors.hq_marketing, p.id)
    expect(done).toMatchObject({ status: 'completed', membersRewarded: 7 })
    const awards = await t.services.db.selectFrom('rebate_awards').select(['member_id', 'rebate']).where('programme_id', '=', p.id).execute()
    expect(awards.map((a) => a.member_id).sort()).toEqual([...members].sort())
    expect(await Promise.all(members.map(balanceOf))).toEqual(start.map((s, i) => s + 1_500 + i * 10))
    expect(await runsAudited(p.id)).toBe(1)
    await expectSound()
  })

  it('stops when the coupon budget runs out, keeps what was given, and finishes once the budget is raised', async () => {
    const members = await buyers(5, '2025-11-05', 150_000)
    const templateId = await template({ maxIssued: 3 })
    const p = await create(programme('2025-11', { reward: 'coupon', couponTemplateId: templateId }))
    const small = createRebatesService({
      db: t.services.db, engine: t.services.engine, audit: t.services.audit, clock: t.clock, timezone: 'Asia/Shanghai',
      loyalty: t.services.loyalty, coupons: t.services.coupons, chunkSize: 2,
    })
    await expect(small.run(t.actors.hq_marketing, p.id)).rejects.toMatchObject({ code: 'COUPON_BUDGET_EXHAUSTED', status: 409 })
    // The second chunk failed on its second coupon and was rolled back whole.
    expect(await small.get(t.actors.hq_marketing, p.id)).toMatchObject({ status: 'running', membersRewarded: 2 })
    expect(await t.services.db.selectFrom('coupons').select('id').where('template_id', '=', templateId).execute()).toHaveLength(2)
    await expectSound()

    await t.services.coupons.updateTemplate(t.actors.hq_marketing, templateId, { ...rebateCoupon, maxIssued: 10 })
    expect(await small.run(t.actors.hq_marketing, p.id)).toMatchObject({ status: 'completed', membersRewarded: 5 })
    const coupons = await t.services.db.selectFrom('coupons').select('member_id').where('template_id', '=', templateId).execute()
    expect(coupons.map((c) => c.member_id).sort()).toEqual([...members].sort())
    await expectSound()
  })

  it('gives nothing to a member frozen or merged after the list was made', async () => {
    const [a, b, c] = await buyers(3, '2025-03-05', 200_000)
    const survivor = await t.given.member()
    const p = await create(programme('2025-03'))
    const start = await balanceOf(survivor.id)
    let once = false
    const racing = createRebatesService({
      db: t.services.db, engine: t.services.engine, audit: t.services.audit, clock: t.clock, timezone: 'Asia/Shanghai',
      loyalty: t.services.loyalty, coupons: t.services.coupons, chunkSize: 1,
      afterChunk: async (_chunk, trx) => {
        if (once) return
        once = true
        // Inside the first chunk's transaction: SQLite has one writer, so change the others through it
        // (behind the members service's back: it would open a transaction of its own).
        await trx.updateTable('members').set({ status: 'frozen' }).where('id', '=', b!).execute()
        await trx.updateTable('members').set({ status: 'merged', merged_into_id: survivor.id }).where('id', '=', c!).execute()
      },
    })
    await expect(racing.run(t.actors.hq_marketing, p.id)).resolves.toMatchObject({ status: 'completed', membersRewarded: 1 })
    expect((await t.services.db.selectFrom('rebate_awards').select('member_id').where('programme_id', '=', p.id).execute()).map((r) => r.member_id)).toEqual([a])
    expect(await balanceOf(survivor.id)).toBe(start)
    await expectSound()
  })

  it('gives each member one award when runs start at the same time', async () => {
    const members = await buyers(12, '2025-12-05', 120_000)
    const start = await Promise.all(members.map(balanceOf))
    const p = await create(programme('2025-12'))
    const small = createRebatesService({
      db: t.services.db, engine: t.services.engine, audit: t.services.audit, clock: t.clock, timezone: 'Asia/Shanghai',
      loyalty: t.services.loyalty, coupons: t.services.coupons, chunkSize: 3,
    })
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 ? small : t.services.rebates).run(t.actors.hq_marketing, p.id)))
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    for (const r of results) expect(r).toMatchObject({ value: { status: 'completed', membersRewarded: 12 } })
    expect(await Promise.all(members.map(balanceOf))).toEqual(start.map((s, i) => s + 1_200 + i * 10))
    const entries = await t.services.db.selectFrom('points_entries').select('member_id').where('reference', '=', p.id).execute()
    expect(entries).toHaveLength(12)
    expect(await runsAudited(p.id)).toBe(1)
    await expectSound()
  })
})
