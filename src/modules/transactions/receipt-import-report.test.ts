import { describe, expect, it } from 'vitest'
import { receiptReportHeader, receiptReportReason } from './receipt-import-report.js'

describe('the receipt import report in the reader\'s language', () => {
  it.each([
    ['required', '必填'],
    ['not a whole number', '不是整数'],
    ['no store with code SH9', '没有编码为 SH9 的门店'],
    ['another member than line 12 of the same receipt', '与同一小票第 12 行的会员不同'],
    ['a return line on a sale receipt', '销售小票上的退货行'],
    ['12.00 but quantity × price − discount is 11.50', '金额 12.00，但 数量 × 单价 − 折扣 为 11.50'],
    ['longer than 64 characters', '超过 64 个字符'],
    ['something new', 'something new'],
  ])('%s → %s', (reason, zh) => {
    expect(receiptReportReason(reason, 'zh-CN')).toBe(zh)
    expect(receiptReportReason(reason, 'en-US')).toBe(reason)
  })

  it('heads the columns in either language', () => {
    expect(receiptReportHeader('zh-CN')).toEqual(['行号', '列', '值', '原因'])
    expect(receiptReportHeader('en-US')).toEqual(['line', 'column', 'value', 'reason'])
  })
})
