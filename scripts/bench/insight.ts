// The insight part of `npm run bench` (issue 12 §9): a generated chain (insight-data.ts) at
// 1,000,000 members and 5,000,000 receipts by default, then each figure beside the bare engine
// doing the same scan through the driver (better-sqlite3 or pg, hand-written SQL) and the ratio.
import autocannon from 'autocannon'
import SQLite from 'better-sqlite3'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../../src/db/database.js'
import { checkDataKey } from '../../src/db/key-check.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import type { RefreshResult } from '../../src/modules/analytics/index.js'
import { createMembersService } from '../../src/modules/members/index.js'
import { createServices } from '../../src/services.js'
import type { Actor } from '../../src/shared/actor.js'
import { systemClock } from '../../src/shared/clock.js'
import { loadOrCreateKeyring } from '../../src/shared/pii.js'
import type { Engine } from './ceiling.js'
import { benchPhone } from './data.js'
import { generateInsightChain, postBuyerSales, type GeneratedChain } from './insight-data.js'
import { basketsOf } from '../../src/modules/analytics/rules/rules-baskets.js'
import { rulesMiningCase } from './rules-mining.js'
import { traceStatements, type TracedStatement } from './insight-trace.js'
import { patronArgs, startChild } from './processes.js'

export interface InsightBenchOptions {
  engine: Engine
  /** the bench's scratch directory */
  dir: string
  /** an administrative PostgreSQL URL (a database is created and dropped) */
  pgAdmin: string
  members: number
  receipts: number
  /** repetitions of each read (median and p95 over them) */
  runs: number
  /** seconds of each lookup run */
  seconds: number
  /** lookups per second offered */
  lookupRate: number
  /** the CLI build to serve from (patronArgs), or null for tsx */
  built: string | null
  /** leave the database in place afterwards (to EXPLAIN a slow figure's queries) */
  keep?: boolean
  /**
   * a directory that keeps the generated chain between runs (--keep-data DIR): its database (SQLite
   * file, or the PostgreSQL database patron_insight_kept), key and chain description are reused
   * when they hold a chain of the same size, and never dropped
   */
  keepData?: string
  /** print the slowest statements of every refresh, not only of one over its target */
  explainAll?: boolean
  report(engine: Engine, label: string, figure: string, ceiling: string, target: string): void
  log(line: string): void
}

type Services = ReturnType<typeof createServices>
const system: Actor = { kind: 'system', name: 'bench' }

