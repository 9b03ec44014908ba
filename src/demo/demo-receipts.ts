import type { RuleInput } from '../modules/loyalty/index.js'
import { isoWeekday } from '../modules/loyalty/index.js'
import { membersByBlindIndex, type IncomeBand, type Occupation } from '../modules/members/index.js'
import { storeIdsByCode } from '../modules/org/index.js'
import type { LineInput, ReturnInput, SaleInput, TenderKind } from '../modules/transactions/index.js'
import { findReceiptNosAt, grossOf } from '../modules/transactions/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import { addDays, occasionFactor, occasionsOf, type Occasion } from './demo-calendar.js'
import type { DemoProduct } from './demo-products.js'
import { createRandom, hashSeed, WeightedTable, type Random } from './demo-random.js'

// A year of the demo chain's till receipts, generated lazily in business-time order and posted
// through the real posting path (`receipts.internals.postMany`), so points, tiers and purchase
// aggregates are what the tills would have produced.
//
// The shape: a minority of members make most of the spend (a heavy-tailed visit rate, many
// members dormant); weekends and the weeks before the Spring Festival are busiest; stores open
// 08:00–22:00; each member shops like a persona read from their age and occupation; about 40%
// of receipts have no member; about 1.5% of sales come back (whole or in part) days later.

const DAY_MS = 86_400_000
/** The demo chain is in China: UTC+8 all year. */
const LOCAL_OFFSET_MS = 8 * 3_600_000
const OPENING_HOURS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21] as const
const MAX_VISITS = 150

export const PERSONAS = ['student', 'young_single', 'young_parent', 'family', 'elder'] as const
export type Persona = (typeof PERSONAS)[number]

/** What the receipts need to know of a demo member (a `DemoMember` has it all). */
export interface DemoShopper {
  phone: string
  birthday: string
  gender: 'male' | 'female'
  occupation: Occupation
  incomeBand: IncomeBand | null
  storeCode: string
  registeredAt: string
}

export interface DemoStoreRef {
  code: string
  regionCode: string
}

interface Profile {
  /** share of basket lines by department */
  departments: Record<string, number>
  meanLines: number
  /** weights of the local hours 08…21 */
  hours: readonly number[]
  /** Monday … Sunday */
  weekdays: readonly number[]
  /** visits relative to other members */
  frequency: number
  /** chance to pay part of a receipt with points when the balance allows */
  paysWithPoints: number
  tenders: ReadonlyArray<readonly [TenderKind, number]>
}

const WORKING_WEEK = [0.85, 0.85, 0.95, 0.9, 1.05, 1.4, 1.3]
const MOBILE: ReadonlyArray<readonly [TenderKind, number]> = [['wechat_pay', 52], ['alipay', 33], ['bank_card', 10], ['cash', 5]]

