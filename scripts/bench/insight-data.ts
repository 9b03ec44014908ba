// The insight bench's chain (issue 12 §9): members with profiles, 50 stores in 5 regions, the demo
// catalogue, two years of receipts with lines, returns, tenders and points, written straight into
// a migrated database through the bare driver (prepared multi-row inserts on SQLite, unnest()
// arrays on PostgreSQL) with the secondary indexes built after the load, then the member facts
// (member_purchase_stats, member_monthly_activity), points accounts and ledger derived from the
// receipts with set-based SQL, as the facts writer would have left them. Deterministic for a seed.
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { demoProducts, type DemoProduct } from '../../src/demo/demo-products.js'
import type { Services } from '../../src/services.js'
import type { Actor } from '../../src/shared/actor.js'
import type { Keyring } from '../../src/shared/pii.js'
import { maskName, maskPhone } from '../../src/shared/pii.js'
import { benchPhone } from './data.js'
import type { Engine } from './ceiling.js'
import { seededRandom as random } from '../../src/shared/random.js'

export interface ChainSize {
  members: number
  receipts: number
  seed?: number
}

export interface GeneratedChain {
  stores: Array<{ id: string; code: string; regionId: string }>
  regions: Array<{ id: string; code: string }>
  /** the receipts' business dates span [from, to] (local) */
  from: string
  to: string
  counts: { members: number; products: number; receipts: number; returns: number; lines: number; memberReceipts: number }
  /** ids of members who bought, for the incremental case's new receipts */
  buyers: string[]
  products: DemoProduct[]
  seconds: { load: number; indexes: number; facts: number }
}

type ColType = 'text' | 'int' | 'real'
type Columns = ReadonlyArray<readonly [string, ColType]>

interface Writer {
  /** Buffers one row; a promise when the buffer was flushed and the caller should wait. */
  add(row: unknown[]): Promise<void> | undefined
  end(): Promise<void>
}

interface Sink {
  writer(table: string, columns: Columns): Writer
  exec(sql: string, params?: unknown[]): Promise<void>
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>
  /** commits what was written and begins again */
  commit(): Promise<void>
  close(): Promise<void>
}

const sqliteSink = (file: string): Sink => {
  const db = new SQLite(file)
  // A fresh file that is thrown away on failure: no journal, no sync, no foreign-key checks.
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('foreign_keys = OFF')
  db.pragma('cache_size = -1000000')
  db.pragma('temp_store = MEMORY')
  db.exec('BEGIN')
  return {
    writer: (table, columns) => {
      const per = Math.max(1, Math.min(500, Math.floor(30_000 / columns.length)))
      const rowSql = `(${columns.map(() => '?').join(', ')})`
      const head = `INSERT INTO ${table} (${columns.map((c) => c[0]).join(', ')}) VALUES `
      const full = db.prepare(head + Array.from({ length: per }, () => rowSql).join(', '))
      let buffer: unknown[] = []
      let n = 0
      return {
        add: (row) => {
          for (const v of row) buffer.push(v)
          if (++n === per) {
            full.run(buffer)
            buffer = []
            n = 0
          }
          return undefined
        },
        end: async () => {
          if (n > 0) db.prepare(head + Array.from({ length: n }, () => rowSql).join(', ')).run(buffer)
          buffer = []
          n = 0
        },
      }
    },
    exec: async (sql, params = []) => { db.prepare(sql).run(params) },
    rows: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(params) as T[],
    commit: async () => { db.exec('COMMIT'); db.exec('BEGIN') },
    close: async () => {
      db.exec('COMMIT')
      db.pragma('journal_mode = WAL')
      db.close()
    },
  }
}

const PG_TYPES: Record<ColType, string> = { text: 'text[]', int: 'int8[]', real: 'float8[]' }

