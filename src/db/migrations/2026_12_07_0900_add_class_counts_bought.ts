import { sql, type Kysely } from 'kysely'

// The class counts' members who ever bought (recency_days not null), per group: a full refresh
// moves every such member's recency by the days between its date and the last one, and with this
// count it moves the groups' sums instead of counting every member again. The counts are written
// whole by the next refresh (the meta key that says they exist goes).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('insight_class_counts').addColumn('bought', 'bigint', (c) => c.notNull().defaultTo(0)).execute()
  await sql`DELETE FROM meta WHERE key = 'insight.class_counts'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('insight_class_counts').dropColumn('bought').execute()
  await sql`DELETE FROM meta WHERE key = 'insight.class_counts'`.execute(db)
}