const PROFILES: Record<Persona, Profile> = {
  student: {
    departments: { 生鲜: 8, 粮油副食: 12, 休闲食品: 32, 酒水饮料: 32, 日化清洁: 10, 母婴: 0, 家居: 2, 家电: 0.4, 烟酒: 1.5 },
    meanLines: 3, hours: [1, 1, 2, 4, 6, 4, 4, 5, 7, 8, 9, 8, 6, 3], weekdays: [0.9, 0.9, 0.95, 0.9, 1.1, 1.35, 1.2],
    frequency: 0.6, paysWithPoints: 0.08, tenders: [['wechat_pay', 60], ['alipay', 38], ['cash', 2]],
  },
  young_single: {
    departments: { 生鲜: 14, 粮油副食: 16, 休闲食品: 20, 酒水饮料: 24, 日化清洁: 14, 母婴: 0.5, 家居: 3, 家电: 0.6, 烟酒: 5 },
    meanLines: 4, hours: [2, 2, 2, 3, 5, 3, 2, 2, 3, 6, 10, 11, 9, 5], weekdays: WORKING_WEEK,
    frequency: 0.8, paysWithPoints: 0.1, tenders: MOBILE,
  },
  young_parent: {
    departments: { 生鲜: 20, 粮油副食: 15, 休闲食品: 10, 酒水饮料: 13, 日化清洁: 14, 母婴: 13, 家居: 3, 家电: 0.6, 烟酒: 1.5 },
    meanLines: 7, hours: [2, 4, 7, 6, 3, 3, 4, 5, 6, 8, 8, 7, 5, 2], weekdays: WORKING_WEEK,
    frequency: 1.2, paysWithPoints: 0.2, tenders: MOBILE,
  },
  family: {
    departments: { 生鲜: 28, 粮油副食: 22, 休闲食品: 9, 酒水饮料: 14, 日化清洁: 14, 母婴: 1, 家居: 3, 家电: 0.6, 烟酒: 6 },
    meanLines: 6, hours: [2, 3, 5, 5, 3, 3, 3, 4, 6, 9, 10, 8, 5, 2], weekdays: WORKING_WEEK,
    frequency: 1.2, paysWithPoints: 0.2, tenders: MOBILE,
  },
  elder: {
    departments: { 生鲜: 40, 粮油副食: 28, 休闲食品: 5, 酒水饮料: 9, 日化清洁: 10, 母婴: 1, 家居: 2, 家电: 0.2, 烟酒: 3.5 },
    meanLines: 5, hours: [10, 12, 11, 7, 3, 3, 4, 6, 7, 5, 3, 2, 1, 0.5], weekdays: [1.05, 1, 1.15, 1, 1, 0.95, 0.9],
    frequency: 1.5, paysWithPoints: 0.25, tenders: [['wechat_pay', 45], ['alipay', 20], ['cash', 30], ['bank_card', 5]],
  },
}

/** Who walks in without a member card. */
const WALK_IN: ReadonlyArray<readonly [Persona, number]> = [['young_single', 30], ['family', 30], ['elder', 15], ['student', 15], ['young_parent', 10]]

const ageOn = (birthday: string, date: string): number => {
  const years = Number(date.slice(0, 4)) - Number(birthday.slice(0, 4))
  return date.slice(5, 10) < birthday.slice(5, 10) ? years - 1 : years
}

/**
 * How a member shops, read from their age and occupation. Whether a 25–44-year-old has small
 * children is not on file: it is decided by their phone number, so it never changes.
 */
export const personaOf = (m: Pick<DemoShopper, 'phone' | 'birthday' | 'gender' | 'occupation'>, on: string): Persona => {
  const age = ageOn(m.birthday, on)
  if (m.occupation === 'student' || age < 23) return 'student'
  if (m.occupation === 'retired' || age >= 60) return 'elder'
  const u = hashSeed('parent', m.phone) / 4294967296
  if (age >= 25 && age <= 40) return u < (m.gender === 'female' ? 0.6 : 0.45) ? 'young_parent' : 'young_single'
  if (age >= 41 && age <= 44 && u < 0.2) return 'young_parent'
  return age <= 40 ? 'young_single' : 'family'
}

export interface DemoReceiptsOptions {
  seed: number
  products: readonly DemoProduct[]
  stores: readonly DemoStoreRef[]
  members: readonly DemoShopper[]
  /** sales to generate (returns come on top) */
  sales: number
  /** the year ends here (exclusive): receipts are on the 365 local days before its date */
  end: string
  days?: number
  nonMemberShare?: number
  returnRate?: number
  pointValueFen?: number
  maxPointsPaymentPct?: number
}

interface Header {
  at: number
  day: number
  store: number
  /** index into members, or -1 */
  member: number
  persona: Persona
  seed: number
  sale: Header | null
  receiptNo: string
}

export type DemoReceipt =
  | { type: 'sale'; storeCode: string; member: number | null; persona: Persona; input: SaleInput }
  | { type: 'return'; storeCode: string; member: number | null; persona: Persona; input: ReturnInput }

