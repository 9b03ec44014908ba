import { sql, type Kysely } from 'kysely'

// tag_counts_daily is counted per registration store ('' for members without one), so a store
// role gets its own trend and the chain sums the stores. The table is dropped and created again
// rather than altered: a day's count of the chain cannot be split by store after the fact, and
// kept under store '' it would read as members without a store (and a store's trend as 0 on
// those days). The counts are rewritten by each full refresh (nightly), so the trend starts
// again from the next one. Dropping and creating runs the same on SQLite and PostgreSQL, where
// changing a primary key in place does not.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tag_counts_daily').execute()
  await db.schema.createTable('tag_counts_daily')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id'))
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('tag_counts_daily_pk', ['day', 'tag_id', 'store_id'])
    .execute()
}

// Back to the chain's counts: the stores of each day summed.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('tag_counts_daily_chain')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id'))
    .addColumn('members', 'integer', (c) => c.notNull())
    .execute()
  await sql`insert into tag_counts_daily_chain (day, tag_id, members) select day, tag_id, sum(members) from tag_counts_daily group by day, tag_id`.execute(db)
  await db.schema.dropTable('tag_counts_daily').execute()
  await db.schema.createTable('tag_counts_daily')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id'))
    .addColumn('members', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('tag_counts_daily_pk', ['day', 'tag_id'])
    .execute()
  await sql`insert into tag_counts_daily (day, tag_id, members) select day, tag_id, members from tag_counts_daily_chain`.execute(db)
  await db.schema.dropTable('tag_counts_daily_chain').execute()
}
