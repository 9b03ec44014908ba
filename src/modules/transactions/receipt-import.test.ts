import { createReadStream, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, useTestContext, type TestContext } from '../../../test/context.js'
import { tamper } from '../../../test/tamper.js'
import { UCI_MAP, uciSlice } from '../../../test/uci.js'
import type { ReceiptImportRun } from './receipt-import.js'
import { parseReceiptMapping, type ReceiptImportRowError } from './receipt-import-rules.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const dir = mkdtempSync(join(tmpdir(), 'patron-receipt-import-'))

const importFile = async (c: TestContext, source: string | Buffer, options: Partial<ReceiptImportRun> & { map?: string } = {}) => {
  const errors: ReceiptImportRowError[] = []
  const { map, ...rest } = options
  const counts = await c.services.receiptImports.run(c.actors.hq_admin, {
    source: typeof source === 'string' && !source.includes('\n') ? createReadStream(source) : Readable.from([Buffer.from(source)]),
    gzip: typeof source === 'string' && source.endsWith('.gz'), mapping: parseReceiptMapping(map ?? UCI_MAP), onErrors: (e) => { errors.push(...e) }, ...rest,
  })
  return { counts, errors }
}

const count = async (c: TestContext, table: 'receipts' | 'receipt_lines' | 'members') =>
  Number((await c.services.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('importing the UCI Online Retail file (first 20,000 rows)', () => {
  // Counted independently (a Python pass over the same rows): 938 invoice numbers; 78 are all
  // price 0 (adjustments: skipped); 9 sales have more than 500 lines (posted in 2 parts each);
  // 59 lines of price 0 sit on other receipts (refused); 559 customers; 19,863 lines posted.
  const UCI_20K = { sales: 765, returns: 104, skipped: 78, zeroLines: 59, customers: 559, lines: 19_863 }
  let file: string
  beforeAll(async () => {
    file = await uciSlice(20_000, join(dir, 'uci-20k.csv'))
  })

  it('posts every invoice, returns for the C invoices, members for the customers, and reports the rest', async () => {
    // The UCI export marks its cancellations with a C before the invoice number.
    const { counts, errors } = await importFile(t, file, { storeCode: 'SHA01', timezone: 'Europe/London', createMembers: true, memberKey: 'external', returnPrefix: 'C' })
    expect(counts).toEqual({
      linesRead: 20_000, receiptsPosted: UCI_20K.sales, returnsPosted: UCI_20K.returns, receiptsSkipped: UCI_20K.skipped,
      membersCreated: UCI_20K.customers, failed: 0, rowErrors: UCI_20K.skipped + UCI_20K.zeroLines,
    })
    expect(errors.filter((e) => e.reason.startsWith('receipt skipped'))).toHaveLength(UCI_20K.skipped)
    expect(errors.find((e) => e.reason.startsWith('price 0'))).toEqual({ line: expect.any(Number), column: 'UnitPrice', value: '0', reason: 'price 0 on a receipt with other lines' })
    expect(await count(t, 'receipts')).toBe(UCI_20K.sales + UCI_20K.returns)
    expect(await count(t, 'receipt_lines')).toBe(UCI_20K.lines)
    expect(await t.services.loyalty.verify()).toEqual([])
  }, 180_000)

  it('stores what the invoices add up to (Σ quantity × price), the 1 Dec 2010 08:26 London time, and returns as returns', async () => {
    const totals = await t.services.db.selectFrom('receipts').select(['receipt_no', 'kind', 'total', 'business_at', 'member_id', 'line_count'])
      .where('receipt_no', 'in', ['536365', '536367', '536544', '536544/2', 'C536379']).orderBy('receipt_no').execute()
    expect(totals.map((r) => [r.receipt_no, r.kind, r.line_count])).toEqual([
      ['536365', 'sale', 7], ['536367', 'sale', 12], ['536544', 'sale', 500], ['536544/2', 'sale', 27], ['C536379', 'return', 1],
    ])
    const total = (...nos: string[]) => totals.filter((r) => nos.includes(r.receipt_no)).reduce((a, r) => a + r.total, 0)
    expect([total('536365'), total('536367'), total('536544', '536544/2'), total('C536379')]).toEqual([13_912, 27_873, 552_114, 2750])
    expect(totals[0]).toMatchObject({ business_at: '2010-12-01T08:26:00.000Z' })
    const member = await t.services.members.lookup(t.actors.hq_admin, { externalCode: '17850' })
    expect(totals[0]!.member_id).toBe(member.id)
    expect(member).toMatchObject({ registrationChannel: 'import', registrationStoreId: t.stores.a, registeredAt: '2010-12-01T08:26:00.000Z' })
    // 1 point per ¥1 of each receipt (UCI prices are pounds, taken as yuan).
    expect((await t.services.loyalty.points(t.actors.hq_admin, member.id)).balance).toBeGreaterThan(0)
  })

  it('posts nothing on a second run: every receipt is already there', async () => {
    const before = { receipts: await count(t, 'receipts'), members: await count(t, 'members') }
    const { counts } = await importFile(t, file, { storeCode: 'SHA01', timezone: 'Europe/London', createMembers: true, memberKey: 'external', returnPrefix: 'C' })
    expect(counts).toMatchObject({ receiptsPosted: 0, returnsPosted: 0, membersCreated: 0, failed: 0, receiptsSkipped: UCI_20K.sales + UCI_20K.returns + UCI_20K.skipped })
    expect(await count(t, 'receipts')).toBe(before.receipts)
    expect(await count(t, 'members')).toBe(before.members)
    expect(await t.services.loyalty.verify()).toEqual([])
  }, 180_000)
})

describe('receipts from any POS layout', () => {
  const MAP = '小票号=receipt_no,门店=store,时间=business_at,货号=sku,品名=name,数量=quantity,单价=unit_price,优惠=discount,会员=member,收银机=till,支付=tender'
  const header = '小票号,门店,时间,货号,品名,数量,单价,优惠,会员,收银机,支付'

  it('posts a receipt per number and store, with its member, discounts and tenders; refuses what is wrong with line and reason', async () => {
    const member = await t.given.member({ phone: '13700009001' })
    const csv = [header,
      'P-1,BJB01,2026-02-01 10:00:00,A1,苹果,2,3.50,0.50,13700009001,T1,微信',
      'P-1,BJB01,2026-02-01 10:00:00,A2,梨,1,10,,13700009001,T1,现金',
      'P-1,BJB01,2026-02-01 10:00:00,A3,桃,-1,2,,13700009001,T1,现金',
      'P-1,NOPE,2026-02-01 10:00:00,A3,桃,1,2,,,T1,现金',
      'P-2,BJB01,2026-02-01 10:05:00,A1,苹果,1,3.5,,NOBODY,T1,',
      'P-3,BJB01,2026-02-01 10:06:00,A1,苹果,1,3.505,,,T1,',
      'P-4,BJB01,2026-02-01 10:07:00,A1,苹果,1,3.5,,,T1,积分',
    ].join('\n')
    const { counts, errors } = await importFile(t, csv, { map: MAP })
    expect(counts).toMatchObject({ linesRead: 7, receiptsPosted: 1, failed: 3, rowErrors: 5 })
    expect(errors.sort((a, b) => a.line - b.line)).toEqual([
      { line: 4, column: '数量', value: '-1', reason: expect.stringContaining('negative quantity on a sale') },
      { line: 5, column: '门店', value: 'NOPE', reason: 'no store with this code' },
      { line: 6, column: '会员', value: 'NOBODY', reason: expect.stringContaining('no member with this external code (--create-members registers them)') },
      { line: 7, column: '单价', value: '3.505', reason: 'finer than a fen (at most 2 decimals)' },
      { line: 8, column: '支付', value: '积分', reason: expect.stringContaining('points payments cannot be imported') },
    ])
    const [receipt] = (await t.services.receipts.list(t.actors.hq_admin, { storeId: t.stores.b, receiptNo: 'P-1' })).items
    expect(receipt).toMatchObject({
      kind: 'sale', memberId: member.id, till: 'T1', total: 1650, source: 'import', businessAt: '2026-02-01T02:00:00.000Z',
      lines: [{ sku: 'A1', quantity: 2, unitPrice: 350, discount: 50, amount: 650 }, { sku: 'A2', quantity: 1, unitPrice: 1000, amount: 1000 }],
      tenders: [{ kind: 'wechat_pay', amount: 650 }, { kind: 'cash', amount: 1000 }],
    })
  })

  it('gathers the rows of a receipt that are not together, and takes a number seen again after it was posted as a duplicate', async () => {
    const csv = [header,
      'W-1,BJB01,2026-02-02 09:00:00,A1,苹果,1,3.50,,,,',
      'W-2,BJB01,2026-02-02 09:01:00,A1,苹果,1,3.50,,,,',
      'W-1,BJB01,2026-02-02 09:00:00,A2,梨,1,10,,,,',
      'W-3,BJB01,2026-02-02 09:02:00,A1,苹果,1,3.50,,,,',
      'W-4,BJB01,2026-02-02 09:03:00,A1,苹果,1,3.50,,,,',
      'W-1,BJB01,2026-02-02 09:00:00,A9,橙,1,1,,,,',
    ].join('\n')
    // A window of 2 receipts: W-1's third row comes after W-1 was posted.
    const { counts, errors } = await importFile(t, csv, { map: MAP, batchSize: 2 })
    expect(counts).toMatchObject({ receiptsPosted: 4, failed: 1 })
    expect(errors).toEqual([{ line: 7, column: '小票号', value: 'W-1', reason: expect.stringContaining('already has a sale numbered W-1 with other content') }])
    const [w1] = (await t.services.receipts.list(t.actors.hq_admin, { storeId: t.stores.b, receiptNo: 'W-1' })).items
    expect(w1!.lines.map((l) => l.sku)).toEqual(['A1', 'A2'])
    expect((await importFile(t, csv, { map: MAP, batchSize: 2 })).counts).toMatchObject({ receiptsPosted: 0, receiptsSkipped: 4, failed: 1 })
  })

  it('registers the members of unknown external codes with --create-members, so a re-run posts what was refused', async () => {
    const csv = [header, 'M-1,BJB01,2026-02-03 09:00:00,A1,苹果,3,3.50,,VIP-77,,', 'CM-1,BJB01,2026-02-03 09:30:00,A1,苹果,-1,3.50,,VIP-77,,'].join('\n')
    expect((await importFile(t, csv, { map: MAP, returnPrefix: 'CM' })).counts).toMatchObject({ receiptsPosted: 0, returnsPosted: 0, failed: 2 })
    expect((await importFile(t, csv, { map: MAP, returnPrefix: 'CM', createMembers: true })).counts).toMatchObject({ receiptsPosted: 1, returnsPosted: 1, membersCreated: 1, failed: 0 })
    const member = await t.services.members.lookup(t.actors.hq_admin, { externalCode: 'VIP-77' })
    expect(member).toMatchObject({ registrationStoreId: t.stores.b, registrationChannel: 'import' })
    const stats = await t.services.db.selectFrom('member_purchase_stats').selectAll().where('member_id', '=', member.id).executeTakeFirstOrThrow()
    expect(stats).toMatchObject({ receipt_count: 1, spend_total: 1050 - 350 })
    expect(await t.services.loyalty.verify()).toEqual([])
  })

  it('skips on a re-run the receipts of a member merged into another since, instead of calling their numbers reused', async () => {
    const csv = [header, 'MG-1,BJB01,2026-02-04 09:00:00,A1,苹果,2,3.50,,MERGE-9,,', 'MG-2,BJB01,2026-02-04 10:00:00,A2,梨,1,10,,MERGE-9,,'].join('\n')
    expect((await importFile(t, csv, { map: MAP, createMembers: true })).counts).toMatchObject({ receiptsPosted: 2, membersCreated: 1, failed: 0 })
    const merged = await t.services.members.lookup(t.actors.hq_admin, { externalCode: 'MERGE-9' })
    const survivor = await t.given.member()
    await t.services.members.merge(t.actors.hq_admin, survivor.id, merged.id, '同一人')
    const again = await importFile(t, csv, { map: MAP, createMembers: true })
    expect(again.errors).toEqual([])
    expect(again.counts).toMatchObject({ receiptsPosted: 0, receiptsSkipped: 2, membersCreated: 0, failed: 0, rowErrors: 0 })
    expect(again.errors).toEqual([])
    // The same numbers with other content are still refused.
    const changed = csv.replace('MG-2,BJB01,2026-02-04 10:00:00,A2,梨,1,10', 'MG-2,BJB01,2026-02-04 10:00:00,A2,梨,3,10')
    expect((await importFile(t, changed, { map: MAP, createMembers: true })).counts).toMatchObject({ receiptsSkipped: 1, failed: 1 })
  })

  it.each([['with points', true], ['without points (bulk)', false]] as const)('stores each receipt once when the same file is imported twice at once, %s', async (_label, awardPoints) => {
    const tag = awardPoints ? 'TP' : 'TB'
    const rows = Array.from({ length: 120 }, (_, i) => `${tag}-${i},BJB01,2026-02-05 09:${String(i % 60).padStart(2, '0')}:00,A${i % 5},苹果,${1 + (i % 3)},3.50,,${tag}-VIP-${i % 7},,`)
    const csv = [header, ...rows].join('\n')
    const before = await count(t, 'receipts')
    const runs = await Promise.all([1, 2].map(() => importFile(t, csv, { map: MAP, createMembers: true, awardPoints, batchSize: 10 })))
    expect(await count(t, 'receipts')).toBe(before + 120)
    expect(runs.map((r) => r.counts.failed)).toEqual([0, 0])
    expect(runs[0]!.counts.receiptsPosted + runs[1]!.counts.receiptsPosted).toBe(120)
    expect(runs[0]!.counts.receiptsSkipped + runs[1]!.counts.receiptsSkipped).toBe(120)
    expect(await t.services.loyalty.verify()).toEqual([])
  })

  it('refuses a file it cannot use before posting anything, naming the reason', async () => {
    const before = await count(t, 'receipts')
    await expect(importFile(t, `${header}\nX-1,BJB01,2026-02-03 09:00:00,A1,a,1,1,,,,`, { map: `${MAP},备注=cashier` })).rejects.toMatchObject({ code: 'IMPORT_COLUMNS_MISSING' })
    await expect(importFile(t, Buffer.from('not gzip at all'), { gzip: true, map: MAP })).rejects.toMatchObject({ code: 'IMPORT_CSV_INVALID' })
    await expect(importFile(t, `${header}\n`, { map: MAP, storeCode: 'NOPE' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND', details: [{ field: 'store' }] })
    await expect(importFile(t, `${header}\n`, { map: MAP.replace('门店=store,', ''), timezone: 'Mars/Olympus' })).rejects.toMatchObject({ details: [{ field: 'timezone' }] })
    await expect(importFile(t, `${header}\n`, { map: MAP.replace('门店=store,', '') })).rejects.toMatchObject({ code: 'IMPORT_MAPPING_INVALID', details: [{ field: 'store' }] })
    const gz = await importFile(t, gzipSync(`${header}\nG-1,BJB01,2026-02-03 09:00:00,A1,a,1,1,,,,\n`), { gzip: true, map: MAP })
    expect(gz.counts.receiptsPosted).toBe(1)
    expect(await count(t, 'receipts')).toBe(before + 1)
  })
})

describe('history without points, written in bulk', () => {
  // The same file through the receipts service and through the bulk writer, each into a database
  // of its own: everything stored must be the same but for ids and hashes of member ids.
  const MAP = 'No=receipt_no,Store=store,At=business_at,Sku=sku,Name=name,Qty=quantity,Price=unit_price,Disc=discount,Member=member,Till=till,Cashier=cashier,Pay=tender'
  const rows = ['No,Store,At,Sku,Name,Qty,Price,Disc,Member,Till,Cashier,Pay']
  const add = (...r: Array<string | number>) => rows.push(r.join(','))
  add('B-1', 'SHA01', '2025-12-05 10:00', 'K1', 'Rice', 30, '50.00', '', '13700008001', 'T1', 'amy', 'cash')
  add('B-1', 'SHA01', '2025-12-05 10:00', 'K2', 'Oil', 1, '12.30', '0.30', '13700008001', 'T1', 'amy', 'wechat')
  add('B-2', 'SHA01', '2026-01-10 18:00', 'K1', 'Rice', 12, '50.00', '', '13700008001', 'T2', '', 'alipay')
  add('B-3', 'BJB01', '2010-05-01 09:00', 'K3', 'Tea', 2, '8', '', 'EXT-1', '', '', '')
  add('B-4', 'BJB01', '2026-02-20 12:00', 'K3', 'Tea', 1000, '9', '', 'EXT-1', '', '', '')
  add('B-5', 'BJB01', '2026-02-21 12:00', 'K4', 'Salt', 1, '2', '', '', '', '', '')
  add('CB-1', 'SHA01', '2026-01-11 09:00', 'K1', 'Rice', -2, '50.00', '', '13700008001', '', '', '')
  add('CB-2', 'BJB01', '2026-02-22 09:00', 'K5', 'Soap', -1, '4.5', '', 'EXT-1', '', '', '')
  for (let i = 0; i < 520; i++) add('B-6', 'SHA01', '2026-02-25 08:00', `L${i}`, `Item ${i}`, 1, '1.01', '', 'EXT-2', '', '', '')
  const csv = `${rows.join('\n')}\n`
  const contexts: TestContext[] = []
  afterAll(async () => {
    for (const c of contexts) await c.close()
  })

  const dump = async (c: TestContext) => {
    const db = c.services.db
    const keyOf = new Map((await db.selectFrom('members').select(['id', 'external_code', 'phone_masked']).execute()).map((m) => [m.id, m.external_code ?? m.phone_masked]))
    const storeOf = new Map((await db.selectFrom('stores').select(['id', 'code']).execute()).map((s) => [s.id, s.code]))
    const receipts = await db.selectFrom('receipts').selectAll().orderBy('receipt_no').execute()
    const noOf = new Map(receipts.map((r) => [r.id, r.receipt_no]))
    const skuOf = new Map((await db.selectFrom('products').select(['id', 'sku']).execute()).map((p) => [p.id, p.sku]))
    const byMember = <T extends { member_id: string }>(list: T[]) => list.map(({ member_id, ...r }) => ({ member: keyOf.get(member_id), ...r }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    return {
      receipts: receipts.map(({ id: _i, import_id: _m, payload_hash: _h, created_at: _c, result, ...r }) => {
        const res = JSON.parse(result!) as { receiptId: string; storeId: string; member: { id: string; cardNo: string } | null }
        return {
          ...r, store_id: storeOf.get(r.store_id), member_id: r.member_id && keyOf.get(r.member_id),
          result: { ...res, receiptId: noOf.get(res.receiptId), storeId: storeOf.get(res.storeId), member: res.member && { ...res.member, id: keyOf.get(res.member.id), cardNo: '…' } },
        }
      }),
      lines: (await db.selectFrom('receipt_lines').selectAll().execute()).map(({ receipt_id, product_id, ...l }) => ({ receipt: noOf.get(receipt_id), product: product_id && skuOf.get(product_id), ...l }))
        .sort((a, b) => `${a.receipt}|${String(a.line_no).padStart(4)}`.localeCompare(`${b.receipt}|${String(b.line_no).padStart(4)}`)),
      tenders: (await db.selectFrom('receipt_tenders').selectAll().execute()).map(({ receipt_id, ...x }) => ({ receipt: noOf.get(receipt_id), ...x }))
        .sort((a, b) => `${a.receipt}|${a.seq}`.localeCompare(`${b.receipt}|${b.seq}`)),
      products: (await db.selectFrom('products').selectAll().orderBy('sku').execute()).map(({ id: _i, ...p }) => p),
      accounts: byMember(await db.selectFrom('points_accounts').selectAll().execute()),
      tiers: (await db.selectFrom('member_tier_history').selectAll().execute()).map(({ id: _i, receipt_id, member_id, ...h }) => ({ member: keyOf.get(member_id), receipt: receipt_id && noOf.get(receipt_id), ...h }))
        .sort((a, b) => `${a.member}|${a.receipt}`.localeCompare(`${b.member}|${b.receipt}`)),
      stats: byMember(await db.selectFrom('member_purchase_stats').selectAll().execute()),
      months: byMember(await db.selectFrom('member_monthly_activity').selectAll().execute()),
    }
  }

  it('stores exactly what the receipts service stores for the same receipts', async () => {
    const results = []
    for (const writer of ['generic', 'auto'] as const) {
      const c = await createTestContext()
      contexts.push(c)
      await c.given.member({ phone: '13700008001' })
      const uci = await uciSlice(3000, join(dir, `uci-3k-${writer}.csv`))
      const a = await importFile(c, csv, { map: MAP, awardPoints: false, createMembers: true, returnPrefix: 'CB', writer })
      const b = await importFile(c, uci, { storeCode: 'BJB01', timezone: 'Europe/London', awardPoints: false, createMembers: true, memberKey: 'external', returnPrefix: 'C', writer, batchSize: 40 })
      expect(await c.services.loyalty.verify()).toEqual([])
      results.push({ counts: [a.counts, b.counts], errors: [a.errors, b.errors], data: await dump(c) })
    }
    const [generic, bulk] = results as [(typeof results)[number], (typeof results)[number]]
    expect(generic.counts[0]).toMatchObject({ receiptsPosted: 7, returnsPosted: 2, membersCreated: 2, failed: 0 })
    expect(generic.data.tiers.filter((h) => /^(137\*|EXT)/.test(h.member ?? '')).map((h) => [h.member, h.to_tier, h.receipt])).toEqual([
      ['137****8001', 'regular', 'B-1'], ['137****8001', 'silver', 'B-2'], ['EXT-1', 'regular', 'B-3'], ['EXT-1', 'gold', 'B-4'], ['EXT-2', 'regular', 'B-6'],
    ])
    expect(bulk.counts).toEqual(generic.counts)
    expect(bulk.errors).toEqual(generic.errors)
    for (const k of Object.keys(generic.data) as Array<keyof typeof generic.data>) expect(bulk.data[k], k).toEqual(generic.data[k])
  }, 180_000)
})

describe('receipt imports over HTTP', () => {
  const multipart = (fields: Record<string, string>, file: { name: string; content: string }) => {
    const boundary = '----patron-receipts-boundary'
    const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`)
    return { payload: Buffer.from(parts.join('') + `--${boundary}--\r\n`), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
  }
  const MAP = 'no=receipt_no,at=business_at,sku=sku,qty=quantity,price=unit_price,member=member'
  const csv = 'no,at,sku,qty,price,member\nH-1,2026-02-04 10:00,A1,2,3.50,13700009001\nH-1,2026-02-04 10:00,A2,1,0,13700009001\nH-2,2026-02-04 11:00,A1,1,-1,\n'

  it('runs an upload in the background and serves its progress, its problems page by page and as CSV', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const { payload, headers } = multipart({ mapping: MAP, store: 'BJB01', points: 'false' }, { name: 'pos.csv', content: csv })
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/receipt-imports', payload, headers: { ...headers, cookie } })
    expect(res.statusCode).toBe(202)
    let status = res.json()
    for (let i = 0; i < 300 && status.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50))
      status = (await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${status.id}`, headers: { cookie } })).json()
    }
    expect(status).toMatchObject({
      status: 'completed', sourceName: 'pos.csv', linesRead: 3, receiptsPosted: 1, failed: 1, errorCount: 2,
      settings: { storeCode: 'BJB01', awardPoints: false, memberKey: 'auto', returnPrefix: '' },
    })
    const page1 = (await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${status.id}/errors?limit=1`, headers: { cookie } })).json()
    expect(page1).toEqual({ items: [{ line: 3, column: 'price', value: '0', reason: 'price 0 on a receipt with other lines' }], nextCursor: expect.any(String) })
    const page2 = (await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${status.id}/errors?limit=1&cursor=${page1.nextCursor}`, headers: { cookie } })).json()
    expect(page2).toEqual({ items: [{ line: 4, column: 'price', value: '-1', reason: 'negative' }], nextCursor: null })
    const report = await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${status.id}/errors.csv`, headers: { cookie } })
    expect(report.headers['content-type']).toContain('text/csv')
    // HQ reads Chinese by default; English when asked for.
    expect(report.body).toBe('\uFEFF行号,列,值,原因\n3,price,0,单价为 0，而小票上还有其他行\n4,price,-1,不能为负数\n')
    const english = await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${status.id}/errors.csv?lang=en-US`, headers: { cookie } })
    expect(english.body).toBe('\uFEFFline,column,value,reason\n3,price,0,price 0 on a receipt with other lines\n4,price,-1,negative\n')
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/receipt-imports', headers: { cookie } })).json()
    expect(list[0]).toMatchObject({ id: status.id, errorCount: 2 })
  })

  it('answers 401 without a session, 403 to a cashier, 422 naming the field a bad mapping misuses, 404 for an unknown import', async () => {
    const ok = multipart({ mapping: MAP, store: 'BJB01' }, { name: 'pos.csv', content: csv })
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/receipt-imports', payload: ok.payload, headers: ok.headers })).statusCode).toBe(401)
    const cashier = await t.login(t.users.cashier!.username)
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/receipt-imports', payload: ok.payload, headers: { ...ok.headers, cookie: cashier } })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/receipt-imports', headers: { cookie: cashier } })).statusCode).toBe(403)
    const cookie = await t.login(t.users.hq_admin!.username)
    const before = (await t.services.receiptImports.list(t.actors.hq_admin)).length
    const bad = multipart({ mapping: MAP.replace('price=unit_price', 'price=unit_cost'), store: 'BJB01' }, { name: 'pos.csv', content: csv })
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/receipt-imports', payload: bad.payload, headers: { ...bad.headers, cookie } })
    expect(res.statusCode).toBe(422)
    expect(res.json().error).toMatchObject({ code: 'IMPORT_MAPPING_INVALID', details: [{ field: 'mapping', reason: expect.stringContaining('unknown field "unit_cost"') }] })
    const noStore = multipart({ mapping: MAP }, { name: 'pos.csv', content: csv })
    const res2 = await t.app.inject({ method: 'POST', url: '/api/v1/receipt-imports', payload: noStore.payload, headers: { ...noStore.headers, cookie } })
    expect(res2.statusCode).toBe(422)
    expect(res2.json().error.details).toEqual([{ field: 'store', reason: expect.stringContaining('map a store column') }])
    expect(await t.services.receiptImports.list(t.actors.hq_admin)).toHaveLength(before)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/receipt-imports/rim_nope', headers: { cookie } })).statusCode).toBe(404)
  })

  it('reports an import whose process stopped as failed once it has shown no progress for 10 minutes', async () => {
    const at = t.clock.now().toISOString()
    await tamper(t, 'an import whose process died in the middle').insertInto('imports').values({
      id: 'rim_stale', kind: 'receipts', status: 'running', source_name: 'old.csv', settings: JSON.stringify({ mapping: {} }), total_bytes: 100, processed_bytes: 40,
      counts: JSON.stringify({ linesRead: 2, receiptsPosted: 1, returnsPosted: 0, receiptsSkipped: 0, membersCreated: 0, failed: 0 }), error_code: null, error_message: null,
      created_by: null, store_id: null, created_at: at, heartbeat_at: at, finished_at: null, upload_file: null,
    }).execute()
    t.clock.advance(11 * 60 * 1000)
    expect(await t.services.receiptImports.get(t.actors.hq_admin, 'rim_stale')).toMatchObject({ status: 'failed', errorCode: 'IMPORT_INTERRUPTED', errorMessage: expect.stringContaining('interrupted') })
  })

  it('cancels a running import: it stops after the receipts in hand, keeps what it posted, says cancelled, and its file is removed', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const uploads = () => new Set(readdirSync(t.services.receiptImports.uploadDir()))
    const before = uploads()
    const receiptsNow = () => count(t, 'receipts')
    const start = await receiptsNow()
    const lines = Array.from({ length: 30_000 }, (_, i) => `X-${i},2026-02-05 10:00,A1,1,1.00,`).join('\n')
    const { payload, headers } = multipart({ mapping: MAP, store: 'BJB01', points: 'false' }, { name: 'long.csv', content: `no,at,sku,qty,price,member\n${lines}\n` })
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/receipt-imports', payload, headers: { ...headers, cookie } })
    expect(res.statusCode).toBe(202)
    const id = res.json().id as string
    const get = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${id}`, headers: { cookie } })).json()
    for (let i = 0; i < 1200 && (await get()).receiptsPosted === 0; i++) await new Promise((r) => setTimeout(r, 25))
    const cancel = await t.app.inject({ method: 'POST', url: `/api/v1/receipt-imports/${id}/cancel`, headers: { cookie } })
    expect(cancel.statusCode).toBe(200)
    expect(cancel.json()).toMatchObject({ status: 'cancelled', errorCode: 'IMPORT_CANCELLED' })
    for (let i = 0; i < 2400 && [...uploads()].some((f) => !before.has(f)); i++) await new Promise((r) => setTimeout(r, 25))
    expect([...uploads()].filter((f) => !before.has(f))).toEqual([])
    const done = await get()
    expect(done).toMatchObject({ status: 'cancelled' })
    expect(done.receiptsPosted).toBeGreaterThan(0)
    expect(done.receiptsPosted).toBeLessThan(30_000)
    expect(await receiptsNow()).toBe(start + done.receiptsPosted)
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/receipt-imports/${id}/cancel`, headers: { cookie } })).json().error.code).toBe('IMPORT_NOT_RUNNING')
  }, 180_000)

  it('ends a download whose database fails in the middle, logs it, and keeps serving', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const at = t.clock.now().toISOString()
    await tamper(t, 'a finished import whose error report is asked for, without running one').insertInto('imports').values({
      id: 'rim_download', kind: 'receipts', status: 'completed', source_name: 'dl.csv', settings: JSON.stringify({ mapping: {} }), total_bytes: 1, processed_bytes: 1,
      counts: JSON.stringify({ linesRead: 1, receiptsPosted: 0, returnsPosted: 0, receiptsSkipped: 0, membersCreated: 0, failed: 1 }), error_code: null, error_message: null,
      created_by: null, store_id: null, created_at: at, heartbeat_at: at, finished_at: at, upload_file: null,
    }).execute()
    const original = t.services.receiptImports.allErrors
    t.services.receiptImports.allErrors = async function* () {
      yield [{ line: 2, column: 'no', value: 'X', reason: 'first page' }]
      throw new Error('connection terminated unexpectedly')
    }
    try {
      // The response is cut off after the first page (the client sees a broken download), never a crash.
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/receipt-imports/rim_download/errors.csv', headers: { cookie } }).catch((e: Error) => e)
      expect(res).toBeInstanceOf(Error)
      expect((res as Error).message).toMatch(/destroyed before completion/)
    } finally {
      t.services.receiptImports.allErrors = original
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/receipt-imports', headers: { cookie } })).statusCode).toBe(200)
  })

  it('shows the uploader the phone a refused line named, and anyone else the phone masked', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const { payload, headers } = multipart({ mapping: MAP, store: 'BJB01', points: 'false' }, { name: 'p.csv', content: 'no,at,sku,qty,price,member\nU-1,2026-02-07 10:00,A1,1,2.00,13700009876\n' })
    let status = (await t.app.inject({ method: 'POST', url: '/api/v1/receipt-imports', payload, headers: { ...headers, cookie } })).json()
    for (let i = 0; i < 300 && status.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50))
      status = (await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${status.id}`, headers: { cookie } })).json()
    }
    const errorsFor = async (who: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${status.id}/errors`, headers: { cookie: who } })).json().items
    expect(await errorsFor(cookie)).toEqual([{ line: 2, column: 'member', value: '13700009876', reason: expect.stringContaining('no member with this phone') }])
    const other = await t.given.staff('hq_admin')
    expect(await errorsFor(await t.login(other.username))).toEqual([{ line: 2, column: 'member', value: '137****9876', reason: expect.stringContaining('no member with this phone') }])
  })

  it('takes receipt numbers starting with C as sales unless the upload names C as the return prefix', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const post = async (fields: Record<string, string>) => {
      const { payload, headers } = multipart({ mapping: MAP, store: 'BJB01', points: 'false', ...fields }, { name: 'c.csv', content: 'no,at,sku,qty,price,member\nC-77,2026-02-06 10:00,A1,-1,2.00,\n' })
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/receipt-imports', payload, headers: { ...headers, cookie } })
      let status = res.json()
      for (let i = 0; i < 300 && status.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 50))
        status = (await t.app.inject({ method: 'GET', url: `/api/v1/receipt-imports/${status.id}`, headers: { cookie } })).json()
      }
      return status
    }
    // A negative quantity on a sale is refused: by default C-77 is a sale.
    expect(await post({})).toMatchObject({ status: 'completed', settings: { returnPrefix: '' }, receiptsPosted: 0, returnsPosted: 0, failed: 1 })
    expect(await post({ returnPrefix: 'C' })).toMatchObject({ status: 'completed', settings: { returnPrefix: 'C' }, returnsPosted: 1 })
  })
})
