// npm run bench [-- options] — figures, not a test. On SQLite and (when reachable) PostgreSQL:
//   members  member CSV import: rows/s and peak memory (it also builds the chain the rest uses)
//   till     till commits/s over HTTP against one server process, 100 connections, p50/p99
//   import   POS export import (patron receipts import --no-points): lines/s and peak RSS
//   lookup   member lookups by phone over HTTP: requests/s, p50/p99
//   issue    bulk issue of a coupon to 100,000 members (or all, if fewer), in process: seconds
//   coupons  till commits/s over HTTP with one coupon per receipt (validated and consumed)
//   campaign a campaign to every member: preparation (≤ 60 s) and messages/s through the sandbox
//   insight  customer insight on its own generated chain (--members, --receipts): refresh, class
//            counts, KPIs, a segment, the till's lookup with the profile, CLV, association rules,
//            recommendations (model build, latency per member) (scripts/bench/insight.ts)
//   recommend the recommendation holdout check on UCI Online Retail and the Complete Journey
//            sample beside "most popular" (no database; scripts/bench/recommend-offline.ts)
// Each figure stands beside this machine's raw ceiling measured in the same run (the bare
// driver, a bare Fastify route), and the targets. Options:
//   --only members,till,import,lookup,issue,coupons,campaign,insight,recommend   --engine sqlite,postgres
//   --members N (1,000,000)   --lines N (5,000,000)   --seconds S per HTTP run (20)
//   --receipts N (5,000,000, insight)   --runs N (20: repetitions of each insight read)
//   --rate N (200: lookups per second offered in the insight part's till lookup)
//   --keep-data DIR (insight) keep the generated chain in DIR and reuse it on the next run of the same
//                 size (PostgreSQL: the database patron_insight_kept); what a run posts stays in it
//   --connections N (100)   --profile (CPU profile of the server child)
//   --built [DIR] run the server and the import from a build (DIR/cli/main.js, default dist) rather
//                 than through tsx: readable profiles, and the memory figure without the loader
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../src/db/database.js'
import { checkDataKey } from '../src/db/key-check.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { seedDemoProducts } from '../src/demo/demo-products.js'
import { parseMapping } from '../src/modules/members/index.js'
import { createServices } from '../src/services.js'
import type { Actor } from '../src/shared/actor.js'
import { systemClock } from '../src/shared/clock.js'
import { loadOrCreateKeyring } from '../src/shared/pii.js'
import { runCampaignBench } from './bench/campaign.js'
import { importCeiling, tillCeiling, type Engine } from './bench/ceiling.js'
import { benchPhone, benchProducts, MEMBER_CSV_MAPPING, RECEIPT_CSV_MAPPING, tillSales, writeMembersCsv, writeReceiptsCsv } from './bench/data.js'
import { hasCommand, load, patronArgs, runMeasured, startChild, type LoadResult } from './bench/processes.js'
import { summariseProfiles } from './bench/profile.js'
import { runInsightBench } from './bench/insight.js'
import { offlineText, recommendOffline } from './bench/recommend-offline.js'

