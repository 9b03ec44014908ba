import { PostgresAdapter, sql, type Kysely } from 'kysely'

// On PostgreSQL, the primary keys of the two day tables carry the figures a refresh sums (INCLUDE):
// the incremental refresh reads its dirty members' days by key, and with the figures in the key's
// entries it reads the index alone (a member's days lie together there) instead of a heap page
// per day, wherever the rows landed (measured at 1M members, 10,000 members' window: 1,085 ms →
// 159 ms; their store days 1,228 → 118 ms; the index just built, so partly cached). The
// posting's upserts name the same columns, so the keys are their arbiters as before. SQLite's
// day tables are WITHOUT ROWID: already so.
// member_insight keeps a fifth of each page free (fillfactor 80): a refresh sets a member's row
// again and again, and PostgreSQL writes the new version beside the old one without touching the
// seven indexes (a HOT update) only when the page has room; full pages made every incremental
// refresh write an entry in each index for every dirty member (3,300 of 16,000 updates were HOT).
const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

const KEYS = [
  { table: 'member_category_days', name: 'member_category_days_pk', key: ['member_id', 'day', 'department', 'category'], include: ['receipts', 'amount', 'promo'] },
  { table: 'member_store_days', name: 'member_store_days_pk', key: ['member_id', 'day', 'store_id'], include: ['sales', 'spend', 'first_at', 'last_at', 'earned', 'used', 'receipts'] },
] as const

const ids = (cols: readonly string[]) => sql.join(cols.map((c) => sql.id(c)))

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return
  for (const k of KEYS) {
    await sql`ALTER TABLE ${sql.table(k.table)} DROP CONSTRAINT ${sql.id(k.name)},
      ADD CONSTRAINT ${sql.id(k.name)} PRIMARY KEY (${ids(k.key)}) INCLUDE (${ids(k.include)})`.execute(db)
  }
  await sql`ALTER TABLE member_insight SET (fillfactor = 80)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return
  await sql`ALTER TABLE member_insight RESET (fillfactor)`.execute(db)
  for (const k of KEYS) {
    await sql`ALTER TABLE ${sql.table(k.table)} DROP CONSTRAINT ${sql.id(k.name)}, ADD CONSTRAINT ${sql.id(k.name)} PRIMARY KEY (${ids(k.key)})`.execute(db)
  }
}
