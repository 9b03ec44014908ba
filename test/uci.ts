import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'

/** UCI Online Retail (see ../shared/data/README.md beside the project): real invoices with real dirt. */
export const UCI = fileURLToPath(new URL('../../shared/data/online_retail_uci/online_retail.csv.gz', import.meta.url))
export const UCI_MAP = 'InvoiceNo=receipt_no,StockCode=sku,Description=name,Quantity=quantity,InvoiceDate=business_at,UnitPrice=unit_price,CustomerID=member'

/** Writes the header and the first `rows` rows of the UCI file to `file` (the data stays outside the project). */
export const uciSlice = async (rows: number, file: string): Promise<string> => {
  const out = createWriteStream(file)
  const lines = createInterface({ input: createReadStream(UCI).pipe(createGunzip()), crlfDelay: Infinity })
  let n = 0
  for await (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain')
    if (++n > rows) break
  }
  lines.close()
  out.end()
  await once(out, 'finish')
  return file
}
