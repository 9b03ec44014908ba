import cliProgress from 'cli-progress'
import pino from 'pino'
import { seedDemo } from '../demo/seed-demo.js'
import { existsSync } from 'node:fs'
import { buildApp, loggerOptions, warmSerializers } from '../http/app.js'
import { consoleDir } from '../http/console.js'
import { loadConfig } from '../config.js'
import { runUntilIdle, startScheduler, startWorker, workerOwner, type Worker } from '../jobs/worker.js'
import { countStores } from '../modules/org/index.js'
import { openPatron, type Patron } from './bootstrap.js'
import { sweepImportUploads } from './import-sweep.js'

const progressBar = (label: string) => {
  if (!process.stderr.isTTY) {
    let lastPrinted = 0
    return {
      update: (done: number, total: number) => {
        if (done - lastPrinted >= total / 10 || done === total) {
          lastPrinted = done
          console.error(`${label}: ${done}/${total}`)
        }
      },
      stop: () => {},
    }
  }
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic)
  let started = false
  return {
    update: (done: number, total: number) => {
      if (!started) {
        bar.start(total, 0)
        started = true
      }
      bar.update(done)
    },
    stop: () => started && bar.stop(),
  }
}

// What a person reads. `patron serve` writes it to stderr, so its stdout holds only the JSON
// log lines a log collector reads; the other commands print to stdout as usual.
type Say = (text: string) => void
const toStdout: Say = (text) => console.log(text)
const toStderr: Say = (text) => console.error(text)

/** Runs the job queue without the API until SIGINT/SIGTERM (or, with --once, until no job is due). */
export const workerCommand = async (options: { once?: boolean }) => {
  const config = loadConfig()
  const log = pino(loggerOptions(config.logLevel))
  const patron = await openPatron({ log, poolSize: config.dbPool })
  if (options.once) {
    try {
      const done = await runUntilIdle(patron.services)
      toStderr(`worker: ${done.completed} job(s) done, ${done.failed} failed (retried later or dead)`)
    } finally {
      await patron.close()
    }
    return
  }
  if (config.workers === 0) throw new Error('PATRON_WORKERS is 0: nothing to run')
  const scheduler = config.scheduler ? startScheduler(patron.services, log) : null
  const workers = startWorkers(patron)
  toStderr(`Patron worker: ${workers.length} loop(s) on ${patron.services.database.describe}${scheduler ? ', queuing the scheduled jobs' : ''}`)
  await new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      log.info({ signal }, 'worker stopping: finishing the jobs in hand')
      scheduler?.stop()
      await Promise.all(workers.map((w) => w.stop()))
      resolve()
    }
    process.once('SIGINT', () => void stop('SIGINT'))
    process.once('SIGTERM', () => void stop('SIGTERM'))
  })
  await patron.close()
}

const runSeed = async (patron: Patron, options: { members: number; seed: number; receipts?: number }, say: Say = toStdout) => {
  const bar = progressBar('Demo members')
  const receiptBar = progressBar('Demo receipts')
  const started = Date.now()
  const result = await seedDemo(patron.services, {
    ...options,
    onProgress: (d, t) => bar.update(d, t),
    onReceiptProgress: (d, t) => {
      bar.stop()
      receiptBar.update(d, t)
    },
  })
  bar.stop()
  receiptBar.stop()
  say(`Demo chain loaded: ${result.stores} stores, ${result.staff.length} staff, ${result.membersInserted} new members, ${result.productsInserted} new products, ${result.sales} sales and ${result.returns} returns, ${result.rewards.templates} coupon templates, ${result.rewards.coupons} coupons and ${result.rewards.gifts} gifts (${((Date.now() - started) / 1000).toFixed(1)} s).`)
  if (result.receiptsFailed) console.error(`${result.receiptsFailed} demo receipts were refused, e.g.:\n  ${result.receiptErrors.join('\n  ')}`)
  return result
}

