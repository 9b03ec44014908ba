import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient, type Transaction } from 'kysely'
import pg from 'pg'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { startCheckpointer } from './checkpointer.js'
import type { DB } from './schema.js'

export type Engine = 'sqlite' | 'postgres'
export type Db = Kysely<DB>
export type Trx = Transaction<DB>

export interface Database {
  db: Db
  engine: Engine
  /** Where the data lives, for messages (never includes a password). */
  describe: string
  /** The URL it was opened with (a PostgreSQL one may hold a password: never log it); backups hand it to pg_dump. */
  url: string
  /** The connection pool's use now (PostgreSQL); null on SQLite, which has one connection and no pool. */
  pool(): { total: number; idle: number; waiting: number; max: number } | null
  destroy(): Promise<void>
}

// COUNT(*) and bigint columns (fen, points) come back from pg as strings; every
// amount Patron stores is far below 2^53, so numbers are safe and simpler.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10))

/**
 * SQL texts that run as named prepared statements on PostgreSQL: each connection parses and
 * plans them once, then reuses the plan. For hot, fixed queries whose planning costs more than
 * running them (the till's lookup with the profile joins four tables: 0.44 ms to plan, 0.07 ms to
 * run). SQLite keeps every statement prepared already (withStatementCache).
 */
const preparedTexts = new Map<string, string>()

/** Marks a query's text (as compiled for PostgreSQL) to run as a prepared statement there. */
export const prepareOnPostgres = (text: string): void => {
  if (!preparedTexts.has(text)) preparedTexts.set(text, `patron_prepared_${preparedTexts.size + 1}`)
}

/** The pool Kysely sees: node-postgres's, with the marked texts sent as named statements. */
const preparingPool = (pool: pg.Pool): PostgresPool => ({
  connect: async () => {
    const client = await pool.connect()
    const query = (a: unknown, b?: ReadonlyArray<unknown>) => {
      const name = typeof a === 'string' ? preparedTexts.get(a) : undefined
      if (name === undefined) return (client.query as (x: unknown, y?: unknown) => unknown)(a, b)
      const text = a as string
      const values = [...(b ?? [])]
      return client.query({ name, text, values }).catch((err: { code?: string }) => {
        // "cached plan must not change result type": another process changed the schema (a
        // migration) under this connection's statement. Prepared again under a new name.
        if (err.code !== '0A000') throw err
        const renamed = `patron_prepared_${preparedTexts.size + 1}_${Date.now()}`
        preparedTexts.set(text, renamed)
        return client.query({ name: renamed, text, values })
      })
    }
    return { query: query as PostgresPoolClient['query'], release: () => client.release() }
  },
  end: () => pool.end(),
})

export interface OpenOptions {
  poolSize?: number
}

export const parseDatabaseUrl = (url: string): { engine: Engine; target: string } => {
  if (url.startsWith('sqlite:')) {
    const target = url.slice('sqlite:'.length).replace(/^\/\//, '')
    if (!target) throw new Error('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/patron.db')
    return { engine: 'sqlite', target }
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { engine: 'postgres', target: url }
  throw new Error(`DATABASE_URL: expected sqlite:<path> or postgres://…, got "${url.split(':')[0]}:…"`)
}

const STATEMENT_CACHE = 500

/**
 * Kysely prepares every query anew; preparing costs as much as running a small one. Keep the
 * most recent prepared statements by their SQL (one connection, so never two users at once).
 */
export const withStatementCache = (sqlite: SQLite.Database) => {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql)
      if (statement) {
        cache.delete(sql)
      } else {
        statement = sqlite.prepare(sql)
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!)
      }
      cache.set(sql, statement)
      return statement
    },
  }
}

export const openDatabase = (url: string, options: OpenOptions = {}): Database => {
  const { engine, target } = parseDatabaseUrl(url)
  if (engine === 'sqlite') {
    const file = target === ':memory:' ? target : resolve(target)
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    const sqlite = new SQLite(file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
    // 64 MiB of page cache: the blind indexes are random keys, and a 2 MiB cache makes
    // every insert into a large member table read index pages from disk.
    sqlite.pragma('cache_size = -65536')
    sqlite.pragma('temp_store = MEMORY')
    // What a statement deletes or overwrites is zeroed on its page, not left in the file's free
    // space (an erased person's ciphertext must not stay readable to whoever holds the key):
    // FAST costs no extra I/O. Erasure also truncates the log afterwards (privacy's `scrubLog`).
    sqlite.pragma('secure_delete = FAST')
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
    if (file === ':memory:') return { db, engine, url, describe: `SQLite ${file}`, pool: () => null, destroy: () => db.destroy() }
    // The log is checkpointed by a worker thread, not by the commit that fills it (checkpointer.ts);
    // should the worker fail, the commits do it again.
    sqlite.pragma('wal_autocheckpoint = 0')
    const checkpointer = startCheckpointer(file, () => {
      if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000')
    })
    return {
      db, engine, url, describe: `SQLite ${file}`, pool: () => null,
      destroy: async () => {
        await checkpointer.stop()
        await db.destroy()
      },
    }
  }
  // Patron's sessions: without JIT compilation (the planner overestimates the rows of the
  // set-based statements over a few thousand keys and compiled them with inlining and
  // optimization, longer than they ran: the insight refresh's lines of 10,000 receipts took 480 ms
  // with JIT, 119 ms without), and with random reads priced for SSD storage (the default 4 prices
  // a disk's seek: a segment of members who bought a category was counted by scanning every
  // member, 650 ms, where reading them by key took 190 ms). An `options` in the URL wins.
  const pool = new pg.Pool({ connectionString: target, max: options.poolSize ?? 10, options: '-c jit=off -c random_page_cost=1.1' })
  // An idle client's error (e.g. the server restarted) must not crash the process.
  pool.on('error', () => {})
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) })
  const u = new URL(target)
  const max = options.poolSize ?? 10
  return {
    db, engine, url, describe: `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`,
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    destroy: () => db.destroy(),
  }
}
