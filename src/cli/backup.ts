import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../config.js'
import { BackupError, backupDatabase, listBackups, restoreBackup } from '../db/backup.js'
import { openDatabase } from '../db/database.js'
import { checkDataKey } from '../db/key-check.js'
import { migrations } from '../db/migrations/index.js'
import { createServices } from '../services.js'
import { systemClock } from '../shared/clock.js'
import { loadKeyring } from '../shared/pii.js'
import { patronVersion } from '../shared/version.js'
import { openPatron } from './bootstrap.js'

const fail = (err: unknown): void => {
  if (err instanceof BackupError) {
    console.error(`patron: ${err.message} (${err.code})`)
    process.exitCode = 2
    return
  }
  throw err
}

const size = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`)

/** `patron backup [--to DIR]`: a consistent copy of the running database and its manifest. */
export const backupCommand = async (opts: { to?: string }) => {
  const patron = await openPatron()
  try {
    const to = opts.to ?? join(patron.config.dataDir, 'backups')
    const started = Date.now()
    const { dir, manifest } = await backupDatabase({ database: patron.services.database, to, now: new Date(), patronVersion: patronVersion() })
    const rows = Object.values(manifest.rows).reduce((a, n) => a + n, 0)
    console.log(`backup: ${dir} (${manifest.engine}, ${size(manifest.files[0]!.bytes)}, ${rows.toLocaleString('en-US')} rows in ${Object.keys(manifest.rows).length} tables, migration ${manifest.migration ?? 'none'}, ${((Date.now() - started) / 1000).toFixed(1)} s)`)
    console.log(`The data key is not in the backup: keep ${patron.config.keyFile} (PATRON_KEY_FILE) safe and apart from it; a restore needs it.`)
  } catch (err) {
    fail(err)
  } finally {
    await patron.close()
  }
}

/** `patron backups`: the backups in the data folder's backups/ (or --in DIR), newest first. */
export const backupsListCommand = (opts: { in?: string }) => {
  const dir = opts.in ?? join(loadConfig().dataDir, 'backups')
  const all = listBackups(dir)
  if (all.length === 0) console.log(`no backups in ${dir}`)
  for (const b of all) console.log(`${b.name}  ${b.manifest.engine}  ${size(b.manifest.files[0]?.bytes ?? 0)}  migration ${b.manifest.migration ?? 'none'}  Patron ${b.manifest.patronVersion}`)
}

/**
 * `patron restore BACKUP [--to TARGET]`: into an empty target (default DATABASE_URL), with the
 * key file of PATRON_KEY_FILE; then the manifest's counts, the key check and `verify`.
 */
export const restoreCommand = async (from: string, opts: { to?: string }) => {
  const config = loadConfig()
  const to = opts.to ? (opts.to.includes(':') ? opts.to : `sqlite:${opts.to}`) : config.databaseUrl
  if (!existsSync(config.keyFile)) {
    console.error(`patron: the key file ${config.keyFile} (PATRON_KEY_FILE) is missing: a restore needs the key that belonged to the backed-up database`)
    process.exitCode = 2
    return
  }
  const keyring = loadKeyring(config.keyFile)
  try {
    const { manifest } = await restoreBackup({ from, to, keyring, knownMigrations: Object.keys(migrations) })
    console.log(`restore: ${from} → ${to}: ${Object.keys(manifest.rows).length} tables, every count as in the manifest`)
  } catch (err) {
    fail(err)
    return
  }
  const database = openDatabase(to)
  try {
    await checkDataKey(database.db, keyring)
    const services = createServices({ database, keyring, clock: systemClock, timezone: config.timezone, dataDir: config.dataDir })
    const ledger = await services.loyalty.verify()
    const rewards = await services.verifyRewards()
    const chain = await services.audit.verifyChain()
    for (const p of chain.problems) console.error(`audit entry ${p.seq ?? '-'} ${p.id}: ${p.problem}`)
    if (ledger.length || rewards.length || chain.problems.length) {
      console.error(`restore: verify found ${ledger.length} ledger, ${rewards.length} rewards and ${chain.problems.length} audit-log mismatch(es)`)
      process.exitCode = 1
    } else {
      console.log(`restore: verify passed (the points ledger, coupons, gift and prize stock reconcile; the audit log's ${chain.entries} chained entries are unbroken); the key reads the data`)
    }
    await services.events.drain()
  } finally {
    await database.destroy()
  }
}
