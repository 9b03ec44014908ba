// The insight part of `npm run bench` (issue 12 §9): a generated chain (insight-data.ts) at
// 1,000,000 members and 5,000,000 receipts by default, then each figure beside the bare engine
// doing the same scan through the driver (better-sqlite3 or pg, hand-written SQL) and the ratio.
import SQLite from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../../src/db/database.js'
import { checkDataKey } from '../../src/db/key-check.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { createServices } from '../../src/services.js'
import type { Actor } from '../../src/shared/actor.js'
import { systemClock } from '../../src/shared/clock.js'
import { loadOrCreateKeyring } from '../../src/shared/pii.js'
import type { Engine } from './ceiling.js'
import { generateInsightChain, type GeneratedChain } from './insight-data.js'

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
  close(): Promise<void>
}

const openBare = async (engine: Engine, target: string): Promise<Bare> => {
  if (engine === 'sqlite') {
    const db = new SQLite(target, { readonly: true })
    db.pragma('cache_size = -65536')
    return { all: async (sql, params = []) => db.prepare(sql).all(params), close: async () => { db.close() } }
  }
  const client = new pg.Client({ connectionString: target })
  await client.connect()
  return {
    all: async (sql, params = []) => {
      let n = 0
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows
    },
    close: async () => { await client.end() },
  }
}

const createDatabase = async (o: InsightBenchOptions): Promise<{ url: string; target: string; drop(): Promise<void> } | null> => {
  if (o.engine === 'sqlite') {
    const file = join(o.dir, 'insight.db')
    return { url: `sqlite:${file}`, target: file, drop: async () => {} }
  }
  const admin = new pg.Client({ connectionString: o.pgAdmin })
  const name = `patron_insight_${process.pid}`
  try {
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
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
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
      await admin.end().catch(() => {})
    },
  }
}

interface Context {
  o: InsightBenchOptions
  services: Services
  bare: Bare
  chain: GeneratedChain
}

const ratio = (patron: number, bare: number) => (bare > 0 ? `Patron ${(patron / bare).toFixed(1)}× the bare scan` : 'bare scan too fast to compare')

/** One read figure: Patron's call and the bare engine's scan, each timed `runs` times. */
const readCase = async (c: Context, label: string, target: number, patron: (() => Promise<unknown>) | null, bareSql: string, bareParams: unknown[] = [], missing = 'not available yet') => {
  const bare = await timeRuns(c.o.runs, () => c.bare.all(bareSql, bareParams))
  const bareText = `bare ${fmtMs(bare.median)} (p95 ${fmtMs(bare.p95)}): ${bareSql.replace(/\s+/g, ' ').slice(0, 140)}`
  if (!patron) {
    c.o.report(c.o.engine, label, missing, bareText, `target ≤ ${fmtMs(target)}: not measured`)
    return
  }
  const t = await timeRuns(c.o.runs, patron)
  c.o.report(c.o.engine, label, `median ${fmtMs(t.median)}, p95 ${fmtMs(t.p95)} (${c.o.runs} runs)`, `${bareText}; ${ratio(t.median, bare.median)}`,
    `target ≤ ${fmtMs(target)}: ${t.median <= target ? 'met' : 'NOT MET'}`)
}

export const runInsightBench = async (o: InsightBenchOptions): Promise<void> => {
  const db = await createDatabase(o)
  if (!db) return
  const keyFile = join(o.dir, `insight-${o.engine}.key`)
  const dataDir = join(o.dir, `insight-${o.engine}`)
  mkdirSync(dataDir, { recursive: true })
  const { keyring } = loadOrCreateKeyring(keyFile)
  try {
    const first = openDatabase(db.url)
    try {
      await migrateToLatest(first.db)
      await checkDataKey(first.db, keyring)
    } finally {
      await first.destroy()
    }
    const started = performance.now()
    const chain = await generateInsightChain(o.engine, db.target, keyring, { members: o.members, receipts: o.receipts }, new Date(), o.log)
    const took = (performance.now() - started) / 1000
    o.report(o.engine, 'insight data',
      `${n0(chain.counts.members)} members, ${n0(chain.counts.receipts)} receipts (${n0(chain.counts.returns)} returns, ${n0(chain.counts.memberReceipts)} with a member), ${n0(chain.counts.lines)} lines, ${chain.from} to ${chain.to}, in ${took.toFixed(0)} s`,
      `load ${chain.seconds.load.toFixed(0)} s, indexes ${chain.seconds.indexes.toFixed(0)} s, facts ${chain.seconds.facts.toFixed(0)} s`, 'generated (not a target)')

    const database = openDatabase(db.url)
    const bare = await openBare(o.engine, db.target)
    try {
      const services = createServices({ database, keyring, clock: systemClock, timezone: 'Asia/Shanghai', dataDir })
      const c: Context = { o, services, bare, chain }
      await runCases(c)
    } finally {
      await bare.close()
      await database.destroy()
    }
  } finally {
    await db.drop()
  }
}

const runCases = async (c: Context) => {
  // Full refresh: beside one grouped scan of every member's receipts.
  await readCase(c, 'refresh (full)', 60_000, null,
    "SELECT member_id, count(*), sum(CASE WHEN kind = 'sale' THEN total ELSE -total END), max(business_at) FROM receipts WHERE member_id IS NOT NULL GROUP BY member_id", [], 'not available yet')
  await readCase(c, 'RFM classes', 300, null, 'SELECT rfm_class, count(*), sum(spend_w) FROM member_insight GROUP BY rfm_class')
  await readCase(c, 'quadrants', 300, null, 'SELECT quadrant, count(*), sum(spend_w) FROM member_insight GROUP BY quadrant')
  await readCase(c, 'lifecycle', 300, null, 'SELECT lifecycle, count(*) FROM member_insight GROUP BY lifecycle')
  void system
}
