import { createReadStream } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { UCI, UCI_MAP } from '../../../test/uci.js'
import { parseReceiptMapping, type ReceiptImportRowError } from './receipt-import-rules.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const count = async (sql: 'receipts' | 'sales' | 'returns' | 'lines' | 'buyers') => {
  const db = t.services.db
  const q = sql === 'lines' ? db.selectFrom('receipt_lines').select((eb) => eb.fn.countAll<number>().as('n'))
    : sql === 'buyers' ? db.selectFrom('receipts').select((eb) => eb.fn.count<number>('member_id').distinct().as('n'))
      : db.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n'))
        .$if(sql !== 'receipts', (qb) => qb.where('kind', '=', sql === 'sales' ? 'sale' : 'return'))
  return Number((await q.executeTakeFirstOrThrow()).n)
}

// The whole file (541,909 lines), earning and reversing points as a till would.
// Counted independently (a Python pass over the file applying the same rules): 25,900 invoice
// numbers; 2,102 are all price 0 or quantity 0 (adjustments: skipped); 6 rows have a price
// that is negative or finer than a fen, which leaves 2 invoices with no line at all; sales of
// more than 500 lines are posted in parts, giving 20,010 sales; the 3,836 C invoices are
// returns; 539,388 lines are stored; 4,371 customers buy (one of the 4,372 in the file appears
// only on an invoice that cannot be posted).
const UCI_FULL = { sales: 20_010, returns: 3_836, skipped: 2_102, failed: 2, customers: 4_371, lines: 539_388, problems: 2_102 + 400 + 6 }

describe('importing the whole UCI Online Retail file', () => {
  it('posts every invoice, the cancellations as returns, a member per customer, and reconciles', async () => {
    const errors: ReceiptImportRowError[] = []
    const counts = await t.services.receiptImports.run(t.actors.hq_admin, {
      source: createReadStream(UCI), gzip: true, mapping: parseReceiptMapping(UCI_MAP), storeCode: 'SHA01', timezone: 'Europe/London',
      awardPoints: true, createMembers: true, memberKey: 'external', returnPrefix: 'C', onErrors: (e) => { errors.push(...e) },
    })
    expect(counts).toEqual({
      linesRead: 541_909, receiptsPosted: UCI_FULL.sales, returnsPosted: UCI_FULL.returns, receiptsSkipped: UCI_FULL.skipped,
      membersCreated: UCI_FULL.customers, failed: UCI_FULL.failed, rowErrors: UCI_FULL.problems,
    })
    expect(errors).toHaveLength(UCI_FULL.problems)
    expect([await count('sales'), await count('returns'), await count('lines'), await count('buyers')])
      .toEqual([UCI_FULL.sales, UCI_FULL.returns, UCI_FULL.lines, UCI_FULL.customers])
    // The last invoice of the file: 2011-12-09 12:50 London time, customer 12680.
    const last = await t.services.db.selectFrom('receipts').select(['business_at', 'member_id', 'line_count']).where('receipt_no', '=', '581587').executeTakeFirstOrThrow()
    expect(last).toMatchObject({ business_at: '2011-12-09T12:50:00.000Z', line_count: 15 })
    expect(last.member_id).toBe((await t.services.members.lookup(t.actors.hq_admin, { externalCode: '12680' })).id)
    // Every customer's points: earned by the sales, taken back by the cancellations, reconciled.
    const points = await t.services.db.selectFrom('points_entries').select((eb) => [eb.fn.count<number>('member_id').distinct().as('members'), eb.fn.sum<number>('points').as('net')])
      .executeTakeFirstOrThrow()
    expect(Number(points.members)).toBe(UCI_FULL.customers)
    expect(Number(points.net)).toBeGreaterThan(0)
    expect(await t.services.loyalty.verify()).toEqual([])
  }, 600_000)
})
