import type { Purchase } from '../../src/modules/analytics/recommendations/recommender.js'
import { readCsvGz } from './csv.js'
import { londonToUtc, newYorkToUtc, shanghaiDate } from './time.js'

// The purchases of the two real data sets with repeat customers, as the recommendation holdout
// check reads them: who bought which product on which basket, and the basket's business date.

let uci: Purchase[] | null = null
let cj: Purchase[] | null = null

/**
 * UCI Online Retail: the lines of sale invoices (not C…) with a customer, a quantity above 0 and
 * a price above 0 — what a member bought. A StockCode is a product (POST and the like included:
 * the import makes them products too).
 */
export const uciPurchases = (): Purchase[] => {
  if (uci) return uci
  const csv = readCsvGz('online_retail_uci/online_retail.csv.gz')
  const [cInv, cCode, cQty, cDate, cPrice, cCust] = ['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'].map(csv.col) as [number, number, number, number, number, number]
  const dates = new Map<string, string>()
  uci = []
  for (const r of csv.rows) {
    const invoice = r[cInv]!
    if (invoice.startsWith('C') || r[cCust] === '' || !(Number(r[cQty]) > 0) || !(Number(r[cPrice]) > 0)) continue
    let date = dates.get(invoice)
    if (date === undefined) dates.set(invoice, (date = shanghaiDate(londonToUtc(r[cDate]!))))
    uci.push({ member: r[cCust]!, basket: invoice, date, item: r[cCode]! })
  }
  return uci
}

/**
 * The Complete Journey's transaction sample: every line of value above 0 with its household,
 * basket and product. The sample is a random draw of lines, so a basket is part of what was bought.
 */
export const cjPurchases = (): Purchase[] => {
  if (cj) return cj
  const tx = readCsvGz('complete_journey_8451/transactions_sample.csv.gz')
  const [tH, tB, tP, tV, tT] = ['household_id', 'basket_id', 'product_id', 'sales_value', 'transaction_timestamp'].map(tx.col) as [number, number, number, number, number]
  cj = []
  for (const r of tx.rows) {
    if (!(Number(r[tV]) > 0)) continue
    cj.push({ member: r[tH]!, basket: r[tB]!, date: shanghaiDate(newYorkToUtc(r[tT]!)), item: r[tP]! })
  }
  return cj
}
