import { createReadStream } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseReceiptMapping } from '../src/modules/transactions/receipt-import-rules.js'
import { useTestContext, type TestContext } from './context.js'
import { monthlyFigures, shareOfTop } from './real-data/figures.js'
import { readUci, type UciData } from './real-data/uci.js'
import { UCI, UCI_MAP } from './uci.js'

// Issue 12 §8: the whole UCI Online Retail file imported through the receipts importer, the
// insight refresh run over it, and Patron's figures held to an independent computation over the
// CSV (test/real-data: a plain reading of the file by the import's documented rules, sharing no
// code with Patron). The definitions are in the README, "Checked against real data".

/** The day after the file's last invoice (2011-12-09 12:50 UK = 20:50 in Shanghai): the figures are as of its last day. */
const AS_OF = '2011-12-09'

const context = useTestContext()
let t: TestContext
let uci: UciData

beforeAll(async () => {
  t = await context()
  uci = readUci()
  // The chain's clock on the morning after the last invoice: the import takes nothing from the future.
  t.clock.set('2011-12-10T02:00:00.000Z')
  const counts = await t.services.receiptImports.run(t.actors.hq_admin, {
    source: createReadStream(UCI), gzip: true, mapping: parseReceiptMapping(UCI_MAP), storeCode: 'SHA01', timezone: 'Europe/London',
    awardPoints: false, createMembers: true, memberKey: 'external', returnPrefix: 'C',
  })
  const sales = uci.receipts.filter((r) => r.kind === 'sale').length
  expect(counts).toMatchObject({ receiptsPosted: sales, returnsPosted: uci.receipts.length - sales, receiptsSkipped: uci.skipped, failed: uci.failed })
  await t.services.insight.refresh({ asOf: AS_OF, full: true })
}, 900_000)

describe('the UCI Online Retail file, checked against an independent computation', () => {
  it('reproduces the published 80/20 figure: the top 20% of 4,339 customers make 74.6% of their gross spend', () => {
    const gross = [...uci.grossByCustomer.values()]
    expect(gross).toHaveLength(4_339)
    expect(shareOfTop(gross, Math.ceil(gross.length * 0.2))).toBeCloseTo(0.746, 3)
  })

  it('counts active members, repurchase rate and the members\' average ticket per month as the KPIs do', async () => {
    const expected = monthlyFigures(uci.receipts)
    expect(expected.map((m) => m.month)).toEqual(['2010-12', '2011-01', '2011-02', '2011-03', '2011-04', '2011-05', '2011-06', '2011-07', '2011-08', '2011-09', '2011-10', '2011-11', '2011-12'])
    const got = await t.services.kpis.kpis(t.actors.analyst, { grain: 'month', from: '2010-12-01', to: AS_OF })
    const patron = got.periods.map((p) => ({
      month: p.key, active: p.figures.activeMembers.value, repurchaseRate: p.figures.repurchaseRate.value,
      memberNetSales: p.figures.memberNetSales.value, avgTicketMember: p.figures.avgTicketMember.value,
    }))
    expect(patron).toEqual(expected.map((m) => ({ month: m.month, active: m.active, repurchaseRate: m.repurchaseRate, memberNetSales: m.memberNetSales, avgTicketMember: m.avgTicketMember })))
  })
})
