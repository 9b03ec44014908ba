import { createHash } from 'node:crypto'
import { unprocessable } from '../../shared/errors.js'
import { parseLocalDateTime } from '../../shared/time.js'
import { skuProblem } from '../catalog/index.js'
import { isValidCardNo, normalizePhone } from '../members/index.js'
import { checkBusinessAt, MAX_LINES, type LineInput, type ReturnInput, type ReturnLineInput, type SaleInput, type TenderInput } from './receipt-rules.js'
import type { TenderKind } from './receipts.table.js'

// Pure rules of the receipt import: the mapping, one CSV row, and the receipts a group of rows
// makes. No I/O.

export const RECEIPT_IMPORT_FIELDS = [
  'receipt_no', 'store', 'business_at', 'sku', 'name', 'quantity', 'unit_price', 'discount', 'amount', 'member', 'kind', 'till', 'cashier', 'tender',
] as const
export type ReceiptImportField = (typeof RECEIPT_IMPORT_FIELDS)[number]
const REQUIRED: readonly ReceiptImportField[] = ['receipt_no', 'business_at', 'sku', 'quantity', 'unit_price']

/** CSV column → field. */
export type ReceiptImportMapping = Record<string, ReceiptImportField>

export const MEMBER_KEYS = ['auto', 'phone', 'card', 'external'] as const
export type MemberKeyKind = (typeof MEMBER_KEYS)[number]

export interface ReceiptImportRowError {
  line: number
  column: string
  value: string
  reason: string
}

const mappingError = (reason: string) => unprocessable('IMPORT_MAPPING_INVALID', [{ field: 'mapping', reason }])

/** Parses `col=field,col2=field2`; column names may hold spaces but not `,` or `=`. */
export const parseReceiptMapping = (text: string): ReceiptImportMapping => {
  const mapping: ReceiptImportMapping = {}
  const used = new Set<string>()
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=')
    const column = part.slice(0, eq).trim()
    const field = part.slice(eq + 1).trim()
    if (eq <= 0 || !column || !field) throw mappingError(`"${part}" is not column=field`)
    if (!(RECEIPT_IMPORT_FIELDS as readonly string[]).includes(field)) throw mappingError(`unknown field "${field}"; fields are ${RECEIPT_IMPORT_FIELDS.join(', ')}`)
    if (used.has(field)) throw mappingError(`field "${field}" is mapped twice`)
    if (mapping[column]) throw mappingError(`column "${column}" is mapped twice`)
    used.add(field)
    mapping[column] = field as ReceiptImportField
  }
  const missing = REQUIRED.filter((f) => !used.has(f))
  if (missing.length) throw mappingError(`map a column to ${missing.join(', ')} (required: ${REQUIRED.join(', ')})`)
  return mapping
}

const MONEY = /^([+-])?[¥￥£$]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/

/** Yuan with decimals → signed fen, exactly (string arithmetic), or why not. */
export const parseYuanSigned = (raw: string): number | string => {
  const m = MONEY.exec(raw)
  if (!m) return 'not an amount in yuan (e.g. 12.50)'
  const decimals = m[3] ?? ''
  if (decimals.length > 2 && /[^0]/.test(decimals.slice(2))) return 'finer than a fen (at most 2 decimals)'
  const fen = Number(m[2]!.replace(/,/g, '')) * 100 + Number(decimals.slice(0, 2).padEnd(2, '0'))
  if (!Number.isSafeInteger(fen) || fen > 1_000_000_000) return 'too large'
  return m[1] === '-' ? -fen : fen
}

// Maps, not objects: a cell reading "constructor" must not find Object's.
const KIND_WORDS = new Map<string, 'sale' | 'return'>(Object.entries({
  sale: 'sale', s: 'sale', sell: 'sale', '销售': 'sale', '消费': 'sale',
  return: 'return', r: 'return', refund: 'return', '退货': 'return', '退款': 'return',
} as const))

const TENDER_WORDS = new Map<string, TenderKind>(Object.entries({
  cash: 'cash', '现金': 'cash',
  bank_card: 'bank_card', card: 'bank_card', 'bank card': 'bank_card', '银行卡': 'bank_card', '刷卡': 'bank_card',
  wechat_pay: 'wechat_pay', wechat: 'wechat_pay', '微信': 'wechat_pay', '微信支付': 'wechat_pay',
  alipay: 'alipay', '支付宝': 'alipay',
  coupon: 'coupon', '券': 'coupon', '优惠券': 'coupon',
  stored_value: 'stored_value', '储值': 'stored_value', '储值卡': 'stored_value',
  other: 'other', '其他': 'other',
} as const))

