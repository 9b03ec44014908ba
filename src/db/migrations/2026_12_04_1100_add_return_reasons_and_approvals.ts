import type { Kysely } from 'kysely'

// A return taken at the service desk says why (a reason from a list and a note) and who approved
// it; how its refund was paid is kept as the return's own tenders (money to each tender of the
// sale, points given back, the coupons' share kept). A return above the chain's limit waits for
// a store manager as a request, which moves no money or points until it is approved.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('receipts').addColumn('return_reason', 'text').execute()
  await db.schema.alterTable('receipts').addColumn('return_note', 'text').execute()
  await db.schema.alterTable('receipts').addColumn('approved_by', 'text').execute()

  await db.schema.createTable('return_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id'))
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('original_receipt_id', 'text', (c) => c.notNull().references('receipts.id'))
    .addColumn('original_receipt_no', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('return_receipt_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('return_approvals_store_no_uq', ['store_id', 'receipt_no'])
    .execute()
  await db.schema.createIndex('return_approvals_status_idx').on('return_approvals').columns(['status', 'store_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('return_approvals').execute()
  await db.schema.alterTable('receipts').dropColumn('approved_by').execute()
  await db.schema.alterTable('receipts').dropColumn('return_note').execute()
  await db.schema.alterTable('receipts').dropColumn('return_reason').execute()
}
