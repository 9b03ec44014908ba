import type { Kysely } from 'kysely'

// Member lookups per actor (staff user or till key) per hour: the limit that stops a till from
// walking the numbers a masked phone leaves open, and the aggregated record of who looked up how
// many members and how many lookups found nothing. `minute` and `minute_lookups` hold the current
// minute's count in the same row, so a lookup costs one upsert.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('member_lookup_counts')
    .addColumn('actor_key', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text')
    .addColumn('store_id', 'text')
    .addColumn('lookups', 'integer', (c) => c.notNull())
    .addColumn('misses', 'integer', (c) => c.notNull())
    .addColumn('minute', 'text', (c) => c.notNull())
    .addColumn('minute_lookups', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_lookup_counts_pk', ['actor_key', 'period'])
    .execute()
  await db.schema.createIndex('member_lookup_counts_period_idx').on('member_lookup_counts').columns(['period', 'misses']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_lookup_counts').execute()
}
