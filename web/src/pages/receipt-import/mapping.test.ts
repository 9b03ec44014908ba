import { describe, expect, it } from 'vitest'
import { receiptMappingIssues, suggestReceiptField, suggestReceiptMapping } from './mapping.js'

const FIELDS = ['receipt_no', 'store', 'business_at', 'sku', 'name', 'quantity', 'unit_price', 'discount', 'amount', 'member', 'kind', 'till', 'cashier', 'tender']

describe('receipt import mapping', () => {
  it('matches the headers of common POS exports', () => {
    const cases: Record<string, string | undefined> = {
      '小票号': 'receipt_no', '单号': 'receipt_no', receipt_no: 'receipt_no', '门店编码': 'store', '门店名称': undefined, '交易时间': 'business_at',
      '销售日期': 'business_at', '货号': 'sku', '商品编码': 'sku', SKU: 'sku', '商品名称': 'name', '品名': 'name', '数量': 'quantity', Qty: 'quantity',
      '单价': 'unit_price', '优惠金额': 'discount', '金额': 'amount', '实收金额': 'amount', '会员卡号': 'member', '会员手机号': 'member',
      '销售类型': 'kind', '收银机号': 'till', '收银员': 'cashier', '支付方式': 'tender', '备注': undefined,
    }
    for (const [header, field] of Object.entries(cases)) expect([header, suggestReceiptField(header, FIELDS)]).toEqual([header, field])
  })

  it('suggests each field once, to the first column', () => {
    expect(suggestReceiptMapping(['单号', '小票号', '金额'], FIELDS)).toEqual({ '单号': 'receipt_no', '小票号': undefined, '金额': 'amount' })
  })

  it('names what the server would refuse', () => {
    expect(receiptMappingIssues({ a: 'receipt_no', b: 'sku' })).toEqual([{ kind: 'missing', fields: ['business_at', 'quantity', 'unit_price'] }])
    expect(receiptMappingIssues({ a: 'receipt_no', b: 'receipt_no', c: 'business_at', d: 'sku', e: 'quantity', f: 'unit_price' })).toEqual([{ kind: 'duplicate', field: 'receipt_no' }])
    expect(receiptMappingIssues({ 'x,y': 'receipt_no', c: 'business_at', d: 'sku', e: 'quantity', f: 'unit_price', g: undefined })).toEqual([{ kind: 'unmappable', column: 'x,y' }])
    expect(receiptMappingIssues({ a: 'receipt_no', c: 'business_at', d: 'sku', e: 'quantity', f: 'unit_price', g: '' })).toEqual([])
  })
})