const postgresSink = async (url: string): Promise<Sink> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  // Foreign keys are triggers: a replica session skips them during the load.
  await client.query("SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'")
  await client.query('BEGIN')
  // One statement in flight while the next batch is generated.
  let pending: Promise<unknown> = Promise.resolve()
  return {
    writer: (table, columns) => {
      const per = 20_000
      const sql = `INSERT INTO ${table} (${columns.map((c) => c[0]).join(', ')}) SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${PG_TYPES[c[1]]}`).join(', ')})`
      let arrays: unknown[][] = columns.map(() => [])
      let n = 0
      const flush = async () => {
        const values = arrays
        arrays = columns.map(() => [])
        n = 0
        await pending
        pending = client.query(sql, values)
      }
      return {
        add: (row) => {
          for (let i = 0; i < row.length; i++) arrays[i]!.push(row[i])
          return ++n === per ? flush() : undefined
        },
        end: async () => {
          if (n > 0) await flush()
          await pending
        },
      }
    },
    exec: async (sql, params = []) => {
      await pending
      await client.query(sql, params)
    },
    rows: async <T>(sql: string, params: unknown[] = []) => {
      await pending
      return (await client.query(sql, params)).rows as T[]
    },
    commit: async () => {
      await pending
      await client.query('COMMIT')
      await client.query('BEGIN')
    },
    close: async () => {
      await pending
      await client.query('COMMIT')
      await client.end()
    },
  }
}


// Crockford base32, as src/shared/ids.ts: ids that sort by their time, so the load appends.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const base32 = (value: number, chars: number) => {
  let out = ''
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[value % 32]! + out
    value = Math.floor(value / 32)
  }
  return out
}
const idAt = (prefix: string, ms: number, seq: number) => `${prefix}_${base32(ms, 10)}${base32(seq, 16)}`

const luhnCard = (i: number) => {
  const body = `8${String(i).padStart(14, '0')}`
  let sum = 0
  for (let k = 0; k < body.length; k++) {
    let d = body.charCodeAt(body.length - 1 - k) - 48
    if (k % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return body + String((10 - (sum % 10)) % 10)
}

const DAY = 86_400_000
const LOCAL = 8 * 3_600_000
const localDate = (ms: number) => new Date(ms + LOCAL).toISOString().slice(0, 10)
const localMonth = (ms: number) => localDate(ms).slice(0, 7)
const addMonths = (month: string, delta: number) => {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`
}

const REGIONS: ReadonlyArray<{ code: string; name: string; city: string; districts: readonly string[] }> = [
  { code: 'EAST', name: '华东大区', city: '上海', districts: ['浦东新区', '徐汇区', '闵行区', '静安区', '杨浦区', '宝山区', '普陀区', '长宁区', '松江区', '嘉定区'] },
  { code: 'NORTH', name: '华北大区', city: '北京', districts: ['朝阳区', '海淀区', '丰台区', '西城区', '东城区', '通州区', '昌平区', '大兴区', '顺义区', '石景山区'] },
  { code: 'SOUTH', name: '华南大区', city: '广州', districts: ['天河区', '越秀区', '海珠区', '白云区', '番禺区', '荔湾区', '黄埔区', '花都区', '南沙区', '增城区'] },
  { code: 'CENTRAL', name: '华中大区', city: '武汉', districts: ['江汉区', '武昌区', '洪山区', '江岸区', '硚口区', '汉阳区', '青山区', '东西湖区', '江夏区', '蔡甸区'] },
  { code: 'WEST', name: '西南大区', city: '成都', districts: ['锦江区', '青羊区', '金牛区', '武侯区', '成华区', '高新区', '双流区', '郫都区', '新都区', '温江区'] },
]
/** share of sales per department (the demo catalogue's names) */
const DEPARTMENT_SHARES: Record<string, number> = { 生鲜: 30, 粮油副食: 20, 休闲食品: 12, 酒水饮料: 12, 烟酒: 4, 日化清洁: 10, 母婴: 5, 家居: 4, 家电: 3 }
const INCOME_BANDS = ['below_3k', '3k_5k', '5k_8k', '8k_12k', '12k_20k', '20k_plus'] as const
const INCOME_WEIGHTS = [10, 22, 28, 20, 13, 7]
const TENDERS = ['wechat_pay', 'wechat_pay', 'wechat_pay', 'alipay', 'alipay', 'cash', 'bank_card'] as const
const LINE_COUNTS = [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6]
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '小红']