export const n0 = (n: number) => Math.round(n).toLocaleString('en-US')
export const fmtMs = (n: number) => (n < 10 ? `${n.toFixed(1)} ms` : n < 10_000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`)

/** Median and p95 of `runs` timed calls after one warm-up. */
export const timeRuns = async (runs: number, fn: () => Promise<unknown> | unknown): Promise<{ median: number; p95: number }> => {
  await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await fn()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor((times.length - 1) / 2)]!, p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]! }
}

/** The bare engine: one connection through the driver, hand-written SQL, `?` placeholders. */
interface Bare {
  all(sql: string, params?: unknown[]): Promise<unknown[]>
  /** the engine's plan of a statement as Patron ran it (its own placeholders) */
  explain(sql: string, params: unknown[]): Promise<string[]>
  close(): Promise<void>
}

const openBare = async (engine: Engine, target: string): Promise<Bare> => {
  if (engine === 'sqlite') {
    const db = new SQLite(target, { readonly: true })
    db.pragma('cache_size = -65536')
    return {
      all: async (sql, params = []) => db.prepare(sql).all(params),
      explain: async (sql, params) => {
        const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ id: number; parent: number; detail: string }>
        const depth = new Map<number, number>([[0, 0]])
        return rows.map((r) => {
          const d = (depth.get(r.parent) ?? 0) + 1
          depth.set(r.id, d)
          return `${'  '.repeat(d - 1)}${r.detail}`
        })
      },
      close: async () => { db.close() },
    }
  }
  // A pool like the server's, for the lookups at a fixed rate (a client runs one query at a time).
  const pool = new pg.Pool({ connectionString: target, max: 10 })
  return {
    all: async (sql, params = []) => {
      let n = 0
      return (await pool.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows
    },
    explain: async (sql, params) => ((await pool.query(`EXPLAIN ${sql}`, params)).rows as Array<{ 'QUERY PLAN': string }>).map((r) => r['QUERY PLAN']),
    close: async () => { await pool.end() },
  }
}

/** Where the chain lives: the scratch directory, or --keep-data's. */
const homeOf = (o: InsightBenchOptions) => o.keepData ?? o.dir

/** The kept chain's description (written once it was generated; without it the database is begun again). */
const chainFileOf = (o: InsightBenchOptions) => join(homeOf(o), `insight-${o.engine}.chain.json`)

/** The bench's database: `drop` removes it (unless kept by --keep-data), `close` only lets go of the admin connection. */
const createDatabase = async (o: InsightBenchOptions): Promise<{ url: string; target: string; drop(): Promise<void>; close(): Promise<void> } | null> => {
  const reuse = o.keepData !== undefined && existsSync(chainFileOf(o))
  if (o.engine === 'sqlite') {
    const file = join(homeOf(o), `insight-${o.engine}.db`)
    if (!reuse) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
    return { url: `sqlite:${file}`, target: file, drop: async () => {}, close: async () => {} }
  }
  const admin = new pg.Client({ connectionString: o.pgAdmin })
  const name = o.keepData ? 'patron_insight_kept' : `patron_insight_${process.pid}`
  try {
    await admin.connect()
    if (!reuse) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.query(`CREATE DATABASE ${name}`)
    }
  } catch (err) {
    o.log(`PostgreSQL skipped: ${(err as Error).message} (set PATRON_BENCH_DATABASE_URL)`)
    await admin.end().catch(() => {})
    return null
  }
  const u = new URL(o.pgAdmin)
  u.pathname = `/${name}`
  return {
    url: u.toString(),
    target: u.toString(),
    drop: async () => {
      if (!o.keepData) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
      await admin.end().catch(() => {})
    },
    // A kept database's admin connection must end too: left open, it kept the bench from exiting.
    close: async () => {
      await admin.end().catch(() => {})
    },
  }
}

interface Context {
  o: InsightBenchOptions
  url: string
  target: string
  services: Services
  bare: Bare
  chain: GeneratedChain
}

/** The three slowest statements of a figure and the plan of the slowest, for its owner. */
const explainSlowest = async (c: Context, label: string, statements: TracedStatement[]) => {
  if (statements.length === 0) return
  c.o.log(`  ${label}: the slowest of its ${n0(statements.length)} statements:`)
  for (const st of statements.slice(0, 3)) c.o.log(`    ${fmtMs(st.ms).padStart(8)}  ${st.sql.replace(/\s+/g, ' ').slice(0, 400)}`)
  // A statement on the refresh's session-scoped scratch tables cannot be planned from another
  // connection: the plan shown is of the slowest one that can.
  for (const [i, st] of statements.slice(0, 3).entries()) {
    try {
      const plan = await c.bare.explain(st.sql, st.params)
      c.o.log(`    plan of the ${['slowest', 'second', 'third'][i]}:`)
      for (const line of plan.slice(0, 40)) c.o.log(`      ${line}`)
      if (plan.length > 40) c.o.log(`      … ${plan.length - 40} more lines`)
      return
    } catch (err) {
      c.o.log(`    (no plan of the ${['slowest', 'second', 'third'][i]}: ${(err as Error).message})`)
    }
  }
}

const ratio = (patron: number, bare: number) => (bare > 0 ? `Patron ${(patron / bare).toFixed(1)}× the bare scan` : 'bare scan too fast to compare')

/** One read figure: Patron's call and the bare engine's scan, each timed `runs` times. */
const readCase = async (c: Context, label: string, target: number, patron: () => Promise<unknown>, bareSql: string, bareParams: unknown[] = []) => {
  const bare = await timeRuns(c.o.runs, () => c.bare.all(bareSql, bareParams))
  const bareText = `bare ${fmtMs(bare.median)} (p95 ${fmtMs(bare.p95)}): ${bareSql.replace(/\s+/g, ' ').slice(0, 140)}`
  const t = await timeRuns(c.o.runs, patron)
  if (t.median > target) await explainSlowest(c, label, await traceStatements(patron))
  c.o.report(c.o.engine, label, `median ${fmtMs(t.median)}, p95 ${fmtMs(t.p95)} (${c.o.runs} runs)`, `${bareText}; ${ratio(t.median, bare.median)}`,
    `target ≤ ${fmtMs(target)}: ${t.median <= target ? 'met' : 'NOT MET'}`)
}

export const runInsightBench = async (o: InsightBenchOptions): Promise<void> => {
  mkdirSync(homeOf(o), { recursive: true })
  const db = await createDatabase(o)
  if (!db) return
  const keyFile = join(homeOf(o), `insight-${o.engine}.key`)
  const dataDir = join(homeOf(o), `insight-${o.engine}`)
  mkdirSync(dataDir, { recursive: true })
  const chainFile = chainFileOf(o)
  const { keyring } = loadOrCreateKeyring(keyFile)
  try {
    const first = openDatabase(db.url)
    try {
      await migrateToLatest(first.db)
      await checkDataKey(first.db, keyring)
    } finally {
      await first.destroy()
    }
    // A kept chain of the same size is reused (its description written after it was generated).
    const kept = o.keepData && existsSync(chainFile) ? JSON.parse(readFileSync(chainFile, 'utf8')) as GeneratedChain & { size: { members: number; receipts: number } } : null
    let chain: GeneratedChain
    if (kept && kept.size.members === o.members && kept.size.receipts === o.receipts) {
      chain = kept
      o.log(`  the kept chain in ${homeOf(o)} (${n0(chain.counts.members)} members, ${n0(chain.counts.receipts)} receipts; what earlier runs posted stays in it)`)
    } else {
      if (kept) throw new Error(`--keep-data ${homeOf(o)} holds a chain of ${n0(kept.size.members)} members and ${n0(kept.size.receipts)} receipts: empty it or give another directory`)
      const started = performance.now()
      chain = await generateInsightChain(o.engine, db.target, keyring, { members: o.members, receipts: o.receipts }, new Date(), o.log)
      const took = (performance.now() - started) / 1000
      if (o.keepData) writeFileSync(chainFile, JSON.stringify({ ...chain, size: { members: o.members, receipts: o.receipts } }))
      o.report(o.engine, 'insight data',
        `${n0(chain.counts.members)} members, ${n0(chain.counts.receipts)} receipts (${n0(chain.counts.returns)} returns, ${n0(chain.counts.memberReceipts)} with a member), ${n0(chain.counts.lines)} lines, ${chain.from} to ${chain.to}, in ${took.toFixed(0)} s`,
        `load ${chain.seconds.load.toFixed(0)} s, indexes ${chain.seconds.indexes.toFixed(0)} s, facts ${chain.seconds.facts.toFixed(0)} s`, 'generated (not a target)')
    }

    const database = openDatabase(db.url)
    const bare = await openBare(o.engine, db.target)
    try {
      const services = createServices({ database, keyring, clock: systemClock, timezone: 'Asia/Shanghai', dataDir })
      const c: Context = { o, url: db.url, target: db.target, services, bare, chain }
      await runCases(c)
    } finally {
      await bare.close()
      await database.destroy()
    }
  } finally {
    if (o.keep || o.keepData) {
      o.log(`  kept: ${db.url}`)
      await db.close()
    } else {
      await db.drop()
    }
  }
}


const DAY = 86_400_000
const localDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)

/** Five conditions, one of them "bought in a category within 90 days" (issue 12 §9). */
export const FIVE_CONDITIONS = {
  all: [
    { field: 'gender', op: 'in', value: ['female'] },
    { field: 'age_band', op: 'in', value: ['25-34', '35-44'] },
    { field: 'spend_w', op: 'gte', value: 50_000 },
    { field: 'recency_days', op: 'lte', value: 60 },
    { field: 'bought', op: 'category', value: ['纸尿裤'], days: 90 },
  ],
}
/** The same five conditions by hand, on the tables the refresh writes (`?` = the 90 days' first date). */
const FIVE_CONDITIONS_SQL = `FROM member_insight mi WHERE mi.gender = 'female' AND mi.age_band IN ('25-34', '35-44') AND mi.spend_w >= 50000 AND mi.recency_days <= 60
  AND mi.member_id IN (SELECT member_id FROM member_category_days WHERE category = '纸尿裤' AND day >= ?)`

/**
 * Calls at a fixed offered rate (not waiting for the previous answer); each latency counts from
 * when the call was due, so a stall shows in the figure instead of slowing the load.
 */
interface RateFigure { p50: number; p99: number; failed: number; sample: string | null }

const atRate = async (rate: number, seconds: number, call: (i: number) => Promise<unknown>, groups = 1): Promise<RateFigure[]> => {
  const n = Math.max(groups, Math.round(rate * seconds))
  const latencies: number[][] = Array.from({ length: groups }, () => [])
  const inflight: Array<Promise<void>> = []
  let failed = 0
  let sample: string | null = null
  const start = performance.now()
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    inflight.push((async () => {
      // From when it was due (a late call counts its wait), or from its start when a timer woke a
      // little early (never from before it started: that made the bare SELECT's p50 negative).
      const from = Math.min(due, performance.now())
      try {
        await call(i)
      } catch (err) {
        failed++
        sample ??= (err as Error).message
      }
      latencies[i % groups]!.push(performance.now() - from)
    })())
  }
  await Promise.all(inflight)
  return latencies.map((l) => {
    l.sort((a, b) => a - b)
    const at = (p: number) => l[Math.min(l.length - 1, Math.floor(l.length * p))] ?? 0
    return { p50: at(0.5), p99: at(0.99), failed, sample }
  })
}

const timed = async <T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - started }
}

/**
 * A refresh, its statements traced (printed when over the target), beside the bare scan. With
 * `target` null the figure has none of its own (printed with its slowest statements).
 */
const refreshCase = async (c: Context, label: string, options: { full?: boolean; rebuild?: boolean }, target: number | null, bare: { ms: number; text: string }, note = '') => {
  let statements: TracedStatement[] = []
  const run = await timed(async () => {
    let result!: RefreshResult
    statements = await traceStatements(async () => { result = await c.services.insight.refresh(options) })
    return result
  })
  if (target === null || run.ms > target || c.o.explainAll) await explainSlowest(c, label, statements)
  const what = `${run.value.mode}${run.value.rebuilt ? ', days by category rebuilt from every line' : ''}`
  c.o.report(c.o.engine, label, `${fmtMs(run.ms)}${note} (${what}, ${n0(run.value.members)} members, ${n0(run.value.receiptsRead)} receipts read)`,
    `bare ${fmtMs(bare.ms)}: ${bare.text}; ${ratio(run.ms, bare.ms)}`,
    target === null ? 'target: none of its own (the first refresh, and `--rebuild`)' : `target ≤ ${target / 1000} s: ${run.ms <= target ? 'met' : 'NOT MET'}`)
}

/**
 * Issue 13 §2: association rules over the chain's last 1,000,000 sales, by category (its goods are
 * drawn independently within a department, so at the SKU level no pair is frequent). Patron
 * end to end (the baskets read, mined, the run stored), beside the baskets' lines read bare; then
 * the mining alone (FP-Growth and the rules) beside node-fpgrowth on the same baskets, in the same
 * run (its itemsets only: it has no rules; ours then without a length limit, so both find the
 * same itemsets).
 */
const rulesCases = async (c: Context) => {
  const { o, bare, services, chain } = c
  const support = 0.001
  const confidence = 0.1
  const [edge] = await bare.all("SELECT business_date AS d FROM receipts WHERE kind = 'sale' AND status = 'posted' ORDER BY business_date DESC LIMIT 1 OFFSET 999999") as Array<{ d: string }>
  const input = { level: 'category' as const, from: edge?.d ?? chain.from, to: localDate(Date.now()), minSupport: support, minConfidence: confidence }
  const mined = await timed(() => services.rules.mine(system, input))
  // The lines' rows are let go once the baskets are built, so the mining below does not share
  // the heap with three million of them (node-fpgrowth runs in a worker of its own).
  const read = async () => {
    const lines = await timed(() => bare.all("SELECT l.receipt_id AS r, p.category AS k FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id JOIN products p ON p.id = l.product_id WHERE r.kind = 'sale' AND r.status = 'posted' AND r.business_date >= ? AND r.business_date <= ? AND p.category IS NOT NULL ORDER BY l.receipt_id", [input.from, input.to]) as Promise<Array<{ r: string; k: string }>>)
    return { ms: lines.ms, baskets: basketsOf(lines.value).baskets }
  }
  const bareRead = await read()
  const run = mined.value.run
  o.report(o.engine, 'association rules (end to end)', `${fmtMs(mined.ms)} (${n0(run.baskets)} baskets of ${input.from} to ${input.to} by category, ${n0(run.items)} categories, ${n0(run.itemsets)} frequent itemsets, ${n0(run.rules)} rules at support ≥ ${support}, confidence ≥ ${confidence}: read, mined, stored)`,
    `bare ${fmtMs(bareRead.ms)}: the baskets' lines read in receipt order (one scan, no mining); ${ratio(mined.ms, bareRead.ms)}`, 'target: none of its own (the mining alone, below)')
  const { baskets } = bareRead
  const m = await rulesMiningCase({ baskets, itemCount: baskets.itemCount, minSupport: support, minConfidence: confidence, runs: 5 })
  const n = baskets.offsets.length - 1
  const speedup = m.nodeFpgrowth ? m.nodeFpgrowth.ms / m.ours.ms : null
  const met = m.ours.ms <= 2500 && speedup !== null && speedup >= 5
  o.report(o.engine, 'association rules (mining)', `median ${fmtMs(m.ours.ms)} (5 runs after one untimed) for ${n0(n)} baskets: ${n0(m.ours.itemsets)} frequent itemsets of any length, ${n0(m.ours.rules)} rules`,
    m.nodeFpgrowth ? `node-fpgrowth ${fmtMs(m.nodeFpgrowth.ms)} on the same baskets (${n0(m.nodeFpgrowth.itemsets)} itemsets, no rules): Patron ${speedup!.toFixed(1)}× faster` : 'node-fpgrowth failed on these baskets',
    `target ≤ 2.5 s and ≥ 5× faster than node-fpgrowth: ${met ? 'met' : 'NOT MET'}`)
}