const PARTS = ['members', 'till', 'import', 'lookup', 'issue', 'coupons', 'campaign', 'insight', 'recommend'] as const
type Part = (typeof PARTS)[number]

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const count = (name: string, fallback: number) => {
  const v = arg(name)
  if (v === undefined) return fallback
  const n = Number(v.replaceAll('_', '').replaceAll(',', ''))
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: a whole number above 0, got ${v}`)
  return n
}
const list = <T extends string>(name: string, all: readonly T[]): T[] => {
  const v = arg(name)
  if (v === undefined) return [...all]
  const picked = v.split(',').map((s) => s.trim()).filter(Boolean)
  const wrong = picked.filter((p) => !(all as readonly string[]).includes(p))
  if (wrong.length) throw new Error(`--${name}: ${wrong.join(', ')} not among ${all.join(', ')}`)
  return picked as T[]
}

const parts = new Set(list('only', PARTS))
const engines = list('engine', ['sqlite', 'postgres'] as const)
// --rows is the older name of --members.
const members = count('members', count('rows', 1_000_000))
const lines = count('lines', 5_000_000)
const receipts = count('receipts', 5_000_000)
const runs = count('runs', 20)
const lookupRate = count('rate', 200)
const seconds = count('seconds', 20)
const connections = count('connections', 100)
const profile = process.argv.includes('--profile')
const built = process.argv.includes('--built') ? join(arg('built')?.startsWith('--') === false ? arg('built')! : 'dist', 'cli', 'main.js') : null
const keepData = arg('keep-data')
if (keepData !== undefined && keepData.startsWith('--')) throw new Error('--keep-data: a directory')
const pgAdmin = process.env.PATRON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const dir = mkdtempSync(join(tmpdir(), 'patron-bench-'))
const system: Actor = { kind: 'system', name: 'bench' }
const STORE = 'BENCH1'

const TARGETS: Record<Engine, Partial<Record<Part, { rate: number; unit: string; p99?: number; mib?: number }>>> = {
  sqlite: {
    till: { rate: 2_000, unit: 'commits/s', p99: 20 },
    import: { rate: 100_000, unit: 'lines/s', mib: 500 },
    lookup: { rate: 10_000, unit: 'req/s', p99: 20 },
  },
  postgres: { till: { rate: 1_000, unit: 'commits/s' } },
}

const n0 = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024)
const summary: string[] = []

const verdict = (engine: Engine, part: Part, rate: number, p99?: number, peakMib?: number): string => {
  const t = TARGETS[engine][part]
  if (!t) return 'target: none set'
  const goals = [`≥ ${n0(t.rate)} ${t.unit}`, ...(t.p99 ? [`p99 ≤ ${t.p99} ms`] : []), ...(t.mib ? [`under ${t.mib} MB`] : [])]
  const met = rate >= t.rate && (t.p99 === undefined || (p99 ?? Infinity) <= t.p99) && (t.mib === undefined || (peakMib ?? Infinity) * 1.048576 <= t.mib)
  return `target ${goals.join(', ')}: ${met ? 'met' : 'NOT MET'}`
}

const report = (engine: Engine, label: string, figure: string, ceiling: string, target: string) => {
  const line = `${(engine === 'sqlite' ? 'SQLite' : 'PostgreSQL').padEnd(10)} ${label.padEnd(15)} ${figure}`
  console.log(line)
  console.log(`${''.padEnd(27)}ceiling: ${ceiling}`)
  console.log(`${''.padEnd(27)}${target}`)
  summary.push(`| ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${label} | ${figure} | ${ceiling} | ${target} |`)
}

const httpFigure = (r: LoadResult, unit: string) =>
  `${n0(r.rate)} ${unit}, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}${r.failed ? ` (${n0(r.failed)} failed: ${r.sample ?? 'connection errors'})` : ''}`

/** A fresh database for one engine: a SQLite file, or a PostgreSQL database dropped afterwards. */
const createDatabase = async (engine: Engine): Promise<{ url: string; target: string; drop(): Promise<void> } | null> => {
  if (engine === 'sqlite') {
    const file = join(dir, 'bench.db')
    return { url: `sqlite:${file}`, target: file, drop: async () => {} }
  }
  const admin = new pg.Client({ connectionString: pgAdmin })
  const name = `patron_bench_${process.pid}`
  try {
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
  } catch (err) {
    console.log(`PostgreSQL skipped: ${(err as Error).message} (set PATRON_BENCH_DATABASE_URL)`)
    await admin.end().catch(() => {})
    return null
  }
  const u = new URL(pgAdmin)
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

/** Imports the members (the member-import figure), a store, the catalogue and a POS key. */
const buildChain = async (engine: Engine, url: string, keyFile: string, dataDir: string) => {
  const { keyring } = loadOrCreateKeyring(keyFile)
  const database = openDatabase(url)
  try {
    await migrateToLatest(database.db)
    await checkDataKey(database.db, keyring)
    const services = createServices({ database, keyring, clock: systemClock, timezone: 'Asia/Shanghai', dataDir })
    let peak = process.memoryUsage().rss
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 100)
    const started = performance.now()
    const counts = await services.memberImports.run(system, { source: createReadStream(membersCsv), mapping: parseMapping(MEMBER_CSV_MAPPING) })
    const took = (performance.now() - started) / 1000
    clearInterval(timer)
    const figure = `${n0(counts.inserted / took)} rows/s (${n0(counts.inserted)} rows in ${took.toFixed(1)} s), peak RSS ${mib(peak)} MiB`
    if (parts.has('members')) report(engine, 'member import', figure, 'not measured', 'target: none set')
    else console.log(`${engine.padEnd(10)} chain of ${n0(counts.inserted)} members imported in ${took.toFixed(1)} s`)
    const store = await services.org.createStore(system, { code: STORE, name: '基准测试门店', city: '上海', district: '浦东新区' })
    await seedDemoProducts(services, system, products)
    const key = await services.auth.createPosKey(system, { storeId: store.id, name: 'bench till' })
    const memberIds = (await services.db.selectFrom('members').select('id').limit(20_000).execute()).map((m) => m.id)
    const coupons = parts.has('issue') || parts.has('coupons') ? await issueCoupons(engine, services) : []
    if (parts.has('campaign')) {
      const r = await runCampaignBench(services, seconds)
      report(engine, 'campaign prep', r.preparation, 'not measured (one transaction of set-based SQL)', `target ≤ 60 s: ${r.preparedSeconds <= 60 ? 'met' : 'NOT MET'}`)
      report(engine, 'campaign send', r.sending, `${r.ceiling}; Patron at ${((100 * r.sendRate) / r.ceilRate).toFixed(0)}%`, 'target: none set (sends at the configured rate)')
    }
    return { storeId: store.id, posKey: key.key, memberIds, coupons }
  } finally {
    await database.destroy()
  }
}

/** Issues a ¥1-off coupon to up to 100,000 members (the issue figure); returns the coupons for the till run. */
const issueCoupons = async (engine: Engine, services: ReturnType<typeof createServices>): Promise<Array<{ memberId: string; code: string }>> => {
  const template = await services.coupons.createTemplate(system, { name: '基准券', kind: 'amount', value: 100, minSpend: 0, validDays: 30 })
  const keys = (await services.db.selectFrom('members').select('id').orderBy('id').limit(100_000).execute()).map((m) => m.id)
  const started = performance.now()
  const run = await services.coupons.issueBulk(system, { templateId: template.id, issueKey: 'bench', keys, sourceName: 'bench' })
  const took = (performance.now() - started) / 1000
  if (parts.has('issue')) {
    report(engine, 'coupon bulk issue', `${n0(run.issued)} coupons in ${took.toFixed(1)} s (${n0(run.issued / took)}/s), members resolved by id`, 'not measured', 'target: none set (the issue asks for seconds)')
  }
  return (await services.db.selectFrom('coupons').select(['member_id', 'code']).where('template_id', '=', template.id).execute()).map((c) => ({ memberId: c.member_id, code: c.code }))
}

const runEngine = async (engine: Engine) => {
  const db = await createDatabase(engine)
  if (!db) return
  const keyFile = join(dir, `${engine}.key`)
  const dataDir = join(dir, engine)
  mkdirSync(dataDir, { recursive: true })
  // The lookup load is one till key asking as fast as it can: the per-actor lookup limit is off here.
  const env = { DATABASE_URL: db.url, PATRON_DATA_DIR: dataDir, PATRON_KEY_FILE: keyFile, LOG_LEVEL: 'warn', PATRON_SCHEDULER: 'off', PATRON_MEMBER_LOOKUPS_PER_MINUTE: '0' }
  try {
    const chain = await buildChain(engine, db.url, keyFile, dataDir)
    const ceilingTarget = { engine, target: db.target, storeId: chain.storeId, memberIds: chain.memberIds }

    if (parts.has('till') || parts.has('lookup') || parts.has('coupons')) {
      // Ceilings first: on SQLite they write the same file the server would.
      const tillRaw = parts.has('till') ? await tillCeiling(ceilingTarget, Math.min(seconds, 10), connections) : null
      let lookupRaw: LoadResult | null = null
      if (parts.has('lookup')) {
        const bare = await startChild(['--import', 'tsx', 'scripts/bench/ceiling-server.ts'], { BENCH_DB: db.target, PATRON_KEY_FILE: keyFile }, '/readyz')
        try {
          await load({ url: bare.url, path: '/lookup', seconds: 2, connections, headers: {}, body: () => ({ phone: benchPhone(Math.floor(Math.random() * members)) }) })
          lookupRaw = await load({ url: bare.url, path: '/lookup', seconds, connections, headers: {}, body: () => ({ phone: benchPhone(Math.floor(Math.random() * members)) }) })
        } finally {
          await bare.stop()
        }
      }
      const profDir = join(dir, `profile-${engine}`)
      const server = await startChild([...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...patronArgs(built, ['serve'])], env, '/readyz')
      const headers = { authorization: `Bearer ${chain.posKey}` }
      try {
        if (tillRaw) {
          const sale = tillSales(products, members, `B${engine}${process.pid}`)
          await load({ url: server.url, path: '/api/v1/pos/receipts', seconds: 3, connections: 10, headers, body: sale })
          const till = await load({ url: server.url, path: '/api/v1/pos/receipts', seconds, connections, headers, body: sale })
          report(engine, 'till (HTTP)', httpFigure(till, 'commits/s'),
            `${n0(tillRaw.rate)} commits/s bare ${engine === 'sqlite' ? 'better-sqlite3, one after another' : `pg, ${connections} clients over 20 connections`} (p99 ${ms(tillRaw.p99)}); Patron at ${((100 * till.rate) / tillRaw.rate).toFixed(0)}%`,
            verdict(engine, 'till', till.rate, till.p99))
        }
        if (parts.has('coupons')) {
          const sale = tillSales(products, members, `C${engine}${process.pid}`)
          let next = 0
          // Each receipt uses the next unused coupon, for its own member: validated and consumed in the commit.
          const withCoupon = () => {
            const c = chain.coupons[next++ % chain.coupons.length]!
            const body = sale()
            const tender = body.tenders[0]!
            return { ...body, member: { id: c.memberId }, tenders: [{ kind: 'coupon', amount: 100, reference: c.code }, { kind: tender.kind, amount: tender.amount - 100 }] }
          }
          await load({ url: server.url, path: '/api/v1/pos/receipts', seconds: 3, connections: 10, headers, body: withCoupon })
          const till = await load({ url: server.url, path: '/api/v1/pos/receipts', seconds, connections, headers, body: withCoupon })
          report(engine, 'till + coupon', httpFigure(till, 'commits/s'), 'as the till figure; one coupon per receipt', verdict(engine, 'till', till.rate, till.p99))
        }
        if (lookupRaw) {
          const body = () => ({ phone: benchPhone(Math.floor(Math.random() * members)) })
          await load({ url: server.url, path: '/api/v1/members/lookup', seconds: 2, connections, headers, body })
          const lookup = await load({ url: server.url, path: '/api/v1/members/lookup', seconds, connections, headers, body })
          report(engine, 'lookup (HTTP)', httpFigure(lookup, 'req/s'),
            `${n0(lookupRaw.rate)} req/s bare Fastify + one indexed SELECT (p99 ${ms(lookupRaw.p99)}); Patron at ${((100 * lookup.rate) / lookupRaw.rate).toFixed(0)}%`,
            verdict(engine, 'lookup', lookup.rate, lookup.p99))
        }
      } finally {
        await server.stop()
      }
      if (profile) {
        console.log(`${engine} server profile (${['till', 'lookup'].filter((p) => parts.has(p as Part)).join(' and ')}, warm-ups included):`)
        for (const l of summariseProfiles(profDir)) console.log(l)
      }
    }

    if (parts.has('import')) {
      const raw = await importCeiling(ceilingTarget, Math.min(lines, 1_000_000))
      const ceiling = `${n0(raw.rate)} lines/s bare ${engine === 'sqlite' ? 'better-sqlite3 prepared inserts' : 'pg multi-row inserts'}, 2,000 receipts a transaction`
      if (!receiptsCsv) {
        report(engine, 'receipts import', 'not available: receipts import missing', ceiling, verdict(engine, 'import', 0))
      } else {
        const run = await runMeasured(patronArgs(built, ['receipts', 'import', receiptsCsv.file, '--map', RECEIPT_CSV_MAPPING, '--no-points']), env)
        const own = /(\d+) lines read in ([\d.]+) s/.exec(run.stdout)
        if (!own || (run.code !== 0 && run.code !== 1)) {
          report(engine, 'receipts import', `failed (exit ${run.code}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`, ceiling, verdict(engine, 'import', 0))
        } else {
          const rate = Number(own[1]) / Number(own[2])
          const problems = run.code === 1 ? ` (some not imported, e.g. ${run.stderr.split('\n').find((l) => l.includes(receiptsCsv!.file)) ?? '?'})` : ''
          report(engine, 'receipts import', `${n0(rate)} lines/s (${n0(Number(own[1]))} lines in ${own[2]} s, ${run.seconds.toFixed(1)} s with start-up), peak RSS ${mib(run.peakBytes)} MiB${problems}`,
            `${ceiling}; Patron at ${((100 * rate) / raw.rate).toFixed(0)}%`, verdict(engine, 'import', rate, undefined, mib(run.peakBytes)))
        }
      }
    }
  } finally {
    await db.drop()
  }
}

console.log(`Patron bench on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}: ${n0(members)} members${parts.has('import') ? `, ${n0(lines)} receipt lines` : ''}${parts.has('insight') ? `, ${n0(receipts)} receipts (insight)` : ''}; parts ${[...parts].join(', ')}; engines ${engines.join(', ')}`)
const products = benchProducts()
const membersCsv = join(dir, 'members.csv')
// The insight part generates its own chain: the member CSV only for the others.
const chainParts = [...parts].filter((p) => p !== 'insight' && p !== 'recommend')
if (chainParts.length > 0) {
  await writeMembersCsv(membersCsv, members)
  console.log(`Members CSV: ${(statSync(membersCsv).size / 1024 / 1024).toFixed(0)} MiB`)
}
let receiptsCsv: { file: string; lines: number } | null = null
if (parts.has('import')) {
  if (hasCommand(built, ['receipts', 'import'])) {
    const file = join(dir, 'receipts.csv')
    const written = await writeReceiptsCsv(file, { lines, storeCode: STORE, members, products })
    receiptsCsv = { file, lines: written.lines }
    console.log(`Receipts CSV: ${n0(written.lines)} lines, ${n0(written.receipts)} receipts, ${(statSync(file).size / 1024 / 1024).toFixed(0)} MiB`)
  } else {
    console.log('receipts import: not available: receipts import missing (no `patron receipts import` command)')
  }
}
try {
  for (const engine of engines) {
    if (chainParts.length > 0) await runEngine(engine)
    if (parts.has('insight')) {
      await runInsightBench({ engine, dir, pgAdmin, members, receipts, runs, seconds, lookupRate, built, ...(keepData ? { keepData } : {}), log: (l) => console.log(l), report: (e, label, figure, ceiling, target) => report(e, label, figure, ceiling, target) })
    }
  }
  if (parts.has('recommend')) {
    for (const f of recommendOffline()) {
      const t = offlineText(f)
      console.log(`${'—'.padEnd(10)} ${`recommendations (${f.dataSet})`.padEnd(15)} ${t.figure}\n${''.padEnd(27)}baseline: ${t.baseline}\n${''.padEnd(27)}${t.target}`)
      summary.push(`| — | recommendations (${f.dataSet}) | ${t.figure} | ${t.baseline} | ${t.target} |`)
    }
  }
  console.log('\n| engine | part | figure | raw ceiling | target |\n|---|---|---|---|---|')
  for (const s of summary) console.log(s)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
