import { sql } from 'kysely'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCheckpointer } from './checkpointer.js'
import { openDatabase } from './database.js'

// A SQLite file's write-ahead log is copied back into the file by the checkpointer's worker, not
// by the commit that fills it: the commit returns with its pages in the log, and the worker moves
// them into the file soon after. (SQLite only: PostgreSQL has no such log to keep.)

const dir = mkdtempSync(join(tmpdir(), 'patron-checkpointer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const until = async (ok: () => boolean, ms: number) => {
  const end = Date.now() + ms
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
  return ok()
}

describe('the SQLite checkpointer', () => {
  it('leaves the commit its pages in the log, moves them into the file from its worker, and ends the log on destroy', async () => {
    const file = join(dir, 'patron.db')
    const database = openDatabase(`sqlite:${file}`)
    const db = database.db
    // The commit does not checkpoint (left to the worker).
    const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)
    expect(rows[0]!.wal_autocheckpoint).toBe(0)
    await sql`CREATE TABLE probe (a integer NOT NULL, b text NOT NULL)`.execute(db)
    const before = statSync(file).size
    // About 2 MB of rows in one commit: far past SQLite's own 1,000-page threshold.
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 40; i++) {
        await sql`INSERT INTO probe (a, b) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250) SELECT i, hex(randomblob(100)) FROM n`.execute(trx)
      }
    })
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(2_000_000)
    // The worker copies the log into the file within its period (half a second).
    expect(await until(() => statSync(file).size > before + 1_500_000, 5000)).toBe(true)
    const count = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM probe`.execute(db)
    expect(Number(count.rows[0]!.n)).toBe(10_000)
    await database.destroy()
    // The last connection closed: the log is checkpointed and removed, the rows are in the file.
    expect(existsSync(`${file}-wal`)).toBe(false)
    const again = openDatabase(`sqlite:${file}`)
    const reread = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM probe`.execute(again.db)
    expect(Number(reread.rows[0]!.n)).toBe(10_000)
    await again.destroy()
  })

  it('is not started for an in-memory database (no log to keep)', async () => {
    const database = openDatabase('sqlite::memory:')
    const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(database.db)
    expect(rows[0]!.wal_autocheckpoint).toBe(1000)
    await database.destroy()
  })
})

describe('a checkpointer that cannot open its file', () => {
  it('reports the failure to its caller and still stops', async () => {
    let failed = 0
    // A directory is no database: the worker's connection throws.
    const checkpointer = startCheckpointer(dir, () => { failed++ })
    expect(await until(() => failed === 1, 5000)).toBe(true)
    await checkpointer.stop()
    expect(failed).toBe(1)
  })
})