/**
 * Issue 13 §3: the recommendation model built from the last 90 days' sales (the nightly job),
 * beside the lines it reads, read bare; then a member's suggestions as the member page and the
 * till ask for them (GET /members/{id}/recommendations, in process) at a fixed offered rate, beside
 * the bare engine running the same member's history query at the same rate.
 */
const recommendationCases = async (c: Context) => {
  const { o, bare, services, chain } = c
  const built = await timed(() => services.recommendations.build(system, {}))
  const m = built.value
  const bareLines = await timed(() => bare.all("SELECT l.receipt_id AS r, l.product_id AS k FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id WHERE r.kind = 'sale' AND r.status = 'posted' AND r.business_date >= ? AND r.business_date <= ? AND l.product_id IS NOT NULL ORDER BY l.receipt_id", [m.from, m.to]))
  o.report(o.engine, 'recommendation model', `${fmtMs(built.ms)} (${n0(m.baskets)} baskets of ${m.from} to ${m.to}, ${n0(m.members)} members, ${n0(m.products)} products, ${n0(m.neighbours)} neighbour pairs stored)`,
    `bare ${fmtMs(bareLines.ms)}: the period's lines read in receipt order (one of its two reads); ${ratio(built.ms, bareLines.ms)}`, 'target: none set (a nightly job)')
  const rate = Math.min(o.lookupRate, 100)
  const seconds = Math.min(o.seconds, 20)
  const member = (i: number) => chain.buyers[(i * 7_919 + 13) % chain.buyers.length]!
  const since = localDate(Date.now() - 364 * DAY)
  const history = "SELECT l.product_id AS k, COUNT(DISTINCT r.business_date) AS n, MAX(r.business_date) AS last FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id WHERE r.member_id = ? AND r.kind = 'sale' AND r.status = 'posted' AND r.business_date >= ? AND l.product_id IS NOT NULL GROUP BY l.product_id ORDER BY n DESC, last DESC, l.product_id LIMIT 100"
  const [bareRun] = await atRate(rate, seconds, (i) => bare.all(history, [member(i), since]))
  await services.recommendations.forMember(system, member(0), {})
  const [run] = await atRate(rate, seconds, (i) => services.recommendations.forMember(system, member(i), {}))
  const fig = (r: RateFigure) => `p50 ${fmtMs(r.p50)}, p99 ${fmtMs(r.p99)}${r.failed ? ` (${n0(r.failed)} failed: ${r.sample})` : ''}`
  const met = run!.p99 <= 50
  o.report(o.engine, 'recommendations per member', `${n0(rate)}/s offered in process (10 suggestions of ${n0(chain.buyers.length)} buyers, with reasons): ${fig(run!)}`,
    `bare history query (the biggest of its five reads) at the same rate: ${fig(bareRun!)}`, `target p99 ≤ 50 ms: ${met ? 'met' : 'NOT MET'}`)
}

