import { sql, type Kysely } from 'kysely'

// Personal data (PIPL, issue 16 §2): a person's request to be erased, waiting out the chain's
// cooling-off period (pending) before the job erases them (done), unless staff cancel it first;
// and the privacy settings (the cooling-off days). One pending request per member.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('erasure_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_by', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('done_at', 'text')
    .addColumn('result', 'text')
    .execute()
  await db.schema.createIndex('erasure_requests_due_idx').on('erasure_requests').columns(['status', 'due_at']).execute()
  await db.schema.createIndex('erasure_requests_member_idx').on('erasure_requests').columns(['member_id', 'requested_at']).execute()
  await db.schema.createIndex('erasure_requests_pending_uq').on('erasure_requests').column('member_id').unique().where(sql.ref('status'), '=', 'pending').execute()
  await db.schema.createTable('privacy_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('privacy_settings').execute()
  await db.schema.dropTable('erasure_requests').execute()
}
