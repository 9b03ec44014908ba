import { stringify } from 'csv-stringify/sync'
import { strToU8, zipSync, type Zippable } from 'fflate'
import { neutralizeFormula } from '../members/index.js'

// A person's data as one zip (PIPL: what Patron holds on them): `data.json` with everything, one
// CSV per table for a spreadsheet, and a README saying what each part is. Pure: the caller reads
// the rows (the member-data declarations) and sends the bytes.

export interface PersonalDataFile {
  /** the member's card number when exported (the file's name carries it) */
  cardNo: string
  generatedAt: string
  /** by declaration (the module's kind of history), then by table: rows as stored */
  data: Record<string, Record<string, object[]>>
}

// Stored ciphertext and blind indexes mean nothing to the person: the clear values are in
// members/member_profile. They are left out of the file.
const isOpaque = (column: string) => column.endsWith('_enc') || column.endsWith('_bidx')

const withoutOpaque = (row: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !isOpaque(k)))

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return neutralizeFormula(v)
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return neutralizeFormula(JSON.stringify(v))
}

/** A table's rows as CSV: the columns every row has between them, in the order first seen; a BOM so Excel reads UTF-8. */
export const tableCsv = (rows: readonly Record<string, unknown>[]): string => {
  const columns: string[] = []
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k)
  return `\uFEFF${stringify([columns, ...rows.map((r) => columns.map((c) => cell(r[c])))], { record_delimiter: '\r\n' })}`
}

const README = (f: PersonalDataFile, files: string[]) => `个人信息副本 / Personal data copy
会员卡号 / Card: ${f.cardNo}
生成时间 / Generated (UTC): ${f.generatedAt}

本文件包含本系统保存的与您有关的全部个人信息（《个人信息保护法》第四十五条）：
会员资料（已解密）、同意记录及其历史、小票及商品明细、积分流水、优惠券、礼品订单、抽奖记录、
消息记录、营销旅程、投诉与建议、问卷答复等。data.json 为完整数据；每张表另有一份 CSV，可用 Excel 打开。
加密存储的密文与检索索引不包含在内，其明文见 members/member_profile。

This file holds everything Patron keeps about you (PIPL art. 45): your member profile (decrypted),
consents and their history, receipts and their lines, the points ledger, coupons, gift orders, draw
entries, messages, journeys, complaints and suggestions, survey answers. data.json has it all; each
table is also a CSV for a spreadsheet. Stored ciphertext and search indexes are left out; their clear
values are in members/member_profile.

${files.join('\n')}
`

/** The zip's bytes: README.txt, data.json and <kind>/<table>.csv for every table that has rows. */
export const personalDataZip = (f: PersonalDataFile): Uint8Array => {
  const data: Record<string, Record<string, Record<string, unknown>[]>> = {}
  const entries: Zippable = {}
  const files: string[] = ['data.json']
  for (const [kind, tables] of Object.entries(f.data)) {
    data[kind] = {}
    for (const [table, rows] of Object.entries(tables)) {
      const clean = rows.map(withoutOpaque)
      data[kind][table] = clean
      if (clean.length === 0) continue
      const name = `${kind}/${table}.csv`
      entries[name] = strToU8(tableCsv(clean))
      files.push(`${name} (${clean.length})`)
    }
  }
  entries['data.json'] = strToU8(JSON.stringify({ cardNo: f.cardNo, generatedAt: f.generatedAt, data }, null, 2))
  entries['README.txt'] = strToU8(README(f, files))
  return zipSync(entries, { level: 6, mtime: new Date(f.generatedAt) })
}