/** What the refresh reads, by hand: receipts and lines of members grouped by member and category. */
const MEMBER_CATEGORY_SCAN = "SELECT r.member_id, p.category, count(DISTINCT r.id), sum(CASE WHEN r.kind = 'sale' THEN l.amount ELSE -l.amount END), max(r.business_at) FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id JOIN products p ON p.id = l.product_id WHERE r.status = 'posted' AND "

const runCases = async (c: Context) => {
  const { o, bare, chain, services } = c

  const bareFull = await timed(() => bare.all(`${MEMBER_CATEGORY_SCAN} r.member_id IS NOT NULL GROUP BY r.member_id, p.category`))
  // The first refresh builds member_category_days from every line; a full one (the daily run, or
  // `--full`) computes every member again from the receipts and that table.
  await refreshCase(c, 'refresh (first: rebuild)', { rebuild: true }, null, { ms: bareFull.ms, text: "every member's receipts and lines grouped by member and category (one scan, no writes)" })
  const bareMembers = await timed(() => bare.all("SELECT member_id, store_id, count(*), sum(total), max(business_date) FROM receipts WHERE status = 'posted' AND member_id IS NOT NULL GROUP BY member_id, store_id"))
  await refreshCase(c, 'refresh (full)', { full: true }, 60_000, { ms: bareMembers.ms, text: "every member's receipts grouped by member and store (one scan, no writes)" })

  await readCase(c, 'RFM classes', 300, () => services.classes.rfm(system, {}),
    'SELECT rfm_class, r_score, f_score, m_score, count(*), sum(spend_w), sum(recency_days), sum(receipts_w) FROM member_insight GROUP BY rfm_class, r_score, f_score, m_score')
  await readCase(c, 'value quadrants', 300, () => services.classes.quadrants(system, {}), 'SELECT quadrant, count(*), sum(spend_w) FROM member_insight GROUP BY quadrant')
  await readCase(c, 'lifecycle', 300, () => services.classes.lifecycle(system, {}), 'SELECT lifecycle, count(*) FROM member_insight GROUP BY lifecycle')

  // The dashboard's KPIs: the default (the last 12 months, each with 环比 and 同比), beside one
  // grouped scan of the two years of receipts they cover.
  // The KPI read model (stores × days, scopes × months) is built first, as the first read would.
  const kpiModel = await timed(() => services.kpis.refresh({ full: true }))
  o.report(o.engine, 'KPI read model (full)', `${fmtMs(kpiModel.ms)} (${kpiModel.value.mode}: ${n0(kpiModel.value.days)} days, ${n0(kpiModel.value.months)} months as it reports them)`, 'not measured', 'target: none set (built once, then caught up by the reads)')
  const today = localDate(Date.now())
  const kpiFrom = `${Number(today.slice(0, 4)) - 2}${today.slice(4, 7)}-01`
  await readCase(c, 'dashboard KPIs', 300, () => services.kpis.kpis(system, { grain: 'month' }),
    'SELECT substr(business_date, 1, 7), count(*), sum(total), count(DISTINCT member_id), sum(CASE WHEN member_id IS NULL THEN 0 ELSE total END) FROM receipts WHERE business_date >= ? GROUP BY substr(business_date, 1, 7)', [kpiFrom])

  const since = localDate(Date.now() - 89 * DAY)
  await readCase(c, 'segment count (5 conditions)', 500, () => services.segments.count(system, FIVE_CONDITIONS), `SELECT count(*) ${FIVE_CONDITIONS_SQL}`, [since])
  await readCase(c, 'segment first page', 200, () => services.segments.preview(system, FIVE_CONDITIONS, { limit: 50 }),
    `SELECT m.id, m.card_no, m.phone_masked, m.name_masked FROM members m WHERE m.id IN (SELECT mi.member_id ${FIVE_CONDITIONS_SQL}) ORDER BY m.id LIMIT 50`, [since])

  // Incremental refresh after 10,000 receipts posted through the till's sale path (a POS key's
  // actor, members by id, eight at a time), beside a scan of those members' receipts.
  const store = chain.stores[0]!
  const key = await services.auth.createPosKey(system, { storeId: store.id, name: 'bench till' })
  const till: Actor = { kind: 'pos', keyId: key.id, name: 'bench till', storeId: store.id }
  const postedFrom = new Date().toISOString()
  const posting = await timed(() => postBuyerSales(services, till, chain, 10_000, { prefix: 'INC' }))
  o.log(`  10,000 receipts posted through the sale path in ${fmtMs(posting.ms)} (${n0(10_000 / (posting.ms / 1000))}/s)`)
  const bareInc = await timed(() => bare.all(`${MEMBER_CATEGORY_SCAN} r.member_id IN (SELECT member_id FROM receipts WHERE created_at >= ?) GROUP BY r.member_id, p.category`, [postedFrom]))
  await refreshCase(c, 'refresh (incremental)', {}, 2000, { ms: bareInc.ms, text: 'the receipts and lines of the members of the new receipts, grouped by member and category' }, ' after 10,000 new receipts')

  // Issue 13: BG/NBD and Gamma-Gamma fitted on every member's purchase days and each member's
  // predictions written (the nightly job), beside one grouped scan of those days.
  const bareClv = await timed(() => bare.all('SELECT count(*) FROM (SELECT member_id, day, sum(spend) FROM member_store_days WHERE sales > 0 GROUP BY member_id, day) d'))
  const clv = await timed(() => services.clv.score(system, {}))
  o.report(o.engine, 'CLV fit and scoring', `${fmtMs(clv.ms)} (${n0(clv.value.fit.members)} members with a purchase, ${n0(clv.value.fit.repeatMembers)} of them repeat)`,
    `bare ${fmtMs(bareClv.ms)}: every member's purchase days grouped (one scan, no writes); ${ratio(clv.ms, bareClv.ms)}`, 'target: none set (a nightly job); printed as issue 13 asks')

  await rulesCases(c)
  await recommendationCases(c)

  await lookupCases(c, key.key)
}

