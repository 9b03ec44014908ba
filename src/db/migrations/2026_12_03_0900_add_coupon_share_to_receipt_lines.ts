import type { Kysely } from 'kysely'

// What coupons paid of each receipt line, so a return knows how much of its refund coupons paid
// (not money to give back), as it already knows the points share.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('receipt_lines').addColumn('coupon_amount', 'bigint', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('receipt_lines').addColumn('returned_coupon_amount', 'bigint', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('receipt_lines').dropColumn('returned_coupon_amount').execute()
  await db.schema.alterTable('receipt_lines').dropColumn('coupon_amount').execute()
}
