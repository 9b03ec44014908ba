// npm run bench [-- --rows N] — figures, not a test: member import throughput and memory on
// SQLite and (when reachable) PostgreSQL. The CSV is generated and streamed from disk.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { parseMapping } from '../src/modules/members/index.js'
import { createServices } from '../src/services.js'
import { systemClock } from '../src/shared/clock.js'
import { Keyring } from '../src/shared/pii.js'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const rows = arg('rows', 1_000_000)
const pgAdmin = process.env.PATRON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const dir = mkdtempSync(join(tmpdir(), 'patron-bench-'))

const writeCsv = async (file: string) => {
  const out = createWriteStream(file)
  const surnames = '王李张刘陈杨赵黄周吴'
  out.write('手机号,姓名,性别,会员编号,短信\n')
  for (let i = 0; i < rows; i++) {
    const line = `13${String(i).padStart(9, '0')},${surnames[i % 10]}${i % 7 === 0 ? '小明' : '芳'},${i % 2 ? '男' : '女'},B${i},${i % 3 ? '是' : '否'}\n`
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

const bench = async (label: string, url: string) => {
  const database = openDatabase(url)
  await migrateToLatest(database.db)
  const services = createServices({ database, keyring: new Keyring(Keyring.generate()), clock: systemClock, timezone: 'Asia/Shanghai', dataDir: dir })
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 100)
  const started = performance.now()
  const counts = await services.memberImports.run({ kind: 'system', name: 'bench' }, {
    source: createReadStream(csv), mapping: parseMapping('手机号=phone,姓名=name,性别=gender,会员编号=externalCode,短信=consent.sms'),
  })
  const seconds = (performance.now() - started) / 1000
  clearInterval(timer)
  await database.destroy()
  console.log(`${label.padEnd(11)} member import: ${counts.inserted.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s = ${Math.round(counts.inserted / seconds).toLocaleString('en-US')} rows/s, peak RSS ${Math.round(peak / 1024 / 1024)} MiB`)
}

const csv = join(dir, 'members.csv')
console.log(`Generating ${rows.toLocaleString('en-US')} member rows…`)
await writeCsv(csv)
console.log(`CSV: ${(statSync(csv).size / 1024 / 1024).toFixed(0)} MiB at ${csv}`)
try {
  await bench('SQLite', `sqlite:${join(dir, 'bench.db')}`)
  const admin = new pg.Client({ connectionString: pgAdmin })
  const name = `patron_bench_${process.pid}`
  let reachable = false
  try {
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    reachable = true
  } catch (err) {
    console.log(`PostgreSQL  skipped: ${(err as Error).message} (set PATRON_BENCH_DATABASE_URL)`)
  }
  if (reachable) {
    const u = new URL(pgAdmin)
    u.pathname = `/${name}`
    try {
      await bench('PostgreSQL', u.toString())
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
      await admin.end().catch(() => {})
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
