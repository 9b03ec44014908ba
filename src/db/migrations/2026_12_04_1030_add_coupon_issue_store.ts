import type { Kysely } from 'kysely'

// The store a bulk coupon issue was made for (null: HQ's), so a store's staff see their own
// store's runs and not HQ's or another store's lists of member keys.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('coupon_issues').addColumn('store_id', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('coupon_issues').dropColumn('store_id').execute()
}
