import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { sheetName, toCsv, xlsxBuffer } from './export.js'

describe('insight table export', () => {
  it('writes CSV with a BOM, CRLF lines, quoted cells where needed and formulas neutralised', () => {
    const csv = toCsv({
      header: ['类别', '会员数', '占比 %'],
      rows: [['重要价值客户', 120, 12.5], ['a "quoted", name', 3, null], ['=HYPERLINK("x")', -4, 0]],
    })
    expect(csv).toBe('\uFEFF类别,会员数,占比 %\r\n重要价值客户,120,12.5\r\n"a ""quoted"", name",3,\r\n"\'=HYPERLINK(""x"")",-4,0\r\n')
  })

  it.each([
    ['RFM 八类客户', 'RFM 八类客户'],
    ['a/b:c*d?[e]\\f', 'a b c d  e  f'],
    ['x'.repeat(40), 'x'.repeat(31)],
    ['', 'Sheet1'],
  ])('names the sheet %j as Excel allows: %j', (title, name) => {
    expect(sheetName(title)).toBe(name)
  })

  it('writes an xlsx workbook with the header and the rows, numbers as numbers', async () => {
    const buffer = await xlsxBuffer({ name: 'rfm', sheet: 'RFM', header: ['类别', '会员数'], rows: [['重要价值客户', 120], ['一般挽留客户', null]] })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(buffer)
    const sheet = workbook.getWorksheet('RFM')!
    expect(sheet.getRow(1).values).toEqual([undefined, '类别', '会员数'])
    expect(sheet.getRow(2).values).toEqual([undefined, '重要价值客户', 120])
    expect(sheet.getRow(3).getCell(1).value).toBe('一般挽留客户')
    expect(sheet.rowCount).toBe(3)
  })
})
