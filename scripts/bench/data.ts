// Generated inputs for `npm run bench`: members, a catalogue, till receipts and a POS export.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { demoProducts, type DemoProduct } from '../../src/demo/demo-products.js'

/** The bench's n-th member's mobile number (unique, valid). */
export const benchPhone = (i: number) => `13${String(i).padStart(9, '0')}`

const write = async (file: string, header: string, rows: (out: (line: string) => Promise<void>) => Promise<void>) => {
  const stream = createWriteStream(file)
  stream.write(header)
  await rows(async (line) => {
    if (!stream.write(line)) await once(stream, 'drain')
  })
  stream.end()
  await once(stream, 'finish')
}

export const MEMBER_CSV_MAPPING = '手机号=phone,姓名=name,性别=gender,会员编号=externalCode,短信=consent.sms'

export const writeMembersCsv = (file: string, rows: number) =>
  write(file, '手机号,姓名,性别,会员编号,短信\n', async (out) => {
    const surnames = '王李张刘陈杨赵黄周吴'
    for (let i = 0; i < rows; i++) {
      await out(`${benchPhone(i)},${surnames[i % 10]}${i % 7 === 0 ? '小明' : '芳'},${i % 2 ? '男' : '女'},B${i},${i % 3 ? '是' : '否'}\n`)
    }
  })

/** What tills sell in the bench: the demo catalogue's goods sold by the piece. */
export const benchProducts = (): DemoProduct[] => demoProducts({ seed: 1 })

const pieces = (products: DemoProduct[]) => products.filter((p) => !p.soldByWeight)

const basket = (goods: DemoProduct[], member: boolean) => {
  const n = 4 + Math.floor(Math.random() * 7)
  const lines = []
  for (let i = 0; i < n; i++) {
    const p = goods[Math.floor(Math.random() * goods.length)]!
    const quantity = 1 + Math.floor(Math.random() * 3)
    const unitPrice = member && p.memberPrice !== null ? p.memberPrice : p.listPrice
    lines.push({ sku: p.sku, quantity, unitPrice, amount: quantity * unitPrice })
  }
  return lines
}

/** Till sales of 4–10 lines, each with a member (by phone) and a unique receipt number. */
export const tillSales = (products: DemoProduct[], members: number, prefix: string) => {
  const goods = pieces(products)
  let n = 0
  return () => {
    const lines = basket(goods, true)
    const total = lines.reduce((a, l) => a + l.amount, 0)
    return {
      receiptNo: `${prefix}-${++n}`,
      businessAt: new Date().toISOString(),
      member: { phone: benchPhone(Math.floor(Math.random() * members)) },
      lines,
      tenders: [{ kind: 'wechat_pay', amount: total }],
      total,
    }
  }
}

export const RECEIPT_CSV_MAPPING = 'receipt_no=receipt_no,store=store,business_at=business_at,sku=sku,quantity=quantity,unit_price=unit_price,member=member'

const two = (n: number) => String(n).padStart(2, '0')

/**
 * A POS export of about `lines` line items (receipts of 4–10 lines over the past year, 60% with a
 * member's phone). Returns the lines and receipts written.
 */
export const writeReceiptsCsv = async (file: string, options: { lines: number; storeCode: string; members: number; products: DemoProduct[] }) => {
  const goods = pieces(options.products)
  let written = 0
  let receipts = 0
  // The year before yesterday, in local (UTC+8) wall-clock time.
  const start = Date.now() - 366 * 86_400_000 + 8 * 3_600_000
  await write(file, 'receipt_no,store,business_at,sku,quantity,unit_price,member\n', async (out) => {
    while (written < options.lines) {
      receipts++
      const at = new Date(start + Math.min(1, receipts / (options.lines / 7)) * 365 * 86_400_000)
      const when = `${at.getUTCFullYear()}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())} ${two(8 + (receipts % 14))}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`
      const member = Math.random() < 0.6 ? benchPhone(Math.floor(Math.random() * options.members)) : ''
      for (const l of basket(goods, member !== '').slice(0, options.lines - written)) {
        await out(`I${receipts},${options.storeCode},${when},${l.sku},${l.quantity},${(l.unitPrice / 100).toFixed(2)},${member}\n`)
        written++
      }
    }
  })
  return { lines: written, receipts }
}
