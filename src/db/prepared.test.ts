import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testEngine, type TestDatabase } from '../../test/db.js'
import { prepareOnPostgres } from './database.js'

// A query marked with prepareOnPostgres runs as a named prepared statement on PostgreSQL (and as
// any other on SQLite): the same rows, also after another process changed the table under it.

let tdb: TestDatabase
beforeAll(async () => {
  tdb = await createTestDatabase()
})
afterAll(async () => tdb.drop())

describe('prepared statements', () => {
  it('return the same rows, are kept by the connection, and survive a column added under them', async () => {
    // One connection throughout: a prepared statement belongs to its session.
    await tdb.database.db.connection().execute(async (db) => {
      await sql`CREATE TABLE prep_probe (a integer NOT NULL, b text)`.execute(db)
      await sql`INSERT INTO prep_probe (a, b) VALUES (1, 'x'), (2, 'y')`.execute(db)
      const query = (a: number) => sql<{ a: number; b: string }>`SELECT * FROM prep_probe WHERE a = ${a}`.compile(db)
      prepareOnPostgres(query(1).sql)
      expect((await db.executeQuery(query(1))).rows).toEqual([{ a: 1, b: 'x' }])
      expect((await db.executeQuery(query(2))).rows).toEqual([{ a: 2, b: 'y' }])
      if (testEngine() === 'postgres') {
        const names = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db)
        expect(names.rows.map((r) => r.statement)).toContain(query(1).sql)
      }
      // A migration elsewhere adds a column: the statement's result type changed.
      await sql`ALTER TABLE prep_probe ADD COLUMN c integer`.execute(db)
      expect((await db.executeQuery(query(2))).rows).toEqual([{ a: 2, b: 'y', c: null }])
    })
  })
})

// The settings Patron's connections run with (src/db/database.ts).
describe('a connection', () => {
  it('runs with the engine settings Patron chose', async () => {
    const db = tdb.database.db
    if (testEngine() === 'postgres') {
      // No JIT compilation, random reads priced for SSD storage (unless the URL's options say otherwise).
      expect((await sql<{ jit: string }>`SHOW jit`.execute(db)).rows[0]!.jit).toBe('off')
      expect((await sql<{ random_page_cost: string }>`SHOW random_page_cost`.execute(db)).rows[0]!.random_page_cost).toBe('1.1')
    } else {
      // Foreign keys enforced, and (in memory here) no log to checkpoint.
      expect((await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows[0]!.foreign_keys).toBe(1)
      expect((await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)).rows[0]!.wal_autocheckpoint).toBe(1000)
    }
  })
})
