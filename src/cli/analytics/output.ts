import { InvalidArgumentError } from 'commander'
/** What a report prints: one JSON document, and the same figures as a table (for table and csv). */
export interface ReportOutput {
  json: unknown
  /** one or more titled tables; csv prints them one after another, separated by a blank line */
  tables: Array<{ title?: string; columns: string[]; rows: Array<Array<string | number | null>> }>
}

export type Format = 'table' | 'json' | 'csv'
export const FORMATS: readonly Format[] = ['table', 'json', 'csv']

const csvCell = (v: string | number | null): string => {
  if (v === null) return ''
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

// East Asian wide characters take two columns in a terminal.
const width = (s: string): number => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0)
const pad = (s: string, n: number, right: boolean) => (right ? ' '.repeat(Math.max(0, n - width(s))) + s : s + ' '.repeat(Math.max(0, n - width(s))))

/** Renders a report in the chosen format (json: exactly one JSON document). */
export const render = (out: ReportOutput, format: Format): string => {
  if (format === 'json') return `${JSON.stringify(out.json, null, 2)}\n`
  if (format === 'csv') {
    return out.tables.map((t) => [t.columns, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\n')).join('\n\n') + '\n'
  }
  return out.tables.map((t) => {
    const cells = [t.columns, ...t.rows].map((r) => r.map((v) => (v === null ? '—' : String(v))))
    const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))))
    const numeric = t.columns.map((_, i) => t.rows.length > 0 && t.rows.every((r) => r[i] === null || typeof r[i] === 'number'))
    const lines = cells.map((r) => r.map((v, i) => pad(v, widths[i]!, numeric[i]!)).join('  ').trimEnd())
    lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '))
    return (t.title ? `${t.title}\n` : '') + lines.join('\n')
  }).join('\n\n') + '\n'
}

/** A whole-number option from `min` to `max` (undefined when not given); anything else is refused naming the option. */
export const wholeNumber = (name: string, v: unknown, min: number, max: number): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`)
  return n
}
