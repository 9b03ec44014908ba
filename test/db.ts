import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'

/** The engine the suite runs on: SQLite unless PATRON_TEST_DATABASE_URL names a PostgreSQL server. */
export const testEngine = (): 'sqlite' | 'postgres' => (process.env.PATRON_TEST_DATABASE_URL ? 'postgres' : 'sqlite')

export interface TestDatabase {
  database: Database
  url: string
  drop(): Promise<void>
}

/**
 * A fresh, migrated database for one test file: an in-memory (or given file) SQLite, or a
 * new PostgreSQL database on the server of PATRON_TEST_DATABASE_URL, dropped afterwards.
 */
export const createTestDatabase = async (options: { sqliteFile?: string; poolSize?: number } = {}): Promise<TestDatabase> => {
  const adminUrl = process.env.PATRON_TEST_DATABASE_URL
  if (!adminUrl) {
    const url = `sqlite:${options.sqliteFile ?? ':memory:'}`
    const database = openDatabase(url)
    await migrateToLatest(database.db)
    return { database, url, drop: () => database.destroy() }
  }
  const name = `patron_t_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  const url = u.toString()
  const database = openDatabase(url, { poolSize: options.poolSize ?? 12 })
  await migrateToLatest(database.db)
  return {
    database,
    url,
    drop: async () => {
      await database.destroy()
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await c.end()
      }
    },
  }
}