/** One usable CSV row: a line of a receipt. Quantity and amount keep the file's sign. */
export interface ImportRow {
  line: number
  businessAt: string
  sku: string
  name: string | null
  quantity: number
  unitPrice: number
  discount: number
  amount: number | null
  member: string | null
  kind: 'sale' | 'return' | null
  till: string | null
  cashier: string | null
  tender: TenderKind
}

export interface RowContext {
  /** field → its CSV column */
  columns: Partial<Record<ReceiptImportField, string>>
  /** store code → id */
  stores: ReadonlyMap<string, string>
  defaultStoreId: string | null
  /** business time text → ISO instant, or why not */
  parseTime: (text: string) => string | { reason: string }
}

export type RowOutcome =
  | { key: null; errors: ReceiptImportRowError[] }
  | { key: string; storeId: string; receiptNo: string; row: ImportRow | null; errors: ReceiptImportRowError[] }

const RECEIPT_NO = /^[A-Za-z0-9][A-Za-z0-9_\-./#]{0,63}$/
const INTEGER = /^[+-]?\d+$/
const MAX_QUANTITY = 100_000
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/

/**
 * parseLocalDateTime with its checks, for millions of rows: a zone's offset is the same through
 * an hour (transitions fall on the hour), so it is worked out once per local hour; an hour in
 * which the offset changes is parsed in full, time by time. Results are remembered by text.
 */
export const timeParser = (timezone: string, now: Date) => {
  const byText = new Map<string, string | { reason: string }>()
  const hourOffset = new Map<string, number | null>()
  const NOT_A_TIME = { reason: 'not a date-time (YYYY-MM-DD HH:MM[:SS], or ISO-8601 with a zone)' }
  const full = (text: string) => parseLocalDateTime(text, timezone)
  const offsetOf = (day: string, hour: string): number | null => {
    const key = `${day} ${hour}`
    let offset = hourOffset.get(key)
    if (offset === undefined) {
      const start = full(`${key}:00:00`)
      const end = full(`${key}:59:59`)
      const wall = Date.parse(`${day}T${hour}:00:00Z`)
      offset = start && end && end.getTime() - start.getTime() === 3_599_000 ? wall - start.getTime() : null
      if (hourOffset.size > 50_000) hourOffset.clear()
      hourOffset.set(key, offset)
    }
    return offset
  }
  return (text: string): string | { reason: string } => {
    let parsed = byText.get(text)
    if (parsed !== undefined) return parsed
    let instant: Date | null
    const m = LOCAL_TIME.exec(text)
    if (m && m[3]! <= '59' && (m[4] ?? '00') <= '59') {
      const offset = offsetOf(m[1]!, m[2]!)
      instant = offset === null ? full(text) : new Date(Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}Z`) - offset)
    } else {
      instant = full(text)
    }
    const problem = instant ? checkBusinessAt(instant.toISOString(), now) : null
    parsed = !instant ? NOT_A_TIME : problem ? { reason: problem.reason } : instant.toISOString()
    if (byText.size > 10_000) byText.clear()
    byText.set(text, parsed)
    return parsed
  }
}

const raw = (record: Record<string, string>, column: string | undefined): string => {
  const v = column === undefined ? undefined : record[column]
  return typeof v === 'string' ? v : ''
}
const cell = (record: Record<string, string>, column: string | undefined): string => raw(record, column).trim()

const problem = (errors: ReceiptImportRowError[], record: Record<string, string>, line: number, column: string | undefined, reason: string) => {
  errors.push({ line, column: column ?? '', value: raw(record, column).slice(0, 200), reason })
}

/** A money cell in fen, or null (empty, or refused with a problem). */
const moneyCell = (errors: ReceiptImportRowError[], record: Record<string, string>, line: number, column: string | undefined, optional: boolean, signed: boolean): number | null => {
  const text = cell(record, column)
  if (text === '') {
    if (!optional) problem(errors, record, line, column, 'required')
    return null
  }
  const fen = parseYuanSigned(text)
  if (typeof fen === 'string') problem(errors, record, line, column, fen)
  else if (fen < 0 && !signed) problem(errors, record, line, column, 'negative')
  else return fen
  return null
}

const TENDER_NAMES = [...TENDER_WORDS.keys()].filter((w) => /^[a-z_]+$/.test(w)).join(', ')

/**
 * Reads one row. A row without a usable receipt number or store cannot join a receipt (key
 * null); any other problem keeps its key, so the receipt knows it lost a row, but no row.
 */
export const parseRow = (record: Record<string, string>, line: number, ctx: RowContext): RowOutcome => {
  const errors: ReceiptImportRowError[] = []
  const c = ctx.columns
  const receiptNo = cell(record, c.receipt_no)
  if (!receiptNo) problem(errors, record, line, c.receipt_no, 'required')
  else if (!RECEIPT_NO.test(receiptNo)) problem(errors, record, line, c.receipt_no, '1–64 letters, digits or _-./#, starting with a letter or digit')
  const storeCode = cell(record, c.store)
  let storeId = ctx.defaultStoreId
  if (storeCode) {
    storeId = ctx.stores.get(storeCode) ?? null
    if (!storeId) problem(errors, record, line, c.store, 'no store with this code')
  } else if (!storeId) {
    problem(errors, record, line, c.store, c.store ? 'required (or give a default store)' : 'no store: map a store column or give a default store')
  }
  if (errors.length || !storeId) return { key: null, errors }

  const at = cell(record, c.business_at)
  const businessAt = at ? ctx.parseTime(at) : { reason: 'required' }
  if (typeof businessAt !== 'string') problem(errors, record, line, c.business_at, businessAt.reason)
  const sku = cell(record, c.sku)
  const skuWhy = skuProblem(sku)
  if (skuWhy) problem(errors, record, line, c.sku, skuWhy)
  const qtyText = cell(record, c.quantity)
  const quantity = INTEGER.test(qtyText) ? Number(qtyText) : Number.NaN
  if (Number.isNaN(quantity)) problem(errors, record, line, c.quantity, 'not a whole number')
  else if (Math.abs(quantity) > MAX_QUANTITY) problem(errors, record, line, c.quantity, `more than ${MAX_QUANTITY.toLocaleString('en-US')} pieces`)
  const unitPrice = moneyCell(errors, record, line, c.unit_price, false, false)
  const discount = moneyCell(errors, record, line, c.discount, true, false) ?? 0
  const amount = moneyCell(errors, record, line, c.amount, true, true)
  const kindText = cell(record, c.kind)
  const kind = kindText ? KIND_WORDS.get(kindText.toLowerCase()) ?? null : null
  if (kindText && !kind) problem(errors, record, line, c.kind, 'sale or return (销售/退货)')
  const tenderText = cell(record, c.tender)
  const tender = tenderText ? TENDER_WORDS.get(tenderText.toLowerCase()) ?? null : 'cash'
  if (tenderText && !tender) {
    problem(errors, record, line, c.tender, ['points', '积分'].includes(tenderText.toLowerCase())
      ? 'points payments cannot be imported (they need the balance the member had then)'
      : `one of ${TENDER_NAMES}`)
  }
  const till = cell(record, c.till) || null
  if (till && till.length > 32) problem(errors, record, line, c.till, 'longer than 32 characters')
  const cashier = cell(record, c.cashier) || null
  if (cashier && cashier.length > 64) problem(errors, record, line, c.cashier, 'longer than 64 characters')

  const key = `${storeId}\u0000${receiptNo}`
  if (errors.length) return { key, storeId, receiptNo, row: null, errors }
  return {
    key, storeId, receiptNo, errors,
    row: {
      line, businessAt: businessAt as string, sku, name: cell(record, c.name) || null, quantity, unitPrice: unitPrice!, discount, amount,
      member: cell(record, c.member) || null, kind, till, cashier, tender: tender!,
    },
  }
}

/** The rows of one receipt number in one store, as read so far. */
export interface ReceiptGroup {
  storeId: string
  receiptNo: string
  firstLine: number
  rows: ImportRow[]
  /** rows of this receipt refused on their own (already reported) */
  badRows: number
}

export type MemberKey = { kind: 'card' | 'phone' | 'external'; value: string }

/** How a member cell names a member; auto: a valid card number, else a mobile number, else an external code. */
export const memberKeyOf = (raw: string, kind: MemberKeyKind): MemberKey | string => {
  const compact = raw.replace(/\s/g, '')
  if (kind === 'card' || (kind === 'auto' && isValidCardNo(compact))) {
    return isValidCardNo(compact) ? { kind: 'card', value: compact } : 'not a Patron card number (check digit wrong)'
  }
  const phone = kind === 'phone' || kind === 'auto' ? normalizePhone(raw) : null
  if (phone) return { kind: 'phone', value: phone }
  if (kind === 'phone') return 'not a mainland China mobile number'
  return raw.length > 64 ? 'an external member code of at most 64 characters' : { kind: 'external', value: raw }
}

export interface BuiltLine {
  line: number
  sku: string
  name: string | null
  /** pieces, positive (a return's are the pieces taken back) */
  quantity: number
  unitPrice: number
  discount: number
  amount: number
  tender: TenderKind
}

/** A receipt ready to post once its member is known. */
export interface BuiltReceipt {
  kind: 'sale' | 'return'
  storeId: string
  receiptNo: string
  businessAt: string
  member: MemberKey | null
  firstLine: number
  till: string | null
  cashier: string | null
  lines: BuiltLine[]
}

export interface BuildOptions {
  columns: Partial<Record<ReceiptImportField, string>>
  returnPrefix: string
  memberKey: MemberKeyKind
}

export interface BuildResult {
  receipts: BuiltReceipt[]
  errors: ReceiptImportRowError[]
  /** skipped: nothing to post (every line is 0); failed: no line could be posted */
  outcome: 'post' | 'skipped' | 'failed'
}

/**
 * Turns a group of rows into the receipts to post. A return (its number starts with the return
 * prefix, or its kind says so) stands alone: its quantities count as pieces taken back, whatever
 * their sign. On a sale, a negative quantity is refused. Lines of quantity or price 0 are refused
 * unless every line is, when the receipt is an adjustment with nothing to post. More than
 * MAX_LINES lines are posted as parts numbered NO, NO/2, NO/3…
 */
export const buildReceipts = (group: ReceiptGroup, o: BuildOptions): BuildResult => {
  const errors: ReceiptImportRowError[] = []
  const err = (line: number, f: ReceiptImportField | '', value: string, reason: string) =>
    errors.push({ line, column: f ? o.columns[f] ?? '' : '', value, reason })
  const first = group.rows[0]
  if (!first) return { receipts: [], errors, outcome: 'failed' }
  const kind = group.rows.find((r) => r.kind !== null)?.kind ?? (o.returnPrefix !== '' && group.receiptNo.startsWith(o.returnPrefix) ? 'return' : 'sale')

  const nonZero = group.rows.filter((r) => r.quantity !== 0 && r.unitPrice !== 0)
  if (nonZero.length === 0) {
    err(group.firstLine, 'receipt_no', group.receiptNo, 'receipt skipped: every line has quantity 0 or price 0 (an adjustment, nothing to post)')
    return { receipts: [], errors, outcome: 'skipped' }
  }
  const lines: BuiltLine[] = []
  const memberOf = group.rows.find((r) => r.member !== null)
  for (const r of group.rows) {
    if (r.quantity === 0) { err(r.line, 'quantity', '0', 'quantity 0 on a receipt with other lines'); continue }
    if (r.unitPrice === 0) { err(r.line, 'unit_price', '0', 'price 0 on a receipt with other lines'); continue }
    if (kind === 'sale' && r.quantity < 0) {
      err(r.line, 'quantity', String(r.quantity), 'negative quantity on a sale (a return needs its own receipt number)')
      continue
    }
    if (r.kind !== null && r.kind !== kind) { err(r.line, 'kind', r.kind, `a ${r.kind} line on a ${kind} receipt`); continue }
    if (r.member !== null && r.member !== memberOf!.member) {
      err(r.line, 'member', r.member, `another member than line ${memberOf!.line} of the same receipt`)
      continue
    }
    const quantity = Math.abs(r.quantity)
    const amount = quantity * r.unitPrice - r.discount
    if (amount < 0) { err(r.line, 'discount', String(r.discount / 100), 'larger than quantity × price'); continue }
    if (r.amount !== null && Math.abs(r.amount) !== amount) {
      err(r.line, 'amount', String(r.amount / 100), `${(Math.abs(r.amount) / 100).toFixed(2)} but quantity × price − discount is ${(amount / 100).toFixed(2)}`)
      continue
    }
    lines.push({ line: r.line, sku: r.sku, name: r.name, quantity, unitPrice: r.unitPrice, discount: r.discount, amount, tender: r.tender })
  }
  if (lines.length === 0) return { receipts: [], errors, outcome: 'failed' }

  let member: MemberKey | null = null
  if (memberOf) {
    const key = memberKeyOf(memberOf.member!, o.memberKey)
    if (typeof key === 'string') {
      err(memberOf.line, 'member', memberOf.member!, key)
      return { receipts: [], errors, outcome: 'failed' }
    }
    member = key
  }
  const head = lines[0]!
  const headRow = group.rows.find((r) => r.line === head.line)!
  const receipts: BuiltReceipt[] = []
  for (let i = 0; i < lines.length; i += MAX_LINES) {
    const part = i / MAX_LINES + 1
    const receiptNo = part === 1 ? group.receiptNo : `${group.receiptNo}/${part}`
    if (receiptNo.length > 64) {
      err(lines[i]!.line, 'receipt_no', group.receiptNo, `more than ${MAX_LINES} lines, and too long a number to post them in parts`)
      continue
    }
    receipts.push({
      kind, storeId: group.storeId, receiptNo, businessAt: headRow.businessAt, member, firstLine: lines[i]!.line,
      till: group.rows.find((r) => r.till)?.till ?? null, cashier: group.rows.find((r) => r.cashier)?.cashier ?? null,
      lines: lines.slice(i, i + MAX_LINES),
    })
  }
  return { receipts, errors, outcome: receipts.length ? 'post' : 'failed' }
}

/** The sale as the receipts service takes it: tenders by kind, in the order the lines name them. */
export const toSaleInput = (r: BuiltReceipt, memberId: string | null): SaleInput => {
  const byKind = new Map<TenderKind, number>()
  for (const l of r.lines) byKind.set(l.tender, (byKind.get(l.tender) ?? 0) + l.amount)
  const tenders: TenderInput[] = [...byKind].map(([kind, amount]) => ({ kind, amount }))
  const lines: LineInput[] = r.lines.map((l) => ({
    sku: l.sku, ...(l.name ? { name: l.name.slice(0, 200) } : {}), quantity: l.quantity, unitPrice: l.unitPrice,
    ...(l.discount ? { discount: l.discount } : {}), amount: l.amount,
  }))
  return {
    storeId: r.storeId, receiptNo: r.receiptNo, businessAt: r.businessAt, member: memberId ? { id: memberId } : null,
    ...(r.till ? { till: r.till } : {}), ...(r.cashier ? { cashier: r.cashier } : {}),
    lines, tenders, total: lines.reduce((a, l) => a + l.amount, 0),
  }
}

/** A return without its sale (the export does not say which sale it reverses). */
export const toReturnInput = (r: BuiltReceipt, memberId: string | null): ReturnInput => ({
  storeId: r.storeId, receiptNo: r.receiptNo, businessAt: r.businessAt, originalReceiptNo: null, member: memberId ? { id: memberId } : null,
  ...(r.till ? { till: r.till } : {}), ...(r.cashier ? { cashier: r.cashier } : {}),
  lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount })),
})

/**
 * The digest the receipts service stores with a receipt (payloadHash of the input with the
 * member's id), equal digests meaning the same receipt. Built here in payloadHash's canonical
 * form directly (for what the import builds: no points tenders or references), keys sorted and
 * empty ones left out: its generic walk costs more per line than the rest of the import. The
 * tests hold the two equal.
 */
export const hashOf = (input: SaleInput | ReturnInput, memberId: string | null): string => {
  const q = JSON.stringify
  let json = `{"businessAt":${q(input.businessAt)}`
  if (input.cashier != null) json += `,"cashier":${q(input.cashier)}`
  json += ',"lines":['
  const lines: Array<LineInput | ReturnLineInput> = input.lines ?? []
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as LineInput & ReturnLineInput
    json += `${i ? ',' : ''}{"amount":${l.amount}`
    if (l.discount != null) json += `,"discount":${l.discount}`
    if (l.name != null) json += `,"name":${q(l.name)}`
    json += `,"quantity":${l.quantity},"sku":${q(l.sku)}`
    if (l.unit != null) json += `,"unit":${q(l.unit)}`
    json += `,"unitPrice":${l.unitPrice}}`
  }
  json += ']'
  if (memberId !== null) json += `,"member":${q(memberId)}`
  json += `,"receiptNo":${q(input.receiptNo)},"storeId":${q(input.storeId)}`
  if ('tenders' in input) json += `,"tenders":[${input.tenders.map((t) => `{"amount":${t.amount},"kind":${q(t.kind)}}`).join(',')}]`
  if (input.till != null) json += `,"till":${q(input.till)}`
  if ('total' in input) json += `,"total":${input.total}`
  return createHash('sha256').update(`${json}}`).digest('base64url').slice(0, 32)
}
