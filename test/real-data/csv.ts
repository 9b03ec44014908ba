import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

// A plain reader for the real data sets beside the project (../shared/data, see its README):
// gunzip the whole file and split it by RFC 4180 (fields quoted only when they hold a comma,
// quote or newline). Deliberately not Patron's import code: the real-data checks compare
// Patron's figures with a computation that shares nothing with it.

/** A file of ../shared/data (the data stays outside the project). */
export const dataFile = (path: string): string => fileURLToPath(new URL(`../../../shared/data/${path}`, import.meta.url))

export interface Csv {
  header: string[]
  rows: string[][]
  /** the column's index, or an error naming it */
  col(name: string): number
}

/** Splits one record that holds quotes (RFC 4180). */
const splitQuoted = (line: string): string[] => {
  const out: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch !== '"') field += ch
      else if (line[i + 1] === '"') { field += '"'; i++ } else quoted = false
    } else if (ch === '"') quoted = true
    else if (ch === ',') { out.push(field); field = '' }
    else field += ch
  }
  out.push(field)
  return out
}

/** An odd number of quotes: the record goes on past this newline (a quoted field holding one). */
const opensQuote = (text: string): boolean => (text.split('"').length - 1) % 2 === 1

/** Parses CSV text: the first row is the header. */
export const parseCsv = (text: string): Csv => {
  const rows: string[][] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!
    if (line.endsWith('\r')) line = line.slice(0, -1)
    if (line === '' && i === lines.length - 1) break
    if (!line.includes('"')) { rows.push(line.split(',')); continue }
    while (opensQuote(line) && i + 1 < lines.length) line += `\n${lines[++i]}`
    rows.push(splitQuoted(line))
  }
  const header = rows.shift() ?? []
  return {
    header,
    rows,
    col: (name) => {
      const i = header.indexOf(name)
      if (i < 0) throw new Error(`no column ${name} (columns: ${header.join(', ')})`)
      return i
    },
  }
}

/** Reads a gzipped CSV of ../shared/data. */
export const readCsvGz = (path: string): Csv => parseCsv(gunzipSync(readFileSync(dataFile(path))).toString('utf8'))

/** Decimal text → an exact integer in units of 10^-scale ("2.55", 2 → 255); null if not a number or finer than the scale. */
export const decimalToUnits = (text: string, scale: number): number | null => {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim())
  if (!m) return null
  const decimals = m[3] ?? ''
  if (decimals.length > scale && /[^0]/.test(decimals.slice(scale))) return null
  const units = Number(m[2]) * 10 ** scale + Number((decimals.slice(0, scale) || '0').padEnd(scale, '0'))
  return m[1] ? -units : units
}
