import { PostgresAdapter, sql, type Kysely } from 'kysely'

// On SQLite, member_category_days becomes a table WITHOUT ROWID: its rows are stored in the primary
// key's order (member, day, department, category), so a member's days lie together (the refresh
// reads and writes the dirty members' days by member), and a row is one entry in one tree
// instead of a row and a key entry in two. PostgreSQL keeps its table as it is.
const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

const INDEXES = [
  { name: 'member_category_days_category_idx', columns: ['category', 'day', 'member_id'] },
  { name: 'member_category_days_department_idx', columns: ['department', 'day', 'member_id'] },
]

const recreate = async (db: Kysely<any>, withoutRowid: boolean): Promise<void> => {
  let table = db.schema.createTable('member_category_days_next')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('receipts', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('promo', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('member_category_days_pk', ['member_id', 'day', 'department', 'category'])
  if (withoutRowid) table = table.modifyEnd(sql`WITHOUT ROWID`)
  await table.execute()
  await sql`INSERT INTO member_category_days_next (member_id, day, department, category, receipts, amount, promo)
    SELECT member_id, day, department, category, receipts, amount, promo FROM member_category_days ORDER BY member_id, day, department, category`.execute(db)
  await db.schema.dropTable('member_category_days').execute()
  await db.schema.alterTable('member_category_days_next').renameTo('member_category_days').execute()
  for (const ix of INDEXES) await db.schema.createIndex(ix.name).on('member_category_days').columns(ix.columns).execute()
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await recreate(db, true)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await recreate(db, false)
}
