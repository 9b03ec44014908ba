import { isMappable } from '../member-import/csv.js'

// Which receipt field a POS export's column holds, and what the server would refuse in a
// mapping (receipt-import-rules.ts parseReceiptMapping).

export const REQUIRED_FIELDS = ['receipt_no', 'business_at', 'sku', 'quantity', 'unit_price'] as const

const normalize = (header: string) => header.toLowerCase().replace(/[\s_\-.()（）:：*/]/g, '')

/** Header words → field, the most specific first ("优惠金额" is a discount, not the amount). */
const RULES: Array<{ field: string; exact?: string[]; contains?: string[]; not?: string[] }> = [
  { field: 'store', exact: ['store', 'storecode', 'storeno', 'shop', 'shopcode'], contains: ['门店', '店铺', '店号'], not: ['名称', 'name'] },
  { field: 'receipt_no', exact: ['receiptno', 'receipt', 'receiptnumber', 'ticket', 'ticketno', 'orderno', 'order', 'invoice', 'billno'], contains: ['小票', '单号', '流水号', '票号', '订单号'] },
  { field: 'business_at', exact: ['businessat', 'datetime', 'time', 'date', 'saletime', 'saledate', 'transactiontime', 'createdat'], contains: ['时间', '日期'] },
  { field: 'member', exact: ['member', 'memberno', 'membercode', 'memberid', 'vip', 'vipno', 'cardno', 'card', 'phone', 'mobile'], contains: ['会员', '手机', '卡号'] },
  { field: 'cashier', exact: ['cashier', 'operator', 'cashierid'], contains: ['收银员', '操作员'] },
  { field: 'till', exact: ['till', 'pos', 'posno', 'register', 'tillno'], contains: ['收银机', '机号', '款台', '收银台'] },
  { field: 'tender', exact: ['tender', 'payment', 'paymethod', 'paymentmethod', 'pay', 'paytype'], contains: ['支付', '付款'] },
  { field: 'kind', exact: ['kind', 'type', 'saletype', 'transactiontype'], contains: ['类型', '销退'] },
  { field: 'sku', exact: ['sku', 'itemcode', 'itemno', 'productcode', 'goodscode', 'goodsno', 'plu'], contains: ['货号', '商品编码', '商品代码', '品号', '商品编号'] },
  { field: 'name', exact: ['name', 'productname', 'itemname', 'goodsname', 'description'], contains: ['品名', '商品名', '名称'], not: ['门店'] },
  { field: 'quantity', exact: ['quantity', 'qty', 'count', 'number'], contains: ['数量', '件数'] },
  { field: 'unit_price', exact: ['unitprice', 'price', 'saleprice'], contains: ['单价', '售价', '价格'] },
  { field: 'discount', exact: ['discount', 'discountamount'], contains: ['优惠', '折扣'] },
  { field: 'amount', exact: ['amount', 'total', 'linetotal', 'subtotal', 'lineamount'], contains: ['金额', '小计', '实收'] },
]

/** The field a column header most likely holds, among `fields`, or undefined. */
export const suggestReceiptField = (header: string, fields: readonly string[]): string | undefined => {
  const n = normalize(header)
  if (!n) return undefined
  if (fields.includes(header.trim())) return header.trim()
  return RULES.find((r) => fields.includes(r.field) && !r.not?.some((w) => n.includes(w)) && (r.exact?.includes(n) || r.contains?.some((w) => n.includes(w))))?.field
}

/** A suggestion per column; each field goes to the first column that matches it. */
export const suggestReceiptMapping = (header: readonly string[], fields: readonly string[]): Record<string, string | undefined> => {
  const used = new Set<string>()
  const mapping: Record<string, string | undefined> = {}
  for (const column of header) {
    if (!isMappable(column) || column in mapping) continue
    const field = suggestReceiptField(column, fields.filter((f) => !used.has(f)))
    if (field) used.add(field)
    mapping[column] = field
  }
  return mapping
}

export type ReceiptMappingIssue = { kind: 'missing'; fields: string[] } | { kind: 'duplicate'; field: string } | { kind: 'unmappable'; column: string }

/** What the server would refuse: a field twice, a required field missing, a column it cannot name. */
export const receiptMappingIssues = (mapping: Record<string, string | undefined>): ReceiptMappingIssue[] => {
  const issues: ReceiptMappingIssue[] = []
  const mapped = Object.entries(mapping).filter((e): e is [string, string] => Boolean(e[1]))
  const fields = mapped.map(([, f]) => f)
  for (const field of [...new Set(fields.filter((f, i) => fields.indexOf(f) !== i))]) issues.push({ kind: 'duplicate', field })
  // The mapping text is `column=field,…`: a column holding a comma cannot be named in it.
  for (const [column] of mapped) if (!isMappable(column)) issues.push({ kind: 'unmappable', column })
  const missing = REQUIRED_FIELDS.filter((f) => !fields.includes(f))
  if (missing.length) issues.push({ kind: 'missing', fields: missing })
  return issues
}
