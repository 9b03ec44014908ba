import { describe, expect, it } from 'vitest'
import { validateSale, type ReturnInput, type SaleInput } from '../modules/transactions/index.js'
import { demoMembers, demoStores } from './demo-data.js'
import { springFestival } from './demo-calendar.js'
import { demoProducts } from './demo-products.js'
import { personaOf, planDemoReceipts, type DemoReceipt, type DemoReceiptsOptions, type Persona } from './demo-receipts.js'

const END = '2026-03-01T00:00:00.000Z'
const products = demoProducts({ seed: 1 })
const productBySku = new Map(products.map((p) => [p.sku, p]))
const members = [...demoMembers({ count: 2000, seed: 1, referenceDate: END })]
const options: DemoReceiptsOptions = { seed: 1, products, members, stores: demoStores(), sales: 20_000, end: END }
const generated = [...planDemoReceipts(options).receipts()]
const sales = generated.filter((r): r is Extract<DemoReceipt, { type: 'sale' }> => r.type === 'sale')
const returns = generated.filter((r): r is Extract<DemoReceipt, { type: 'return' }> => r.type === 'return')

/** Local (UTC+8) date and hour of an instant. */
const local = (iso: string) => {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000)
  return { date: d.toISOString().slice(0, 10), hour: d.getUTCHours(), weekday: d.getUTCDay() }
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('planDemoReceipts', () => {
  it('makes the same receipts for the same seed, and others for another seed', () => {
    const small = { ...options, members: members.slice(0, 300), sales: 2000 }
    const totals = (o: DemoReceiptsOptions) => [...planDemoReceipts(o).receipts()].map((r) => `${r.input.receiptNo} ${r.type === 'sale' ? r.input.total : 'return'}`)
    const first = totals(small)
    expect(first.length).toBeGreaterThan(2000)
    expect(totals(small)).toEqual(first)
    expect(totals({ ...small, seed: 2 })).not.toEqual(first)
  })

  it('makes about the sales asked for, in business-time order, numbered uniquely per store', () => {
    expect(sales.length).toBeGreaterThan(19_500)
    expect(sales.length).toBeLessThanOrEqual(20_100)
    const times = generated.map((r) => r.input.businessAt)
    expect([...times].sort()).toEqual(times)
    expect(new Set(generated.map((r) => `${r.storeCode}/${r.input.receiptNo}`)).size).toBe(generated.length)
    expect(times[0]! >= '2025-02-28T16:00:00.000Z').toBe(true)
    expect(times.at(-1)! < END).toBe(true)
  })

  it('writes sales that add up to the fen, within opening hours 08:00–22:00', () => {
    const now = new Date(END)
    const wrong = sales.filter((s) => validateSale(s.input, now, 1).details.length > 0)
    expect(wrong.slice(0, 3)).toEqual([])
    const hours = new Set(sales.map((s) => local(s.input.businessAt).hour))
    expect(Math.min(...hours)).toBe(8)
    expect(Math.max(...hours)).toBe(21)
    const lines = sales.map((s) => s.input.lines.length)
    expect(Math.min(...lines)).toBe(1)
    expect(Math.max(...lines)).toBeLessThanOrEqual(15)
    const weighed = sales.flatMap((s) => s.input.lines).filter((l) => l.unit === 'g')
    expect(weighed.length).toBeGreaterThan(1000)
    expect(weighed.every((l) => productBySku.get(l.sku)!.soldByWeight)).toBe(true)
  })

  it('leaves about 40% of the sales without a member', () => {
    const share = sales.filter((s) => s.member === null).length / sales.length
    expect(share).toBeGreaterThan(0.35)
    expect(share).toBeLessThan(0.45)
  })

  it('returns 1–2% of the sales, whole or in part, one to ten days later at the same store', () => {
    const rate = returns.length / sales.length
    expect(rate).toBeGreaterThan(0.008)
    expect(rate).toBeLessThan(0.025)
    const byNo = new Map(sales.map((s) => [`${s.storeCode}/${s.input.receiptNo}`, s]))
    let partial = 0
    for (const r of returns) {
      const sale = byNo.get(`${r.storeCode}/${(r.input as ReturnInput).originalReceiptNo}`)!
      const days = (Date.parse(r.input.businessAt) - Date.parse(sale.input.businessAt)) / 86_400_000
      expect(days).toBeGreaterThan(0)
      expect(days).toBeLessThan(11)
      expect(r.member).toBe(sale.member)
      const lines = (r.input as ReturnInput).lines
      if (!lines) continue
      partial++
      for (const l of lines) expect(l.quantity).toBeLessThanOrEqual(sale.input.lines[l.originalLineNo! - 1]!.quantity)
    }
    expect(partial).toBeGreaterThan(returns.length * 0.4)
    expect(partial).toBeLessThan(returns.length * 0.8)
  })

  it('is busier at weekends than on weekdays, and busiest in the week before the Spring Festival', () => {
    const perDay = new Map<string, number>()
    for (const s of sales) perDay.set(local(s.input.businessAt).date, (perDay.get(local(s.input.businessAt).date) ?? 0) + 1)
    const average = (keep: (date: string) => boolean) => {
      const days = [...perDay].filter(([d]) => keep(d))
      return sum(days.map(([, n]) => n)) / days.length
    }
    const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay()
    const weekend = average((d) => weekday(d) === 0 || weekday(d) === 6)
    const workday = average((d) => weekday(d) >= 1 && weekday(d) <= 5)
    expect(weekend).toBeGreaterThan(workday * 1.15)
    const festival = springFestival(2026)
    const before = (d: string) => d < festival && Date.parse(festival) - Date.parse(d) <= 7 * 86_400_000
    expect(average(before)).toBeGreaterThan(average(() => true) * 1.4)
  })

  it('lets a minority of members make most of the spend, and leaves many with no receipt', () => {
    const spend = new Array<number>(members.length).fill(0)
    for (const s of sales) if (s.member !== null) spend[s.member]! += s.input.total
    const sorted = [...spend].sort((a, b) => b - a)
    const top = sum(sorted.slice(0, Math.floor(members.length / 5)))
    expect(top / sum(sorted)).toBeGreaterThan(0.6)
    expect(spend.filter((x) => x === 0).length / members.length).toBeGreaterThan(0.3)
  })

  it('fills baskets by persona: young parents buy baby goods, elders fresh food, students snacks and drinks', () => {
    const share = (keep: (p: Persona) => boolean, departments: string[]) => {
      const lines = sales.filter((s) => s.member !== null && keep(s.persona)).flatMap((s) => s.input.lines)
      return lines.filter((l) => departments.includes(productBySku.get(l.sku)!.department)).length / lines.length
    }
    expect(share((p) => p === 'young_parent', ['母婴'])).toBeGreaterThan(3 * share((p) => p !== 'young_parent', ['母婴']))
    expect(share((p) => p === 'elder', ['生鲜', '粮油副食'])).toBeGreaterThan(1.5 * share((p) => p === 'student', ['生鲜', '粮油副食']))
    expect(share((p) => p === 'student', ['休闲食品', '酒水饮料'])).toBeGreaterThan(1.5 * share((p) => p === 'elder', ['休闲食品', '酒水饮料']))
  })

  it.each([
    [{ birthday: '2004-05-01', occupation: 'student' as const }, 'student'],
    [{ birthday: '1950-05-01', occupation: 'retired' as const }, 'elder'],
    [{ birthday: '1975-05-01', occupation: 'office_worker' as const }, 'family'],
  ])('reads the persona from age and occupation: %o is a %s', (m, persona) => {
    expect(personaOf({ phone: '13800000000', gender: 'female', ...m }, '2026-03-01')).toBe(persona)
  })

  it('pays part of some member receipts with points, in hundreds and at most half the total', () => {
    const withPoints = [...planDemoReceipts(options).receipts(() => 50_000)]
      .filter((r): r is Extract<DemoReceipt, { type: 'sale' }> => r.type === 'sale')
      .filter((s) => s.input.tenders.some((t) => t.kind === 'points'))
    expect(withPoints.length).toBeGreaterThan(300)
    const wrong = withPoints.filter((s) => {
      const points = s.input.tenders.find((t) => t.kind === 'points')!
      const withMember: SaleInput = { ...s.input, member: { id: 'mem_demo' } }
      return s.member === null || points.points! % 100 !== 0 || points.amount * 2 > s.input.total || validateSale(withMember, new Date(END), 1).details.length > 0
    })
    expect(wrong.slice(0, 3)).toEqual([])
  })
})