export const seedDemoCommand = async (options: { members: number; seed: number; receipts?: number }) => {
  const patron = await openPatron()
  try {
    const result = await runSeed(patron, options)
    // What the demo's registrations queued (welcome coupons) is done before the command ends.
    await runUntilIdle(patron.services)
    printLogins(result.staff, toStdout)
  } finally {
    await patron.close()
  }
}

const printLogins = (staff: Array<{ username: string; password: string; role: string }>, say: Say) => {
  const shown = ['admin', 'marketing', 'analyst', 'manager.sh001', 'cashier.sh001', 'service.sh001']
  say('\nDemo logins (demo data only — never use these passwords for real):')
  for (const s of staff.filter((x) => shown.includes(x.username))) say(`  ${s.username.padEnd(16)} ${s.password.padEnd(16)} ${s.role}`)
  say('  (every store has manager.<code>, cashier.<code> and service.<code>, password Demo#2026)')
}

/** Starts `config.workers` worker loops (none when 0). */
export const startWorkers = (patron: Patron): Worker[] =>
  Array.from({ length: patron.config.workers }, (_, i) => startWorker(patron.services, { owner: workerOwner(i), log: patron.log }))

export const serveCommand = async (options: { seedIfEmpty: boolean; worker?: boolean }) => {
  const config = loadConfig()
  const log = pino(loggerOptions(config.logLevel))
  const patron = await openPatron({ log, poolSize: config.dbPool })
  const { services } = patron
  if (patron.keyCreated) toStderr(`Created a new data-encryption key at ${config.keyFile} (mode 0600). Back it up: without it the member data cannot be read.`)
  if (options.seedIfEmpty) {
    if ((await countStores(services.db)) === 0) {
      toStderr('Empty database: loading the demo chain…')
      await runSeed(patron, { members: 20_000, seed: 1 }, toStderr)
    }
  }
  // Files of imports a crash interrupted, and uploads cut short, are removed before serving.
  const swept = await sweepImportUploads(services, config.dataDir)
  if (swept.length) log.info({ files: swept.length }, 'removed upload files no running import owns')
  const app = await buildApp({ services, config, logger: log })
  const scheduler = config.scheduler ? startScheduler(services, log) : null
  // The job queue's workers run beside the API unless --no-worker (then `patron worker` runs them).
  const workers = options.worker === false ? [] : startWorkers(patron)
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down')
    // A request or job that never ends must not keep the process from stopping.
    setTimeout(() => {
      log.error({ signal }, 'shutdown took more than 60 s: exiting anyway')
      process.exit(1)
    }, 60_000).unref()
    scheduler?.stop()
    await app.close()
    await Promise.all(workers.map((w) => w.stop()))
    await patron.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  await app.listen({ port: config.port, host: config.host })
  // A schema that does not compile is logged (and its route answers 500), never a crash.
  warmSerializers(app).catch((err: unknown) => log.error({ err }, 'a response schema does not compile'))
  const everywhere = config.host === '0.0.0.0' || config.host === '::'
  const url = `http://${everywhere || config.host === '127.0.0.1' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`
  toStderr(`\nPatron is running on ${services.database.describe}`)
  toStderr(everywhere
    ? `  Listening on every network interface (HOST=${config.host}): anyone who can reach this machine can reach Patron.`
    : `  Listening on ${config.host} only${config.host === '127.0.0.1' ? ' (this machine; set HOST=0.0.0.0 to serve the network)' : ''}.`)
  if (existsSync(`${consoleDir}/index.html`)) toStderr(`  Console:  ${url}`)
  else toStderr(`  Console:  not built (npm run build:web)`)
  toStderr(`  API:      ${url}/api/v1   (OpenAPI: ${url}/openapi.json, interactive docs: ${url}/docs)`)
  if (options.seedIfEmpty) {
    const { demoStaff } = await import('../demo/demo-data.js')
    printLogins(demoStaff(), toStderr)
  }
}
