import type { Kysely } from 'kysely'

// The class counts the console's insight pages read, per registration store ('' for none):
// one row per store and group of a kind (rfm: class, r, f, m; quadrant; level: frequency,
// amount; lifecycle; department; category; age_gender: age band, gender), with its members and
// their sums. The refresh rebuilds it from member_insight after classing, so the pages sum a few
// hundred rows per store instead of grouping every member. Every refresh (full or incremental)
// writes it, so the next one fills it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('insight_class_counts')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('k1', 'text')
    .addColumn('k2', 'text')
    .addColumn('k3', 'text')
    .addColumn('k4', 'text')
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('spend', 'bigint', (c) => c.notNull())
    .addColumn('recency', 'bigint', (c) => c.notNull())
    .addColumn('receipts', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('insight_class_counts_kind_store_idx').on('insight_class_counts').columns(['kind', 'store_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('insight_class_counts').execute()
}
