import { PostgresAdapter, sql, type Kysely } from 'kysely'

// What a member bought per local business day and store (sales, spend and points net of returns,
// the first and last sale's instant): the insight refresh's per-member, per-store figures and the
// lifecycle history's sale days read it instead of the member's receipts. Kept like
// member_category_days by the refresh (the changed (member, day) pairs); on SQLite a table WITHOUT
// ROWID, so a member's days lie together in the primary key's order. The refresh state goes, so
// the next refresh rebuilds it from every receipt.
const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  let table = db.schema.createTable('member_store_days')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('sales', 'integer', (c) => c.notNull())
    .addColumn('spend', 'bigint', (c) => c.notNull())
    .addColumn('first_at', 'text')
    .addColumn('last_at', 'text')
    .addColumn('earned', 'bigint', (c) => c.notNull())
    .addColumn('used', 'bigint', (c) => c.notNull())
    .addColumn('receipts', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_store_days_pk', ['member_id', 'day', 'store_id'])
  if (!isPostgres(db)) table = table.modifyEnd(sql`WITHOUT ROWID`)
  await table.execute()
  await sql`DELETE FROM meta WHERE key = 'insight.refresh'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_store_days').execute()
  await sql`DELETE FROM meta WHERE key = 'insight.refresh'`.execute(db)
}