/** HTTP lookups at a fixed offered rate (autocannon's overall rate) from 20 connections. */
const httpAtRate = async (url: string, path: string, rate: number, seconds: number, headers: Record<string, string>, body: () => unknown) => {
  let sample: string | null = null
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url, connections: 20, duration: seconds, overallRate: rate, headers: { 'content-type': 'application/json', ...headers },
      requests: [{
        method: 'POST', path, setupRequest: (req) => ({ ...req, body: JSON.stringify(body()) }),
        onResponse: (status, text) => { if ((status < 200 || status >= 300) && sample === null) sample = `${status} ${text.slice(0, 200)}` },
      }],
    }, (err, res) => (err ? reject(err) : resolve(res)))
    instance.on('reqError', (err: Error) => { sample ??= err.message })
  })
  return { rate: result['2xx'] / result.duration, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors, sample }
}

/**
 * The till's member lookup by phone at a fixed offered rate: in process, today's lookup (the
 * members service without the profile reader) against the same service with it, beside the bare
 * indexed SELECT; then over HTTP with a POS key (the server as shipped) beside a bare Fastify route.
 */
const lookupCases = async (c: Context, posKey: string) => {
  const { o, services: s } = c
  const rate = o.lookupRate
  const seconds = Math.min(o.seconds, 20)
  const phone = (i: number) => benchPhone((i * 7_919 + 13) % o.members)
  const till: Actor = { kind: 'pos', keyId: 'key_bench_lookup', name: 'bench till', storeId: c.chain.stores[0]!.id }
  const deps = { db: s.db, engine: s.engine, audit: s.audit, clock: s.clock, keyring: s.keyring, events: s.events, outbox: s.outbox, timezone: s.timezone, lookupLimits: { perMinute: 0, missesPerHour: 0 } }
  const plain = createMembersService(deps)
  const profiled = createMembersService({ ...deps, lookupProfile: s.profiles.lookupProfile })
  const bareSelect = 'SELECT id, card_no, status, registration_store_id, registered_at FROM members WHERE phone_bidx = ?'
  const [bareRun] = await atRate(rate, seconds, (i) => c.bare.all(bareSelect, [s.keyring.blindIndex('phone', phone(i))]))
  // With and without the profile interleaved call by call (half the rate each), so both meet the same machine.
  const [without, withP] = await atRate(rate, 2 * seconds, (i) => (i % 2 === 1 ? profiled : plain).lookup(till, { phone: phone(i) }), 2)
  const fig = (r: RateFigure) => `p50 ${fmtMs(r.p50)}, p99 ${fmtMs(r.p99)}${r.failed ? ` (${n0(r.failed)} failed: ${r.sample})` : ''}`
  const bareText = `bare indexed SELECT at ${n0(rate)}/s: ${fig(bareRun!)}`
  // "No slower": within 10% (or half a millisecond) of today's lookup at p50 and p99.
  const met = withP!.p50 <= without!.p50 * 1.1 + 0.5 && withP!.p99 <= without!.p99 * 1.1 + 0.5
  o.report(o.engine, 'till lookup', `${n0(rate)}/s in process, interleaved half and half: with the profile ${fig(withP!)}; without ${fig(without!)}`, `${bareText}; with/without p50 ${(withP!.p50 / Math.max(0.01, without!.p50)).toFixed(2)}×`,
    `target: no slower than without: ${met ? 'met' : 'NOT MET'}`)

  const keyFile = join(homeOf(o), `insight-${o.engine}.key`)
  const env = { DATABASE_URL: c.url, PATRON_DATA_DIR: join(homeOf(o), `insight-${o.engine}`), PATRON_KEY_FILE: keyFile, LOG_LEVEL: 'warn', PATRON_SCHEDULER: 'off', PATRON_MEMBER_LOOKUPS_PER_MINUTE: '0' }
  const body = () => ({ phone: phone(Math.floor(Math.random() * o.members)) })
  const bareServer = await startChild(['--import', 'tsx', 'scripts/bench/ceiling-server.ts'], { BENCH_DB: c.target, PATRON_KEY_FILE: keyFile }, '/readyz')
  let bareHttp: Awaited<ReturnType<typeof httpAtRate>>
  try {
    bareHttp = await httpAtRate(bareServer.url, '/lookup', rate, seconds, {}, body)
  } finally {
    await bareServer.stop()
  }
  const server = await startChild(patronArgs(o.built, ['serve']), env, '/readyz')
  try {
    const headers = { authorization: `Bearer ${posKey}` }
    await httpAtRate(server.url, '/api/v1/members/lookup', rate, 2, headers, body)
    const r = await httpAtRate(server.url, '/api/v1/members/lookup', rate, seconds, headers, body)
    o.report(o.engine, 'till lookup (HTTP)', `${n0(r.rate)}/s answered of ${n0(rate)}/s offered, p50 ${fmtMs(r.p50)}, p99 ${fmtMs(r.p99)}${r.failed ? ` (${n0(r.failed)} failed: ${r.sample})` : ''}; the server as shipped (with the profile)`,
      `bare Fastify + one indexed SELECT at the same rate: p50 ${fmtMs(bareHttp.p50)}, p99 ${fmtMs(bareHttp.p99)}`, 'target: as the in-process figure')
  } finally {
    await server.stop()
  }
}