const pickWeighted = (weights: readonly number[], u: number) => {
  const total = weights.reduce((a, b) => a + b, 0)
  let x = u * total
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!
    if (x < 0) return i
  }
  return weights.length - 1
}

/** Index of the first entry of a cumulative array above x. */
const search = (cumulative: Float64Array, x: number) => {
  let lo = 0
  let hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cumulative[mid]! > x) hi = mid
    else lo = mid + 1
  }
  return lo
}

const MEMBER_COLUMNS: Columns = [
  ['id', 'text'], ['card_no', 'text'], ['phone_enc', 'text'], ['phone_bidx', 'text'], ['phone_masked', 'text'], ['name_enc', 'text'], ['name_bidx', 'text'],
  ['name_masked', 'text'], ['gender', 'text'], ['birthday', 'text'], ['income_band', 'text'], ['district', 'text'], ['registration_store_id', 'text'],
  ['registration_channel', 'text'], ['status', 'text'], ['registered_at', 'text'], ['updated_at', 'text'],
]
const RECEIPT_COLUMNS: Columns = [
  ['id', 'text'], ['store_id', 'text'], ['till', 'text'], ['receipt_no', 'text'], ['kind', 'text'], ['status', 'text'], ['original_receipt_id', 'text'],
  ['original_receipt_no', 'text'], ['member_id', 'text'], ['business_at', 'text'], ['business_date', 'text'], ['total', 'int'], ['eligible_amount', 'int'],
  ['points_earned', 'int'], ['points_used', 'int'], ['line_count', 'int'], ['source', 'text'], ['payload_hash', 'text'], ['created_at', 'text'],
]
const LINE_COLUMNS: Columns = [
  ['receipt_id', 'text'], ['line_no', 'int'], ['product_id', 'text'], ['sku', 'text'], ['quantity', 'int'], ['unit', 'text'], ['unit_price', 'int'],
  ['discount', 'int'], ['amount', 'int'], ['points', 'int'], ['points_used', 'int'], ['returned_quantity', 'int'], ['returned_amount', 'int'],
  ['returned_points', 'int'], ['refunded_points', 'int'], ['coupon_amount', 'int'], ['returned_coupon_amount', 'int'], ['original_line_no', 'int'],
]

/** The tables the load fills, whose secondary indexes are dropped first and built after. */
const LOADED = ['members', 'member_consents', 'products', 'receipts', 'receipt_lines', 'receipt_tenders', 'points_entries', 'points_accounts', 'member_purchase_stats', 'member_monthly_activity']

