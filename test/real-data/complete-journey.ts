import { Readable } from 'node:stream'
import { readCsvGz } from './csv.js'
import { newYorkToUtc, shanghaiDate } from './time.js'

// 84.51° The Complete Journey (../shared/data/complete_journey_8451, see its README): the 801
// households with demographics as members with an income band, the 100,000-line transaction
// sample as their receipts.
//
// Income: the data's yearly household income in US dollars (12 ranges) onto Patron's monthly
// bands (members.types.ts INCOME_BANDS, in thousands of yuan a month): the range's midpoint ÷ 12,
// read on Patron's scale as thousands a month — a scale, not a currency conversion, chosen so
// the bands keep their order and each range lands in one band:
//   Under 15K, 15-24K, 25-34K → below_3k   (midpoints 7.5K, 19.5K, 29.5K → 0.6, 1.6, 2.5 a month)
//   35-49K → 3k_5k (3.5) · 50-74K, 75-99K → 5k_8k (5.2, 7.3) · 100-124K, 125-149K → 8k_12k (9.3, 11.4)
//   150-174K, 175-199K, 200-249K → 12k_20k (13.5, 15.6, 18.7) · 250K+ → 20k_plus
//
// Receipts: a basket is a receipt, its household the member. The sample's `sales_value` is the
// line's total after discounts and its `quantity` is 0 on weighed and voided lines, so each line
// is imported as one piece priced at its sales value (rounded to the cent: the file holds a
// floating-point residue, 4.440892e-16, on two lines). Lines of value 0 are left out by the import
// (and here); a basket with nothing else posts nothing. Times are New York wall clock; the
// business date is the date in the chain's zone (Asia/Shanghai).

export const CJ_INCOME_BANDS: Readonly<Record<string, string>> = {
  'Under 15K': 'below_3k', '15-24K': 'below_3k', '25-34K': 'below_3k',
  '35-49K': '3k_5k',
  '50-74K': '5k_8k', '75-99K': '5k_8k',
  '100-124K': '8k_12k', '125-149K': '8k_12k',
  '150-174K': '12k_20k', '175-199K': '12k_20k', '200-249K': '12k_20k',
  '250K+': '20k_plus',
}

/** Patron's bands in order (as members.types.ts lists them), for the independent comparisons. */
export const BAND_ORDER = ['below_3k', '3k_5k', '5k_8k', '8k_12k', '12k_20k', '20k_plus'] as const

export interface CjBasket {
  basket: string
  household: string
  /** New York wall clock, as in the file */
  wall: string
  /** business date in Asia/Shanghai */
  date: string
  /** the kept lines' values in fen */
  lines: number[]
}

export interface CjData {
  /** household → Patron income band (the 801 with demographics) */
  households: Map<string, string>
  /** baskets with at least one line of value, in the order they first appear */
  baskets: CjBasket[]
  /** baskets whose every line is of value 0 */
  emptyBaskets: number
  /** lines of value 0 */
  zeroLines: number
  /** rows whose basket id is not a receipt number (the import refuses them) */
  badRows: number
}

let cached: CjData | null = null

/** What a receipt number may be (the till's rule, as its API documents it). */
const RECEIPT_NO = /^[A-Za-z0-9][A-Za-z0-9_\-./#]{0,63}$/

export const readCompleteJourney = (): CjData => {
  if (cached) return cached
  const demo = readCsvGz('complete_journey_8451/demographics.csv.gz')
  const [cH, cI] = [demo.col('household_id'), demo.col('income')]
  const households = new Map<string, string>()
  for (const r of demo.rows) {
    const band = CJ_INCOME_BANDS[r[cI]!]
    if (!band) throw new Error(`household ${r[cH]}: income range ${r[cI]} has no band`)
    households.set(r[cH]!, band)
  }

  const tx = readCsvGz('complete_journey_8451/transactions_sample.csv.gz')
  const [tH, tB, tV, tT] = ['household_id', 'basket_id', 'sales_value', 'transaction_timestamp'].map(tx.col) as [number, number, number, number]
  const byBasket = new Map<string, { household: string; wall: string; lines: number[]; zero: number }>()
  let zeroLines = 0
  let badRows = 0
  for (const r of tx.rows) {
    // One basket id is written as R printed it, 4.0128e+10: not a receipt number, refused.
    if (!RECEIPT_NO.test(r[tB]!)) { badRows++; continue }
    const fen = Math.round(Number(r[tV]) * 100)
    const b = byBasket.get(r[tB]!) ?? byBasket.set(r[tB]!, { household: r[tH]!, wall: '', lines: [], zero: 0 }).get(r[tB]!)!
    if (b.household !== r[tH]) throw new Error(`basket ${r[tB]} has two households: the model does not cover that`)
    if (fen === 0) { zeroLines++; b.zero++; continue }
    // The import takes a receipt's time from its first posted line.
    if (b.lines.length === 0) b.wall = r[tT]!
    b.lines.push(fen)
  }
  const baskets: CjBasket[] = []
  let emptyBaskets = 0
  for (const [basket, b] of byBasket) {
    if (b.lines.length === 0) { emptyBaskets++; continue }
    baskets.push({ basket, household: b.household, wall: b.wall, date: shanghaiDate(newYorkToUtc(b.wall)), lines: b.lines })
  }
  cached = { households, baskets, emptyBaskets, zeroLines, badRows }
  return cached
}

/** The members file the members importer reads: external code and income band. */
export const cjMembersCsv = (cj: CjData): Readable =>
  Readable.from([['household_id,income_band', ...[...cj.households].map(([h, band]) => `${h},${band}`)].join('\n') + '\n'])

export const CJ_MEMBERS_MAP = 'household_id=externalCode,income_band=incomeBand'

/**
 * The receipts file the receipts importer reads, one row per line of the sample (zero lines
 * included: the import leaves them out itself), one piece at the line's value, a basket's
 * lines together.
 */
export const cjReceiptsCsv = (): Readable => {
  const tx = readCsvGz('complete_journey_8451/transactions_sample.csv.gz')
  const [tH, tB, tP, tV, tT] = ['household_id', 'basket_id', 'product_id', 'sales_value', 'transaction_timestamp'].map(tx.col) as [number, number, number, number, number]
  // A till's export lists a receipt's lines together; the sample is a random draw of lines, so
  // they are put back together by basket (in the order baskets first appear).
  const byBasket = new Map<string, string[]>()
  for (const r of tx.rows) {
    const line = `${r[tB]},${r[tT]},${r[tP]},1,${(Math.round(Number(r[tV]) * 100) / 100).toFixed(2)},${r[tH]}`
    const lines = byBasket.get(r[tB]!)
    if (lines) lines.push(line)
    else byBasket.set(r[tB]!, [line])
  }
  const out = ['basket_id,transaction_timestamp,product_id,quantity,unit_price,household_id', ...[...byBasket.values()].flat()]
  return Readable.from([`${out.join('\n')}\n`])
}

export const CJ_RECEIPTS_MAP = 'basket_id=receipt_no,transaction_timestamp=business_at,product_id=sku,quantity=quantity,unit_price=unit_price,household_id=member'
