import { existsSync } from 'node:fs'
import pino, { type Logger } from 'pino'
import { loadConfig, type Config } from '../config.js'
import { openDatabase } from '../db/database.js'
import { KeyMismatchError, checkDataKey, isBoundToKey } from '../db/key-check.js'
import { migrateToLatest } from '../db/migrate.js'
import { backfillNameIndex } from '../modules/members/member-keys.js'
import { createServices, type Services } from '../services.js'
import { systemClock } from '../shared/clock.js'
import { loadOrCreateKeyring } from '../shared/pii.js'

export interface Patron {
  config: Config
  services: Services
  log: Logger
  keyCreated: boolean
  close(): Promise<void>
}

/**
 * Opens Patron's database, brings its schema up to date and proves the key file belongs to
 * its data. Every command starts here.
 */
export const openPatron = async (options: { log?: Logger; poolSize?: number } = {}): Promise<Patron> => {
  const config = loadConfig()
  const log = options.log ?? pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel })
  const database = openDatabase(config.databaseUrl, { poolSize: options.poolSize })
  try {
    await migrateToLatest(database.db)
    if ((await isBoundToKey(database.db)) && !existsSync(config.keyFile)) {
      throw new KeyMismatchError(`the key file ${config.keyFile} (PATRON_KEY_FILE) is missing, and this database holds data encrypted with it: refusing to start. Restore the key file.`)
    }
    const { keyring, created } = loadOrCreateKeyring(config.keyFile)
    await checkDataKey(database.db, keyring)
    // Members from before the exact-name index get it (only rows missing it: a no-op once done).
    await backfillNameIndex(database.db, keyring)
    const services = createServices({ database, keyring, clock: systemClock, timezone: config.timezone, dataDir: config.dataDir, log, importLimits: config.importLimits, lookupLimits: config.memberLookupLimits, publicUrl: config.publicUrl })
    return {
      config, services, log, keyCreated: created,
      close: async () => {
        await services.events.drain()
        await database.destroy()
      },
    }
  } catch (err) {
    await database.destroy()
    throw err
  }
}
