import { sql, type Kysely } from 'kysely'

// member_category_days keeps the part of each day's spend on promotion (a discounted line or one
// paid in part by a coupon), so a full refresh can read the window's preferences and promotion
// share from it instead of from every receipt line. The rows written before hold no such part:
// the refresh's state is cleared, so the next refresh rebuilds the table from the lines.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member_category_days').addColumn('promo', 'bigint', (c) => c.notNull().defaultTo(0)).execute()
  await sql`DELETE FROM meta WHERE key = 'insight.refresh'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member_category_days').dropColumn('promo').execute()
}