export interface DemoReceiptPlan {
  /** sales and returns */
  count: number
  first: { storeCode: string; receiptNo: string } | null
  last: { storeCode: string; receiptNo: string } | null
  /** local dates covered, first and last */
  from: string
  to: string
  /**
   * The receipts in business-time order. `pointsAvailable(member)` says how many points a
   * member may pay with now; it is asked only for receipts that want to pay with points.
   */
  receipts(pointsAvailable?: (member: number) => number): Generator<DemoReceipt>
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Plans a year of receipts (who, when, where), deterministic for the options; baskets are filled as they are read. */
export const planDemoReceipts = (options: DemoReceiptsOptions): DemoReceiptPlan => {
  const random = createRandom('demo-receipts', options.seed)
  const days = options.days ?? 365
  const nonMemberShare = options.nonMemberShare ?? 0.4
  const returnRate = options.returnRate ?? 0.015
  const pointValueFen = options.pointValueFen ?? 1
  const maxPointsPct = options.maxPointsPaymentPct ?? 50
  const endDay = Date.parse(`${isoDate(Date.parse(options.end) + LOCAL_OFFSET_MS)}T00:00:00Z`)
  if (Number.isNaN(endDay)) throw new Error(`planDemoReceipts: not a date: ${options.end}`)
  const firstDay = endDay - days * DAY_MS
  const dates = Array.from({ length: days }, (_, i) => isoDate(firstDay + i * DAY_MS))
  const years = [...new Set(dates.map((d) => Number(d.slice(0, 4))))]
  const occasions: Occasion[] = years.flatMap(occasionsOf)
  const busy = dates.map((d) => occasionFactor(d, occasions))
  const weekday = dates.map((d) => isoWeekday(d) - 1)
  // Members come more on Wednesdays, the member day (double points on fresh food).
  const dayTable = (p: Profile, member: boolean) => new WeightedTable(dates.map((_, i) => i), dates.map((_, i) => busy[i]! * p.weekdays[weekday[i]!]! * (member && weekday[i] === 2 ? 1.1 : 1)))
  const memberDays = Object.fromEntries(PERSONAS.map((p) => [p, dayTable(PROFILES[p], true)])) as Record<Persona, WeightedTable<number>>
  const walkInDays = dayTable({ ...PROFILES.family, weekdays: WORKING_WEEK }, false)
  const hourTables = Object.fromEntries(PERSONAS.map((p) => [p, new WeightedTable(OPENING_HOURS, PROFILES[p].hours)])) as Record<Persona, WeightedTable<number>>

  const stores = options.stores
  const storeIndex = new Map(stores.map((s, i) => [s.code, i]))
  const membersPerStore = stores.map(() => 1)
  for (const m of options.members) {
    const i = storeIndex.get(m.storeCode)
    if (i !== undefined) membersPerStore[i]! += 1
  }
  const walkInStores = new WeightedTable(stores.map((_, i) => i), membersPerStore.map((n) => n + 5))
  const regionStores = new Map<string, number[]>()
  stores.forEach((s, i) => regionStores.set(s.regionCode, [...(regionStores.get(s.regionCode) ?? []), i]))

  const at = (day: number, persona: Persona, r: Random) => {
    const hour = hourTables[persona].draw(r)
    return firstDay + day * DAY_MS + hour * 3_600_000 + r.int(0, 3_599) * 1000 - LOCAL_OFFSET_MS
  }

  // Visits: 35% of members are dormant this year; the rest visit at a heavy-tailed rate
  // (log-normal), so a fifth of the members bring most of the spend.
  const on = dates[days - 1]!
  const personas = options.members.map((m) => personaOf(m, on))
  // Members shop from the day after they registered.
  const firstShoppingDay = options.members.map((m) => Math.max(0, Math.floor((Date.parse(m.registeredAt) + LOCAL_OFFSET_MS - firstDay) / DAY_MS) + 1))
  const rates = options.members.map((m, i) => {
    const r = createRandom('visits', options.seed, m.phone)
    if (r.chance(0.35) || firstShoppingDay[i]! >= days) return 0
    return ((days - firstShoppingDay[i]!) / days) * PROFILES[personas[i]!].frequency * Math.exp(1.3 * r.normal())
  })
  // Nobody shops more than about three times a week: what the busiest would exceed goes to the rest.
  const memberSales = Math.round(options.sales * (1 - nonMemberShare))
  const expected = rates.map(() => 0)
  let capped = new Set<number>()
  for (let round = 0; round < 5; round++) {
    const free = rates.reduce((a, r, i) => (capped.has(i) ? a : a + r), 0)
    const left = memberSales - capped.size * MAX_VISITS
    if (free <= 0 || left <= 0) break
    rates.forEach((r, i) => { expected[i] = capped.has(i) ? MAX_VISITS : Math.min(MAX_VISITS, (left * r) / free) })
    const next = new Set(expected.flatMap((e, i) => (e >= MAX_VISITS ? [i] : [])))
    if (next.size === capped.size) break
    capped = next
  }
  const headers: Header[] = []
  options.members.forEach((m, i) => {
    if (expected[i]! <= 0) return
    const r = createRandom('member', options.seed, m.phone)
    const count = Math.floor(expected[i]!) + (r.next() < expected[i]! % 1 ? 1 : 0)
    const from = firstShoppingDay[i]!
    const home = storeIndex.get(m.storeCode) ?? 0
    const nearby = regionStores.get(stores[home]!.regionCode) ?? [home]
    const persona = personas[i]!
    for (let k = 0; k < count; k++) {
      const day = memberDays[persona].drawIndexBetween(r, from, days)
      const store = r.chance(0.85) ? home : r.pick(nearby)
      headers.push({ at: at(day, persona, r), day, store, member: i, persona, seed: r.seed(), sale: null, receiptNo: '' })
    }
  })
  const walkIns = Math.max(0, options.sales - headers.length)
  const walkInPersonas = new WeightedTable(WALK_IN.map(([p]) => p), WALK_IN.map(([, w]) => w))
  for (let k = 0; k < walkIns; k++) {
    const persona = walkInPersonas.draw(random)
    const day = walkInDays.draw(random)
    headers.push({ at: at(day, persona, random), day, store: walkInStores.draw(random), member: -1, persona, seed: random.seed(), sale: null, receiptNo: '' })
  }
  const chronological = (a: Header, b: Header) => a.at - b.at || a.store - b.store || a.seed - b.seed
  headers.sort(chronological)
  // A return comes back to the same store one to ten days later.
  const returns: Header[] = []
  for (const sale of headers) {
    if (!random.chance(returnRate)) continue
    const day = sale.day + random.int(1, 10)
    if (day >= days) continue
    returns.push({ ...sale, at: at(day, sale.persona, random), day, seed: random.seed(), sale })
  }
  headers.push(...returns)
  headers.sort(chronological)
  const seq = new Map<string, number>()
  for (const h of headers) {
    const code = stores[h.store]!.code
    const key = `${code}${h.day}`
    const n = (seq.get(key) ?? 0) + 1
    seq.set(key, n)
    h.receiptNo = `${code}-${dates[h.day]!.slice(2).replaceAll('-', '')}-${String(n).padStart(4, '0')}`
  }

  const departments = [...new Set(options.products.map((p) => p.department))]
  const productsOf = new Map(departments.map((d) => {
    const ps = options.products.filter((p) => p.department === d)
    return [d, new WeightedTable(ps, ps.map((p) => p.weight))] as const
  }))
  const departmentTables = Object.fromEntries(PERSONAS.map((p) => {
    const ds = departments.filter((d) => (PROFILES[p].departments[d] ?? 0) > 0)
    return [p, new WeightedTable(ds, ds.map((d) => PROFILES[p].departments[d]!))]
  })) as Record<Persona, WeightedTable<string>>
  const tenderTables = Object.fromEntries(PERSONAS.map((p) => [p, new WeightedTable(PROFILES[p].tenders.map(([k]) => k), PROFILES[p].tenders.map(([, w]) => w))])) as Record<Persona, WeightedTable<TenderKind>>

  const quantityOf = (p: DemoProduct, r: Random): number => {
    if (p.grams) {
      // Less of dearer goods: a kilo of potatoes, a few hundred grams of cherries.
      const scale = Math.min(1, (3000 / p.listPrice) ** 0.7)
      const [min, max] = [p.grams[0], Math.max(p.grams[0], p.grams[1] * scale)]
      return Math.round(min + (max - min) * r.next() ** 1.5)
    }
    const u = r.next()
    if (p.listPrice < 1500) return u < 0.65 ? 1 : u < 0.85 ? 2 : u < 0.93 ? 3 : r.int(4, 6)
    if (p.listPrice < 10_000) return u < 0.85 ? 1 : u < 0.98 ? 2 : 3
    return u < 0.97 ? 1 : 2
  }

  const basket = (h: Header, r: Random): LineInput[] => {
    const member = h.member >= 0
    const n = Math.max(1, Math.min(15, Math.round(PROFILES[h.persona].meanLines * (member ? 1 : 0.7) * Math.exp(0.45 * r.normal()))))
    const chosen = new Set<DemoProduct>()
    for (let tries = 0; chosen.size < n && tries < n * 3; tries++) {
      chosen.add(productsOf.get(departmentTables[h.persona].draw(r))!.draw(r))
    }
    return [...chosen].map((p) => {
      const quantity = quantityOf(p, r)
      const unit = p.soldByWeight ? 'g' as const : 'piece' as const
      // Members pay the member price (every tier has member prices in the demo).
      const unitPrice = member && p.memberPrice !== null && p.memberPrice < p.listPrice ? p.memberPrice : p.listPrice
      return { sku: p.sku, quantity, unit, unitPrice, amount: grossOf(quantity, unitPrice, unit) }
    })
  }

  const stamp = (h: Header) => ({
    receiptNo: h.receiptNo,
    businessAt: new Date(h.at).toISOString(),
    till: `T${String(1 + (h.seed % 6)).padStart(2, '0')}`,
    cashier: `cashier.${stores[h.store]!.code.toLowerCase()}`,
  })

  function* receipts(pointsAvailable: (member: number) => number = () => 0): Generator<DemoReceipt> {
    // The lines of sales that will come back, until they do.
    const toReturn = new Map<Header, LineInput[]>()
    const returned = new Set<Header>(returns.map((h) => h.sale!))
    for (const h of headers) {
      const r = createRandom('receipt', options.seed, h.seed)
      const storeCode = stores[h.store]!.code
      const member = h.member >= 0 ? h.member : null
      if (h.sale) {
        const lines = toReturn.get(h.sale)!
        toReturn.delete(h.sale)
        // Four returns in ten take everything back; the rest a line or two, or part of one.
        const input: ReturnInput = { ...stamp(h), originalReceiptNo: h.sale.receiptNo }
        if (!r.chance(0.4)) {
          const picked = new Set<number>()
          const wanted = Math.min(lines.length, r.chance(0.7) ? 1 : 2)
          while (picked.size < wanted) picked.add(r.int(0, lines.length - 1))
          input.lines = [...picked].sort((a, b) => a - b).map((i) => {
            const l = lines[i]!
            return { originalLineNo: i + 1, quantity: l.unit === 'g' ? l.quantity : r.int(1, l.quantity) }
          })
        }
        yield { type: 'return', storeCode, member, persona: h.persona, input }
        continue
      }
      const lines = basket(h, r)
      const total = lines.reduce((a, l) => a + l.amount, 0)
      const tender = tenderTables[h.persona].draw(r)
      const wantsPoints = member !== null && r.chance(PROFILES[h.persona].paysWithPoints)
      const share = 0.5 + r.next() * 0.5
      let points = 0
      if (wantsPoints) {
        const available = pointsAvailable(member)
        const byShare = Math.floor((total * maxPointsPct) / 100 / pointValueFen)
        // Shoppers redeem in round hundreds, once they have a thousand.
        if (available >= 1000) points = Math.floor(Math.min(available * share, byShare) / 100) * 100
      }
      const rest = total - points * pointValueFen
      const input: SaleInput = {
        ...stamp(h), member: null, lines, total,
        tenders: [
          ...(points > 0 ? [{ kind: 'points' as const, amount: points * pointValueFen, points }] : []),
          ...(rest > 0 || points === 0 ? [{ kind: tender, amount: rest }] : []),
        ],
      }
      if (returned.has(h)) toReturn.set(h, lines)
      yield { type: 'sale', storeCode, member, persona: h.persona, input }
    }
  }

  const ends = (h: Header | undefined) => (h ? { storeCode: stores[h.store]!.code, receiptNo: h.receiptNo } : null)
  return { count: headers.length, first: ends(headers[0]), last: ends(headers[headers.length - 1]), from: dates[0]!, to: dates[days - 1]!, receipts }
}

/**
 * The demo's earning rules on top of the base rule: a weekly member day, birthday months, a
 * cap per receipt and triple points on Double 11. In force from the first demo day.
 */
export const demoRules = (from: string, to: string): RuleInput[] => {
  const instant = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - LOCAL_OFFSET_MS).toISOString()
  const rules: RuleInput[] = [
    { name: '周三会员日 生鲜双倍积分', definition: { kind: 'multiplier', factor: 2, weekdays: [3], match: { departments: ['生鲜'] } }, validFrom: instant(from) },
    { name: '生日月双倍积分', definition: { kind: 'birthday', factor: 2 }, validFrom: instant(from) },
    { name: '单笔最多 1,000 积分', definition: { kind: 'cap', perReceipt: 1000 }, validFrom: instant(from) },
  ]
  const double11 = [Number(to.slice(0, 4)), Number(to.slice(0, 4)) - 1].map((y) => `${y}-11-11`).find((d) => d >= from && d <= to)
  if (double11) rules.push({ name: '双11 全场三倍积分', definition: { kind: 'multiplier', factor: 3 }, validFrom: instant(double11), validTo: instant(addDays(double11, 1)) })
  return rules
}

