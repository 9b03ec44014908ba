import type { Kysely } from 'kysely'

// Store-level overrides of the chain's till settings (issue 16 §3): HQ says which settings a store
// may change (in the chain's till settings); a store's own values are kept here, one row a store.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('store_till_settings')
    .addColumn('store_id', 'text', (c) => c.primaryKey().references('stores.id'))
    /** JSON: the settings this store sets itself (absent: inherited from HQ) */
    .addColumn('overrides', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('store_till_settings').execute()
}
