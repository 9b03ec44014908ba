import { sql } from 'kysely'
import type { Keyring } from '../shared/pii.js'
import type { Db } from './database.js'
import type { DB } from './schema.js'

/**
 * Columns a module stores encrypted with the data key, beside the members' own: a ticket's or a
 * suggestion's contact, a message's recipient, a staff user's two-factor secret. The module
 * declares them (its `…SealedColumns`, wired in services.ts); `patron keys` counts and
 * re-encrypts them with the members', so a key is never retired while a value still needs it.
 */
export interface SealedColumns {
  table: keyof DB & string
  /** the primary key (text), the order the rows are paged in */
  id: string
  /** each encrypted column and the field name its values are encrypted with (the AAD) */
  columns: Readonly<Record<string, string>>
}

type Row = Record<string, string | null> & { id: string }

const page = async (db: Db, d: SealedColumns, after: string, limit: number): Promise<Row[]> => {
  const cols = Object.keys(d.columns)
  const any = sql.join(cols.map((c) => sql`${sql.ref(c)} IS NOT NULL`), sql` OR `)
  const r = await sql<Row>`SELECT ${sql.ref(d.id)} AS id, ${sql.join(cols.map((c) => sql.ref(c)))} FROM ${sql.table(d.table)}
    WHERE ${sql.ref(d.id)} > ${after} AND (${any}) ORDER BY ${sql.ref(d.id)} LIMIT ${limit}`.execute(db)
  return r.rows
}

const keyIdOf = (value: string) => value.split('.')[1] ?? '?'

/** How many values of these columns each key id encrypts. */
export const countSealedByKey = async (db: Db, d: SealedColumns, into: Record<string, number> = {}): Promise<Record<string, number>> => {
  let after = ''
  for (;;) {
    const rows = await page(db, d, after, 2000)
    if (rows.length === 0) return into
    for (const row of rows) {
      for (const c of Object.keys(d.columns)) {
        const v = row[c]
        if (v) into[keyIdOf(v)] = (into[keyIdOf(v)] ?? 0) + 1
      }
    }
    after = rows[rows.length - 1]!.id
  }
}

/**
 * Re-encrypts every value of these columns not under the keyring's active key, a batch per
 * transaction; a value changed meanwhile is left as its writer wrote it (under the active key).
 * Returns the number of values rewritten.
 */
export const reencryptSealed = async (db: Db, keyring: Keyring, d: SealedColumns): Promise<number> => {
  const active = `v1.${keyring.activeKeyId}.`
  let rewritten = 0
  let after = ''
  for (;;) {
    const rows = await page(db, d, after, 1000)
    if (rows.length === 0) return rewritten
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        for (const [c, field] of Object.entries(d.columns)) {
          const v = row[c]
          if (!v || v.startsWith(active)) continue
          const next = keyring.encrypt(field, keyring.decrypt(field, v))
          const r = await sql`UPDATE ${sql.table(d.table)} SET ${sql.ref(c)} = ${next} WHERE ${sql.ref(d.id)} = ${row.id} AND ${sql.ref(c)} = ${v}`.execute(trx)
          rewritten += Number(r.numAffectedRows ?? 0)
        }
      }
    })
    after = rows[rows.length - 1]!.id
  }
}