export interface SeedReceiptsOptions extends Pick<DemoReceiptsOptions, 'seed' | 'products' | 'stores' | 'members' | 'sales' | 'end'> {
  /** receipts per transaction */
  batchSize?: number
  onProgress?: (done: number, total: number) => void
}

export interface SeedReceiptsResult {
  sales: number
  returns: number
  /** receipts the posting refused (none, unless the data was changed since the last run) */
  failed: number
  errors: string[]
  /** already there from an earlier run */
  skipped: number
}

/**
 * Posts the demo year through `receipts.internals.postMany`, a batch per transaction, after
 * adding the demo earning rules. Safe to run again: the first run's year (its end, volume and
 * seed, kept in the audit log) is the one posted, skipped when finished and resumed where it
 * stopped when interrupted, so a later run on another day does not add a second year.
 */
export const seedDemoReceipts = async (services: Services, actor: Actor, options: SeedReceiptsOptions): Promise<SeedReceiptsResult> => {
  const { db, loyalty, receipts, keyring, audit } = services
  const result: SeedReceiptsResult = { sales: 0, returns: 0, failed: 0, errors: [], skipped: 0 }
  const storeIds = await storeIdsByCode(db)
  const exists = async (storeCode: string, receiptNos: string[]) => {
    const storeId = storeIds.get(storeCode)
    if (!storeId || receiptNos.length === 0) return new Set<string>()
    return findReceiptNosAt(db, storeId, receiptNos)
  }
  type Year = Pick<SeedReceiptsOptions, 'seed' | 'sales' | 'end'> & { count?: number; last?: { storeCode: string; receiptNo: string } }
  const earlier = await audit.firstOf('demo.receipts')
  const year: Year = earlier?.changes ? earlier.changes as Year : { seed: options.seed, sales: options.sales, end: options.end }
  if (year.last && (await exists(year.last.storeCode, [year.last.receiptNo])).size > 0) return { ...result, skipped: year.count ?? 0 }

  const cfg = await loyalty.config()
  const plan = planDemoReceipts({ ...options, seed: year.seed, sales: year.sales, end: year.end, pointValueFen: cfg.policy.pointValueFen, maxPointsPaymentPct: cfg.policy.maxPointsPaymentPct })
  if (!plan.first || !plan.last) return result
  if (!earlier) await audit.record(db, actor, { action: 'demo.receipts', entityType: 'chain', changes: { ...year, count: plan.count, last: plan.last } })
  const resuming = (await exists(plan.first.storeCode, [plan.first.receiptNo])).size > 0

  const existingRules = new Set((await loyalty.listRules(actor, { includeHistory: true })).map((r) => r.name))
  for (const rule of demoRules(plan.from, plan.to)) {
    if (!existingRules.has(rule.name)) await loyalty.createRule(actor, rule)
  }

  // Members are found by their phone's blind index, as the till finds them.
  const memberIds: Array<string | null> = []
  for (let i = 0; i < options.members.length; i += 1000) {
    const chunk = options.members.slice(i, i + 1000)
    const bidx = chunk.map((m) => keyring.blindIndex('phone', m.phone))
    const byBidx = new Map((await membersByBlindIndex(db, 'phone', bidx)).map((r) => [r.phoneIndex, r.id]))
    for (const b of bidx) memberIds.push(byBidx.get(b) ?? null)
  }

  // Points a member may pay with: the balance after their last posted receipt, less what this
  // batch already spends; none after a return in the batch (it may take points back).
  const balances = new Map<number, number>()
  const spending = new Map<number, number>()
  const returning = new Set<number>()
  const available = (m: number) => (returning.has(m) ? 0 : Math.max(0, (balances.get(m) ?? 0) - (spending.get(m) ?? 0)))

  const batchSize = options.batchSize ?? 500
  let done = 0
  let batch: DemoReceipt[] = []
  const flush = async () => {
    let items = batch
    batch = []
    spending.clear()
    returning.clear()
    if (resuming) {
      const byStore = new Map<string, string[]>()
      for (const d of items) byStore.set(d.storeCode, [...(byStore.get(d.storeCode) ?? []), d.input.receiptNo])
      const posted = new Set<string>()
      for (const [code, nos] of byStore) for (const no of await exists(code, nos)) posted.add(`${code}/${no}`)
      result.skipped += posted.size
      items = items.filter((d) => !posted.has(`${d.storeCode}/${d.input.receiptNo}`))
    }
    const outcomes = await receipts.internals.postMany(actor, items.map((d) => {
      const storeId = storeIds.get(d.storeCode)
      const memberId = d.member === null ? null : memberIds[d.member] ?? null
      return d.type === 'sale'
        ? { type: 'sale' as const, input: { ...d.input, storeId, member: memberId ? { id: memberId } : null } }
        : { type: 'return' as const, input: { ...d.input, storeId } }
    }), { source: 'till', awardPoints: true })
    outcomes.forEach((o, i) => {
      const d = items[i]!
      if (!o.ok) {
        result.failed++
        if (result.errors.length < 5) result.errors.push(`${d.storeCode}/${d.input.receiptNo}: ${o.error.code} ${JSON.stringify(o.error.details)}`)
        return
      }
      if (d.type === 'sale') result.sales++
      else result.returns++
      if (d.member !== null && o.result.member) balances.set(d.member, o.result.member.balance)
    })
    done += items.length
    options.onProgress?.(done + result.skipped, plan.count)
  }
  for (const d of plan.receipts(available)) {
    if (d.member !== null) {
      if (d.type === 'return') returning.add(d.member)
      const points = d.type === 'sale' ? d.input.tenders.find((t) => t.kind === 'points')?.points ?? 0 : 0
      if (points > 0) spending.set(d.member, (spending.get(d.member) ?? 0) + points)
    }
    batch.push(d)
    if (batch.length >= batchSize) await flush()
  }
  if (batch.length) await flush()
  return result
}
