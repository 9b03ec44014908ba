import { PostgresAdapter, sql, type Kysely } from 'kysely'

// On SQLite, member_category_days becomes a table WITHOUT ROWID, as member_store_days is: a
// member's days then lie together in the primary key's order, and the incremental refresh's read
// of its dirty members' window (10,000 members of a million) is one range of the key each, not an
// index entry and then a row elsewhere for every day (0.25–1.2 s of a 2–4.8 s refresh, varying
// with what the page cache held). The rows are copied in key order; PostgreSQL is left as it is.
const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter
const INDEXES = ['category', 'department'] as const

const rebuild = async (db: Kysely<any>, withoutRowid: boolean) => {
  await sql`CREATE TABLE member_category_days_next (
    member_id text NOT NULL, day text NOT NULL, department text NOT NULL, category text NOT NULL,
    receipts integer NOT NULL, amount bigint NOT NULL, promo bigint DEFAULT 0 NOT NULL,
    CONSTRAINT member_category_days_pk PRIMARY KEY (member_id, day, department, category))${withoutRowid ? sql` WITHOUT ROWID` : sql``}`.execute(db)
  await sql`INSERT INTO member_category_days_next (member_id, day, department, category, receipts, amount, promo)
    SELECT member_id, day, department, category, receipts, amount, promo FROM member_category_days ORDER BY member_id, day, department, category`.execute(db)
  await sql`DROP TABLE member_category_days`.execute(db)
  await sql`ALTER TABLE member_category_days_next RENAME TO member_category_days`.execute(db)
  for (const column of INDEXES) {
    await sql`CREATE INDEX ${sql.id(`member_category_days_${column}_idx`)} ON member_category_days (${sql.id(column)}, day, member_id, receipts)`.execute(db)
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await rebuild(db, true)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await rebuild(db, false)
}
