// One insight refresh on the chain the bench kept (`npm run bench -- --only insight --keep-data DIR`),
// with its slowest statements: the quick loop for whoever works on the refresh's speed, where the
// bench itself would run every case (and regenerate nothing, but take minutes per run).
//
//   npx tsx scripts/bench/insight-step.ts DIR full|rebuild|incremental [--engine sqlite|postgres] [--receipts N] [--top N]
//
// `incremental` first posts N receipts (10,000) through the till's sale path for the chain's buyers
// from a random offset, as the bench does, then refreshes. What it posts stays in the chain.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import type { RefreshResult } from '../../src/modules/analytics/index.js'
import { createServices } from '../../src/services.js'
import type { Actor } from '../../src/shared/actor.js'
import { systemClock } from '../../src/shared/clock.js'
import { loadOrCreateKeyring } from '../../src/shared/pii.js'
import { postBuyerSales, type GeneratedChain } from './insight-data.js'
import { traceStatements } from './insight-trace.js'

const [dir, step] = process.argv.slice(2)
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const engine = option('engine') ?? 'sqlite'
const steps = ['full', 'rebuild', 'incremental']
if (!dir || !step || !steps.includes(step) || (engine !== 'sqlite' && engine !== 'postgres')) {
  console.error('usage: tsx scripts/bench/insight-step.ts DIR full|rebuild|incremental [--engine sqlite|postgres] [--receipts N] [--top N]')
  process.exit(2)
}
const chainFile = join(dir, `insight-${engine}.chain.json`)
if (!existsSync(chainFile)) {
  console.error(`${chainFile}: no kept chain here (npm run bench -- --only insight --engine ${engine} --keep-data ${dir})`)
  process.exit(2)
}
const chain = JSON.parse(readFileSync(chainFile, 'utf8')) as GeneratedChain
const pgAdmin = process.env.PATRON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const url = engine === 'sqlite' ? `sqlite:${join(dir, 'insight-sqlite.db')}` : (() => {
  const u = new URL(pgAdmin)
  u.pathname = '/patron_insight_kept'
  return u.toString()
})()
const { keyring } = loadOrCreateKeyring(join(dir, `insight-${engine}.key`))
const database = openDatabase(url)
await migrateToLatest(database.db)
const services = createServices({ database, keyring, clock: systemClock, timezone: 'Asia/Shanghai', dataDir: join(dir, `insight-${engine}`) })
const system: Actor = { kind: 'system', name: 'bench' }
const top = Number(option('top') ?? 15)

try {
  if (step === 'incremental') {
    const n = Number(option('receipts') ?? 10_000)
    const store = chain.stores[0]!
    const key = await services.auth.createPosKey(system, { storeId: store.id, name: `insight step ${Date.now()}` })
    const till: Actor = { kind: 'pos', keyId: key.id, name: 'insight step', storeId: store.id }
    const started = performance.now()
    await postBuyerSales(services, till, chain, n, { offset: Math.floor(Math.random() * chain.buyers.length), prefix: 'STEP' })
    console.log(`posted ${n} receipts in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  let result: RefreshResult | undefined
  const started = performance.now()
  const statements = await traceStatements(async () => {
    result = await services.insight.refresh(step === 'full' ? { full: true } : step === 'rebuild' ? { rebuild: true } : {})
  })
  const r = result!
  console.log(`${step}: ${((performance.now() - started) / 1000).toFixed(1)} s (${r.mode}, ${r.members} members, ${r.receiptsRead} receipts read, class counts ${JSON.stringify(r.classCounts)})`)
  console.log(`steps: ${JSON.stringify(r.steps)}`)
  for (const s of statements.slice(0, top)) console.log(`${(s.ms / 1000).toFixed(2).padStart(8)} s  ${s.sql.replace(/\s+/g, ' ').slice(0, 240)}`)
} finally {
  await database.destroy()
}
