// The insight tables are small (eight classes, five quadrants, six stages): the console builds
// their CSV and xlsx from what it shows, in the user's language, instead of a second server route.

/** A table as exported: header labels and rows of cells (numbers stay numbers in xlsx). */
export interface ExportTable {
  /** the file name without extension, e.g. "rfm-classes-2026-12-04" */
  name: string
  /** the sheet's title in the workbook */
  sheet: string
  header: string[]
  rows: (string | number | null)[][]
}

/**
 * Text a spreadsheet would run as a formula gets a leading apostrophe (as the members export
 * does); names of stores and classes are typed by staff.
 */
export const neutralizeFormula = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)

const csvCell = (value: string | number | null): string => {
  if (value === null) return ''
  const text = typeof value === 'number' ? String(value) : neutralizeFormula(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** RFC 4180 CSV with CRLF line ends and a BOM, so Excel opens the Chinese text as UTF-8. */
export const toCsv = (table: Pick<ExportTable, 'header' | 'rows'>): string =>
  `\uFEFF${[table.header, ...table.rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`

/** Excel limits a sheet's name to 31 characters without []:*?/\ . */
export const sheetName = (title: string): string => title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1'

const save = (blob: Blob, fileName: string) => {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

export const downloadCsv = (table: ExportTable) =>
  save(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }), `${table.name}.csv`)

/** An xlsx workbook of one sheet, bold header, columns as wide as their text; exceljs loads only when someone exports. */
export const xlsxBuffer = async (table: ExportTable): Promise<ArrayBuffer> => {
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet(sheetName(table.sheet))
  sheet.addRow(table.header).font = { bold: true }
  for (const row of table.rows) sheet.addRow(row.map((cell) => cell ?? ''))
  sheet.columns.forEach((column, i) => {
    const widest = Math.max(...[table.header[i] ?? '', ...table.rows.map((r) => String(r[i] ?? ''))].map((v) => [...v].reduce((w, ch) => w + (ch.charCodeAt(0) > 255 ? 2 : 1), 0)))
    column.width = Math.min(40, Math.max(8, widest + 2))
  })
  return workbook.xlsx.writeBuffer() as Promise<ArrayBuffer>
}

export const downloadXlsx = async (table: ExportTable) =>
  save(new Blob([await xlsxBuffer(table)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), `${table.name}.xlsx`)
