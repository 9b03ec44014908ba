import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { gunzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ClvFitResult } from '../src/modules/analytics/index.js'
import { fitBgNbd, fitGammaGamma } from '../src/modules/analytics/predictions/clv-model.js'
import { parseReceiptMapping } from '../src/modules/transactions/receipt-import-rules.js'
import { useTestContext, type TestContext } from './context.js'
import { dataFile, parseCsv } from './real-data/csv.js'

// Issue 13 §1: CDNOW (Fader & Hardie; the full cohort of 23,570 first-time buyers of Q1 1997,
// ../shared/data/cdnow) imported through the receipts importer, BG/NBD and Gamma-Gamma fitted by
// the service on the members' purchase days, and held to a plain computation over the CSV.
//
// Tills refuse business dates before 2000: the purchases are moved 28 years on (1997-01-01 →
// 2025-01-01, the same weekdays, and no 29 February in either span), at noon in Shanghai.
// Each customer's purchases of a day are one receipt; a day whose purchases are all $0.00 is
// not a sale (the importer skips a receipt of nothing), so it is no purchase day here either.

const SHIFT_YEARS = 28
const shift = (date: string) => `${Number(date.slice(0, 4)) + SHIFT_YEARS}${date.slice(4)}`
/** The standard split: 39 weeks of calibration (to 1997-09-30), 39 weeks of holdout (to 1998-06-30). */
const CALIBRATION_END = '1997-09-30'
const HOLDOUT_END = '1998-06-30'

interface Plain { x: number; tx: number; T: number; repeatSpend: number; holdout: number }

const dayNo = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000

/** The CSV read plainly: per customer and day, the cents spent; then BG/NBD's statistics in weeks. */
const readCdnow = () => {
  const csv = parseCsv(gunzipSync(readFileSync(dataFile('cdnow/cdnow_master.csv.gz'))).toString('utf8'))
  const [id, date, value] = [csv.col('customer_id'), csv.col('date'), csv.col('dollar_value')]
  const days = new Map<string, Map<string, number>>()
  for (const row of csv.rows) {
    const customer = days.get(row[id]!) ?? new Map<string, number>()
    days.set(row[id]!, customer)
    const d = `${row[date]!.slice(0, 4)}-${row[date]!.slice(5, 7)}-${row[date]!.slice(8, 10)}`
    customer.set(d, (customer.get(d) ?? 0) + Math.round(Number(row[value]) * 100))
  }
  const plain = new Map<string, Plain>()
  for (const [customer, spend] of days) {
    const bought = [...spend.entries()].filter(([, cents]) => cents > 0).map(([d]) => d).sort()
    const first = bought[0]
    if (!first || first > CALIBRATION_END) continue
    const before = bought.filter((d) => d <= CALIBRATION_END)
    plain.set(customer, {
      x: before.length - 1,
      tx: (dayNo(before.at(-1)!) - dayNo(first)) / 7,
      T: (dayNo(CALIBRATION_END) - dayNo(first)) / 7,
      repeatSpend: before.slice(1).reduce((s, d) => s + spend.get(d)!, 0),
      holdout: bought.filter((d) => d > CALIBRATION_END && d <= HOLDOUT_END).length,
    })
  }
  return { csv, plain }
}

/** The CSV as a POS export: one line per row, a receipt per customer and day. */
const asExport = (csv: ReturnType<typeof parseCsv>): string => {
  const [id, date, cds, value] = [csv.col('customer_id'), csv.col('date'), csv.col('number_of_cds'), csv.col('dollar_value')]
  const lines = ['receipt,at,sku,name,quantity,price,customer']
  for (const row of csv.rows) {
    const d = shift(row[date]!)
    lines.push(`${row[id]}-${d},${d} 12:00,CD,CDs (${row[cds]}),1,${row[value]},${row[id]}`)
  }
  return `${lines.join('\n')}\n`
}

const context = useTestContext()
let t: TestContext
let plain: Map<string, Plain>
let fit: ClvFitResult

