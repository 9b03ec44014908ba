import { decimalToUnits, readCsvGz } from './csv.js'
import { londonToUtc, shanghaiDate } from './time.js'

// UCI Online Retail (../shared/data/online_retail_uci, see its README), read and reduced to the
// receipts Patron's import of it posts — by the import's documented rules, written out again
// here rather than by calling it:
// - a row is refused when its price is negative or finer than a fen (the import does not guess);
// - an invoice whose number starts with C is a cancellation, posted as a return of its pieces
//   (|Quantity|), not linked to a sale (the file does not say which);
// - lines of quantity 0 or price 0 are left out, and an invoice with nothing else is an
//   adjustment with nothing to post; a negative quantity on a sale invoice is refused (a stock
//   adjustment, not a sale);
// - the invoice's customer is the first CustomerID on it; an invoice without one is a
//   non-member's receipt;
// - a sale of more than 500 lines is posted in parts of 500 (a till receipt's limit), each a
//   receipt of its own (so it counts as ⌈lines/500⌉ receipts).
// Times are UK wall clock; the business date is the date in the chain's zone (Asia/Shanghai).

export const UCI_PATH = 'online_retail_uci/online_retail.csv.gz'
/** Lines per posted receipt (MAX_LINES of the till). */
export const PART_LINES = 500

export interface UciReceipt {
  invoice: string
  kind: 'sale' | 'return'
  customer: string | null
  /** ISO UTC */
  at: string
  /** business date in Asia/Shanghai */
  date: string
  /** fen: Σ |Quantity| × UnitPrice of the kept lines */
  total: number
}

export interface UciData {
  rows: number
  /** the README's reference population: customer → gross spend in 1/1000 £ (non-C lines, customer known) */
  grossByCustomer: Map<string, number>
  /** the receipts posted (parts of a long sale are receipts of their own) */
  receipts: UciReceipt[]
  /** invoices with nothing to post (every line of quantity 0 or price 0) */
  skipped: number
  /** invoices none of whose lines could be posted */
  failed: number
}

let cached: UciData | null = null

/** Reads the file once per process. */
export const readUci = (): UciData => {
  if (cached) return cached
  const csv = readCsvGz(UCI_PATH)
  const [cInv, cQty, cDate, cPrice, cCust] = ['InvoiceNo', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'].map(csv.col) as [number, number, number, number, number]
  const grossByCustomer = new Map<string, number>()
  const receipts: UciReceipt[] = []
  let skipped = 0
  let failed = 0

  // Invoices in the order they first appear, each with its rows.
  const invoices = new Map<string, string[][]>()
  for (const r of csv.rows) {
    const inv = r[cInv]!
    const customer = r[cCust]!
    if (!inv.startsWith('C') && customer !== '') {
      grossByCustomer.set(customer, (grossByCustomer.get(customer) ?? 0) + Number(r[cQty]) * decimalToUnits(r[cPrice]!, 3)!)
    }
    const list = invoices.get(inv)
    if (list) list.push(r)
    else invoices.set(inv, [r])
  }

  for (const [inv, rows] of invoices) {
    const kind = inv.startsWith('C') ? 'return' : 'sale'
    // Rows the import refuses on their own: a price it cannot take in fen.
    const usable = rows.flatMap((r) => {
      const price = decimalToUnits(r[cPrice]!, 2)
      return price === null || price < 0 ? [] : [{ qty: Number(r[cQty]), price, customer: r[cCust]!, when: r[cDate]! }]
    })
    if (usable.length === 0) { failed++; continue }
    if (usable.every((r) => r.qty === 0 || r.price === 0)) { skipped++; continue }
    const kept = usable.filter((r) => r.qty !== 0 && r.price !== 0 && (kind === 'return' || r.qty > 0))
    if (kept.length === 0) { failed++; continue }
    const customers = new Set(usable.map((r) => r.customer).filter((c) => c !== ''))
    if (customers.size > 1) throw new Error(`invoice ${inv} names ${customers.size} customers: the model does not cover that`)
    const at = londonToUtc(kept[0]!.when)
    for (let i = 0; i < kept.length; i += PART_LINES) {
      receipts.push({
        invoice: inv, kind, customer: [...customers][0] ?? null, at: at.toISOString(), date: shanghaiDate(at),
        total: kept.slice(i, i + PART_LINES).reduce((a, r) => a + Math.abs(r.qty) * r.price, 0),
      })
    }
  }
  cached = { rows: csv.rows.length, grossByCustomer, receipts, skipped, failed }
  return cached
}