const dropIndexes = async (engine: Engine, sink: Sink): Promise<string[]> => {
  const list = engine === 'sqlite'
    ? await sink.rows<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${LOADED.map(() => '?').join(', ')})`, LOADED)
    : (await sink.rows<{ name: string; sql: string }>(
      'SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1) AND indexname NOT IN (SELECT conname FROM pg_constraint)', [LOADED]))
  for (const i of list) await sink.exec(`DROP INDEX ${i.name}`)
  return list.map((i) => i.sql)
}

/**
 * Writes the chain into the migrated, empty database at `target` (a SQLite file or a PostgreSQL
 * URL). Receipts end an hour before `now`; the facts' window is the month of `now`.
 */
export const generateInsightChain = async (engine: Engine, target: string, keyring: Keyring, size: ChainSize, now: Date, log: (line: string) => void = () => {}): Promise<GeneratedChain> => {
  const rnd = random(size.seed ?? 12)
  const started = performance.now()
  const sink = engine === 'sqlite' ? sqliteSink(target) : await postgresSink(target)
  try {
    const indexes = await dropIndexes(engine, sink)
    const at = now.toISOString()
    const end = now.getTime() - 3_600_000
    const days = 730
    // The first receipt day starts at local midnight; the last is the last whose close (22:00
    // local) is before `end`. Ending on today's date instead wrote the rest of today's receipts
    // with times still to come, which every incremental refresh read again as new (6,591 of them,
    // 2,813 members, at a million members).
    const firstDay = Date.parse(`${localDate(end - 22 * 3_600_000 - (days - 1) * DAY)}T00:00:00.000Z`) - LOCAL

    // Org: 5 regions of 10 stores.
    const regions = REGIONS.map((r, i) => ({ ...r, id: idAt('reg', firstDay - 5 * 365 * DAY, i) }))
    const stores = regions.flatMap((r, ri) => r.districts.map((district, di) => ({ id: idAt('sto', firstDay - 5 * 365 * DAY, 100 + ri * 10 + di), code: `S${ri + 1}${String(di + 1).padStart(2, '0')}`, regionId: r.id, region: ri, city: r.city, district })))
    const storeSize = stores.map(() => 0.5 + rnd())
    const storeCumulative = new Float64Array(stores.length)
    storeSize.reduce((acc, s, i) => (storeCumulative[i] = acc + s), 0)
    const storeTotal = storeCumulative[stores.length - 1]!
    const pickStore = () => search(storeCumulative, rnd() * storeTotal)
    const regionsOut = sink.writer('regions', [['id', 'text'], ['code', 'text'], ['name', 'text'], ['created_at', 'text'], ['updated_at', 'text']])
    for (const r of regions) regionsOut.add([r.id, r.code, r.name, at, at])
    await regionsOut.end()
    const storesOut = sink.writer('stores', [['id', 'text'], ['code', 'text'], ['name', 'text'], ['region_id', 'text'], ['city', 'text'], ['district', 'text'], ['opened_on', 'text'], ['status', 'text'], ['created_at', 'text'], ['updated_at', 'text']])
    for (const s of stores) storesOut.add([s.id, s.code, `${s.city}${s.district}店`, s.regionId, s.city, s.district, '2018-01-01', 'open', at, at])
    await storesOut.end()

    // The demo catalogue (about 3,000 SKUs), sold by department shares and by weight within one.
    const products = demoProducts({ seed: 1 })
    const productIds = products.map((_, i) => idAt('prd', firstDay - 4 * 365 * DAY, i))
    const productsOut = sink.writer('products', [['id', 'text'], ['sku', 'text'], ['name', 'text'], ['barcode', 'text'], ['department', 'text'], ['category', 'text'], ['subcategory', 'text'], ['brand', 'text'],
      ['list_price', 'int'], ['member_price', 'int'], ['points_eligible', 'int'], ['sold_by_weight', 'int'], ['status', 'text'], ['source', 'text'], ['created_at', 'text'], ['updated_at', 'text']])
    products.forEach((p, i) => productsOut.add([productIds[i], p.sku, p.name, p.barcode, p.department, p.category, p.subcategory, p.brand, p.listPrice, p.memberPrice, p.pointsEligible ? 1 : 0, p.soldByWeight ? 1 : 0, 'active', 'import', at, at]))
    await productsOut.end()
    const departments = Object.keys(DEPARTMENT_SHARES).filter((d) => products.some((p) => p.department === d))
    const departmentWeights = departments.map((d) => DEPARTMENT_SHARES[d]!)
    const byDepartment = departments.map((d) => {
      const items = products.map((p, i) => ({ p, i })).filter((x) => x.p.department === d)
      const cumulative = new Float64Array(items.length)
      items.reduce((acc, x, k) => (cumulative[k] = acc + x.p.weight), 0)
      return { items: items.map((x) => x.i), cumulative, total: cumulative[items.length - 1]! }
    })
    const pickProduct = (department: number) => {
      const d = byDepartment[department]!
      return d.items[search(d.cumulative, rnd() * d.total)]!
    }
    const babyDepartment = departments.indexOf('母婴')

    // Members: 40% registered in the three years before the receipts begin, the rest over the two
    // years of receipts, in registration order (so ids ascend). Each has a home store, an activity
    // weight (18% never buy; a few buy weekly), maybe a day they stop coming, and a favourite department.
    const M = size.members
    const registered = new Float64Array(M)
    const weight = new Float32Array(M)
    const leaves = new Float64Array(M)
    const home = new Uint8Array(M)
    const favourite = new Uint8Array(M)
    const memberIds: string[] = new Array<string>(M)
    const old = Math.floor(M * 0.4)
    const membersOut = sink.writer('members', MEMBER_COLUMNS)
    const consentsOut = sink.writer('member_consents', [['member_id', 'text'], ['channel', 'text'], ['granted', 'int'], ['source', 'text'], ['changed_at', 'text']])
    for (let i = 0; i < M; i++) {
      const t = i < old ? firstDay - 3 * 365 * DAY + (i / old) * 3 * 365 * DAY : firstDay + ((i - old) / (M - old)) * (end - firstDay)
      registered[i] = t
      const u = rnd()
      weight[i] = u < 0.18 ? 0 : Math.max(0.01, rnd() ** 2.2)
      leaves[i] = rnd() < 0.35 ? t + -Math.log(1 - rnd()) * 240 * DAY : Number.POSITIVE_INFINITY
      const store = pickStore()
      home[i] = store
      favourite[i] = rnd() < 0.08 && babyDepartment >= 0 ? babyDepartment : pickWeighted(departmentWeights, rnd())
      const id = idAt('mem', Math.floor(t), i)
      memberIds[i] = id
      const phone = benchPhone(i)
      const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(rnd() * GIVEN.length)]}`
      const g = rnd()
      const gender = g < 0.47 ? 'male' : g < 0.96 ? 'female' : 'unknown'
      const age = 18 + Math.floor(rnd() ** 1.3 * 57)
      const birthday = rnd() < 0.85 ? `${now.getUTCFullYear() - age}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}` : null
      const income = rnd() < 0.62 ? INCOME_BANDS[pickWeighted(INCOME_WEIGHTS, rnd())]! : null
      const district = rnd() < 0.9 ? stores[store]!.district : null
      const channel = ['till', 'till', 'till', 'mini_program', 'mini_program', 'qr'][Math.floor(rnd() * 6)]!
      const iso = new Date(t).toISOString()
      const p = membersOut.add([id, luhnCard(i), keyring.encrypt('phone', phone), keyring.blindIndex('phone', phone), maskPhone(phone), keyring.encrypt('name', name),
        keyring.blindIndex('name', name), maskName(name), gender, birthday, income, district, stores[store]!.id, channel, 'active', iso, iso])
      if (p) await p
      const c = consentsOut.add([id, 'sms', rnd() < 0.6 ? 1 : 0, `registration:${channel}`, iso])
      if (c) await c
      if (i % 200_000 === 199_999) log(`  members: ${i + 1}`)
    }
    await membersOut.end()
    await consentsOut.end()
    await sink.commit()

    // Receipts: sales spread evenly over the days' opening hours (08:00–22:00 local), 42% with a
    // member drawn by activity among those registered and not yet gone; about one in nineteen is
    // returned (one line, or the whole receipt) within two weeks, as its own return receipt.
    const returnRate = 0.0526
    const sales = Math.round(size.receipts / (1 + returnRate))
    const receiptsOut = sink.writer('receipts', RECEIPT_COLUMNS)
    const linesOut = sink.writer('receipt_lines', LINE_COLUMNS)
    const tendersOut = sink.writer('receipt_tenders', [['receipt_id', 'text'], ['seq', 'int'], ['kind', 'text'], ['amount', 'int']])
    interface Line { product: number; quantity: number; unit: 'piece' | 'g'; unitPrice: number; discount: number; amount: number; points: number }
    interface Pending { at: number; store: number; member: number; saleId: string; saleNo: string; lines: Line[]; whole: boolean }
    const returnsByDay = new Map<number, Pending[]>()
    let seq = 0
    let receipts = 0
    let returns = 0
    let lines = 0
    let memberReceipts = 0
    const bought = new Uint8Array(M)
    let eligible = old
    const wait = async (p: Promise<void> | undefined) => { if (p) await p }

    const writeReturn = async (r: Pending) => {
      const id = idAt('rct', r.at, seq++)
      const picked = r.whole ? r.lines.map((l, k) => ({ l, k })) : [{ l: r.lines[0]!, k: 0 }]
      let total = 0
      let points = 0
      let eligibleAmount = 0
      for (const [n, { l, k }] of picked.entries()) {
        total += l.amount
        points += l.points
        if (products[l.product]!.pointsEligible) eligibleAmount += l.amount
        await wait(linesOut.add([id, n + 1, productIds[l.product], products[l.product]!.sku, l.quantity, l.unit, l.unitPrice, 0, l.amount, l.points, 0, 0, 0, 0, 0, 0, 0, k + 1]))
        lines++
      }
      const iso = new Date(r.at).toISOString()
      const member = r.member >= 0 ? memberIds[r.member]! : null
      await wait(receiptsOut.add([id, stores[r.store]!.id, `T0${1 + (seq % 8)}`, `R${seq}`, 'return', 'posted', r.saleId, r.saleNo, member, iso, localDate(r.at), total, eligibleAmount, points, 0, picked.length, 'till', 'bench', iso]))
      await wait(tendersOut.add([id, 1, 'cash', total]))
      receipts++
      returns++
      if (member) memberReceipts++
    }

    let day = -1
    for (let k = 0; k < sales; k++) {
      const position = (k * days) / sales
      const d = Math.floor(position)
      if (d !== day) {
        day = d
        for (const r of (returnsByDay.get(d) ?? []).sort((a, b) => a.at - b.at)) await writeReturn(r)
        returnsByDay.delete(d)
        if (k % 500_000 < days) await sink.commit()
      }
      const at = Math.floor(firstDay + d * DAY + 8 * 3_600_000 + (position - d) * 14 * 3_600_000)
      while (eligible < M && registered[eligible]! <= at) eligible++
      let member = -1
      if (rnd() < 0.42) {
        for (let tries = 0; tries < 400; tries++) {
          const c = Math.floor(rnd() * eligible)
          if (rnd() < weight[c]! && at < leaves[c]!) {
            member = c
            break
          }
        }
      }
      const store = member >= 0 && rnd() < 0.8 ? home[member]! : pickStore()
      const count = LINE_COUNTS[Math.floor(rnd() * LINE_COUNTS.length)]!
      const id = idAt('rct', at, seq++)
      const receiptNo = `G${seq}`
      const saleLines: Line[] = []
      let total = 0
      let eligibleAmount = 0
      let points = 0
      for (let n = 0; n < count; n++) {
        const department = member >= 0 && rnd() < 0.35 ? favourite[member]! : pickWeighted(departmentWeights, rnd())
        const pi = pickProduct(department)
        const p = products[pi]!
        const unitPrice = member >= 0 && p.memberPrice !== null ? p.memberPrice : p.listPrice
        let quantity: number
        let gross: number
        if (p.soldByWeight && p.grams) {
          quantity = p.grams[0] + Math.floor(rnd() * (p.grams[1] - p.grams[0]))
          gross = Math.round((quantity * unitPrice) / 1000)
        } else {
          quantity = rnd() < 0.25 ? 2 + Math.floor(rnd() * 3) : 1
          gross = quantity * unitPrice
        }
        const discount = rnd() < 0.15 ? Math.round(gross * (0.1 + rnd() * 0.2)) : 0
        const amount = gross - discount
        const linePoints = member >= 0 && p.pointsEligible ? Math.floor(amount / 100) : 0
        saleLines.push({ product: pi, quantity, unit: p.soldByWeight ? 'g' : 'piece', unitPrice, discount, amount, points: linePoints })
        total += amount
        points += linePoints
        if (p.pointsEligible) eligibleAmount += amount
      }
      let returnedLines = 0
      if (rnd() < returnRate) {
        const whole = rnd() < 0.3
        const returnAt = at + Math.floor(1_800_000 + rnd() * 14 * DAY)
        if (returnAt < end) {
          const returnDay = Math.floor((returnAt - firstDay) / DAY)
          const list = returnsByDay.get(returnDay) ?? []
          list.push({ at: Math.max(returnAt, firstDay + returnDay * DAY + 8 * 3_600_000), store, member, saleId: id, saleNo: receiptNo, lines: saleLines, whole })
          returnsByDay.set(returnDay, list)
          returnedLines = whole ? count : 1
        }
      }
      for (const [n, l] of saleLines.entries()) {
        const returned = n < returnedLines
        await wait(linesOut.add([id, n + 1, productIds[l.product], products[l.product]!.sku, l.quantity, l.unit, l.unitPrice, l.discount, l.amount, l.points, 0,
          returned ? l.quantity : 0, returned ? l.amount : 0, returned ? l.points : 0, 0, 0, 0, null]))
        lines++
      }
      const iso = new Date(at).toISOString()
      await wait(receiptsOut.add([id, stores[store]!.id, `T0${1 + (seq % 8)}`, receiptNo, 'sale', 'posted', null, null, member >= 0 ? memberIds[member]! : null,
        iso, localDate(at), total, member >= 0 ? eligibleAmount : 0, points, 0, count, 'till', 'bench', iso]))
      await wait(tendersOut.add([id, 1, TENDERS[Math.floor(rnd() * TENDERS.length)]!, total]))
      receipts++
      if (member >= 0) {
        memberReceipts++
        bought[member] = 1
      }
      if (k % 1_000_000 === 999_999) log(`  receipts: ${receipts}`)
    }
    for (const [, list] of [...returnsByDay.entries()].sort((a, b) => a[0] - b[0])) {
      for (const r of list.sort((a, b) => a.at - b.at)) await writeReturn(r)
    }
    await receiptsOut.end()
    await linesOut.end()
    await tendersOut.end()
    await sink.commit()
    const loaded = performance.now()
    log(`  loaded in ${((loaded - started) / 1000).toFixed(1)} s; building ${indexes.length} indexes`)

    for (const sql of indexes) await sink.exec(sql)
    await sink.commit()
    const indexed = performance.now()

    // The member facts as the facts writer keeps them: monthly rows, then the totals with the
    // 12-month window of the current month; then accounts (balance = points earned net of
    // reversals, tier by the window's spend) and their ledger with running balances.
    const month = localMonth(now.getTime())
    const windowFrom = `${addMonths(month, -11)}-01`
    await sink.exec(`INSERT INTO member_monthly_activity (member_id, month, receipt_count, spend, points_earned)
      SELECT member_id, substr(business_date, 1, 7), sum(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END), sum(CASE WHEN kind = 'sale' THEN total ELSE -total END),
        sum(CASE WHEN kind = 'sale' THEN points_earned ELSE -points_earned END)
      FROM receipts WHERE member_id IS NOT NULL AND status = 'posted' GROUP BY member_id, substr(business_date, 1, 7)`)
    // Literals, not parameters: generated dates, the same text on either engine.
    const lit = (v: string) => `'${v}'`
    const p = (n: number) => lit([windowFrom, month, at][n - 1]!)
    await sink.exec(`INSERT INTO member_purchase_stats (member_id, first_purchase_at, last_purchase_at, receipt_count, spend_total, points_earned_total, receipt_count_12m, spend_12m, points_earned_12m, window_month, updated_at)
      SELECT member_id, min(CASE WHEN kind = 'sale' THEN business_at END), max(CASE WHEN kind = 'sale' THEN business_at END),
        sum(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END), sum(CASE WHEN kind = 'sale' THEN total ELSE -total END), sum(CASE WHEN kind = 'sale' THEN points_earned ELSE -points_earned END),
        sum(CASE WHEN kind = 'sale' AND business_date >= ${p(1)} THEN 1 ELSE 0 END), sum(CASE WHEN business_date < ${p(1)} THEN 0 WHEN kind = 'sale' THEN total ELSE -total END),
        sum(CASE WHEN business_date < ${p(1)} THEN 0 WHEN kind = 'sale' THEN points_earned ELSE -points_earned END), ${p(2)}, ${p(3)}
      FROM receipts WHERE member_id IS NOT NULL AND status = 'posted' GROUP BY member_id`)
    await sink.exec(`INSERT INTO points_accounts (member_id, balance, tier_code, tier_since, tier_below_since, updated_at)
      SELECT m.id, coalesce(s.points_earned_total, 0),
        CASE WHEN coalesce(s.spend_12m, 0) >= 2000000 THEN 'diamond' WHEN coalesce(s.spend_12m, 0) >= 800000 THEN 'gold' WHEN coalesce(s.spend_12m, 0) >= 200000 THEN 'silver' ELSE 'regular' END,
        m.registered_at, NULL, ${p(3)}
      FROM members m LEFT JOIN member_purchase_stats s ON s.member_id = m.id`)
    await sink.exec(`INSERT INTO points_entries (id, member_id, kind, points, balance_after, receipt_id, store_id, actor_name, created_at)
      SELECT 'pte_' || substr(id, 5), member_id, CASE WHEN kind = 'sale' THEN 'earn' ELSE 'reversal' END, CASE WHEN kind = 'sale' THEN points_earned ELSE -points_earned END,
        sum(CASE WHEN kind = 'sale' THEN points_earned ELSE -points_earned END) OVER (PARTITION BY member_id ORDER BY business_at, id ROWS UNBOUNDED PRECEDING),
        id, store_id, 'bench', created_at
      FROM receipts WHERE member_id IS NOT NULL AND points_earned > 0`)
    await sink.commit()
    if (engine === 'postgres') await sink.exec('ANALYZE')
    const done = performance.now()

    const buyers: string[] = []
    for (let i = 0; i < M && buyers.length < 50_000; i += 7) if (bought[i]) buyers.push(memberIds[i]!)
    return {
      stores: stores.map((s) => ({ id: s.id, code: s.code, regionId: s.regionId })),
      regions: regions.map((r) => ({ id: r.id, code: r.code })),
      from: localDate(firstDay),
      to: localDate(end),
      counts: { members: M, products: products.length, receipts, returns, lines, memberReceipts },
      buyers,
      products,
      seconds: { load: (loaded - started) / 1000, indexes: (indexed - loaded) / 1000, facts: (done - indexed) / 1000 },
    }
  } finally {
    await sink.close()
  }
}

/**
 * Posts `count` sales through the till's sale path for the chain's buyers (from `offset` on), eight
 * at a time, one to five lines of goods sold by the piece each: the incremental refresh's new
 * receipts, in the bench and in insight-step.
 */
export const postBuyerSales = async (services: Services, till: Actor, chain: GeneratedChain, count: number, { offset = 0, prefix }: { offset?: number; prefix: string }): Promise<void> => {
  const goods = chain.products.filter((p) => !p.soldByWeight)
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      const lines = Array.from({ length: 1 + (i % 5) }, (_, n) => {
        const p = goods[(i * 7919 + n * 104_729) % goods.length]!
        const unitPrice = p.memberPrice ?? p.listPrice
        return { sku: p.sku, quantity: 1, unitPrice, amount: unitPrice }
      })
      const total = lines.reduce((a, l) => a + l.amount, 0)
      await services.receipts.postSale(till, {
        receiptNo: `${prefix}-${process.pid}-${i}`, businessAt: new Date().toISOString(), member: { id: chain.buyers[(i + offset) % chain.buyers.length]! },
        lines, tenders: [{ kind: 'wechat_pay', amount: total }], total,
      })
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
}