beforeAll(async () => {
  t = await context()
  const cdnow = readCdnow()
  plain = cdnow.plain
  t.clock.set(`${shift('1998-07-01')}T02:00:00.000Z`)
  const counts = await t.services.receiptImports.run(t.actors.hq_admin, {
    source: Readable.from([asExport(cdnow.csv)]), gzip: false,
    mapping: parseReceiptMapping('receipt=receipt_no,at=business_at,sku=sku,name=name,quantity=quantity,price=unit_price,customer=member'),
    storeCode: 'SHA01', timezone: 'Asia/Shanghai', awardPoints: false, createMembers: true, memberKey: 'external',
  })
  expect(counts).toMatchObject({ linesRead: 69_659, failed: 0 })
  fit = await t.services.clv.fit(t.actors.hq_admin, { calibrationEnd: shift(CALIBRATION_END), holdoutEnd: shift(HOLDOUT_END), unit: 'week' })
}, 900_000)

const sig3 = (v: number) => Number(v.toPrecision(3))

describe('BG/NBD and Gamma-Gamma on CDNOW, imported through the receipts importer', () => {
  it('fits on every member of the cohort, with the repeat purchases counted as the plain reading counts them', () => {
    const all = [...plain.values()]
    // 23,570 customers in the file: 68 bought only $0.00 items (no sale), and 2 paid for nothing
    // before the calibration end.
    expect(all.length).toBe(23_500)
    expect(fit.members).toBe(all.length)
    expect(fit.repeatMembers).toBe(all.filter((p) => p.x > 0).length)
    expect(fit.holdout!.actual).toBe(all.reduce((s, p) => s + p.holdout, 0))
    const byRepeats = new Map<string, { members: number; actual: number }>()
    for (const p of all) {
      const k = p.x >= 7 ? '7+' : String(p.x)
      const row = byRepeats.get(k) ?? { members: 0, actual: 0 }
      row.members += 1
      row.actual += p.holdout
      byRepeats.set(k, row)
    }
    expect(fit.holdout!.byRepeats.map((r) => [r.repeats, r.members, r.actual])).toEqual(
      ['0', '1', '2', '3', '4', '5', '6', '7+'].map((k) => [k, byRepeats.get(k)!.members, byRepeats.get(k)!.actual]))
  })

  it('gives the parameters a fit on the plain histories gives, to three significant digits', () => {
    const all = [...plain.values()]
    const bg = fitBgNbd(all.map((p) => ({ x: p.x, tx: p.tx, T: p.T })))
    expect([fit.r, fit.alpha, fit.a, fit.b].map(sig3)).toEqual([bg.r, bg.alpha, bg.a, bg.b].map(sig3))
    expect(fit.logLikelihood).toBeCloseTo(bg.logLikelihood, 4)
    const gg = fitGammaGamma(all.filter((p) => p.x > 0 && p.repeatSpend > 0).map((p) => ({ x: p.x, m: p.repeatSpend / p.x })))
    expect('refused' in fit.gammaGamma).toBe(false)
    if ('refused' in fit.gammaGamma) return
    expect([fit.gammaGamma.p, fit.gammaGamma.q, fit.gammaGamma.gamma].map(sig3)).toEqual([gg.p, gg.q, gg.gamma].map(sig3))
  })

  it('expects more holdout purchases of members who bought more often before, as they make', () => {
    const rows = fit.holdout!.byRepeats
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.predicted / rows[i]!.members).toBeGreaterThan(rows[i - 1]!.predicted / rows[i - 1]!.members)
      expect(rows[i]!.actual / rows[i]!.members).toBeGreaterThan(rows[i - 1]!.actual / rows[i - 1]!.members)
    }
  })

  it('refuses a holdout that ends before the calibration end, and a calibration end before any purchase', async () => {
    await expect(t.services.clv.fit(t.actors.hq_admin, { calibrationEnd: shift(CALIBRATION_END), holdoutEnd: shift('1997-09-01') }))
      .rejects.toMatchObject({ code: 'CLV_INVALID_INPUT', details: [{ field: 'holdoutEnd' }] })
    await expect(t.services.clv.fit(t.actors.hq_admin, { calibrationEnd: '2024-12-31' }))
      .rejects.toMatchObject({ code: 'CLV_NO_CUSTOMERS' })
  })
})
