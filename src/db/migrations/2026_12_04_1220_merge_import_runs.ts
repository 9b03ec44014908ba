import { sql, type Kysely } from 'kysely'

// One run record for every kind of import (members, receipts, products, and the kinds to come):
// `imports` holds what each kind's own table held (its settings and counts as JSON, since they
// differ by kind), `import_errors` every refused row. The rows of member_imports and
// receipt_imports move over with their ids, so links and audit entries keep working.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('total_bytes', 'bigint', (c) => c.notNull())
    .addColumn('processed_bytes', 'bigint', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_by', 'text')
    .addColumn('store_id', 'text', (c) => c.references('stores.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('upload_file', 'text')
    .execute()
  await db.schema.createIndex('imports_kind_idx').on('imports').columns(['kind', 'created_at']).execute()
  await db.schema.createIndex('imports_status_idx').on('imports').columns(['status', 'heartbeat_at']).execute()
  await db.schema.createTable('import_errors')
    .addColumn('import_id', 'text', (c) => c.notNull().references('imports.id'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('column_name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('value_sealed', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('import_errors_idx').on('import_errors').columns(['import_id', 'line']).execute()

  const common = (r: any) => ({
    id: r.id, status: r.status, source_name: r.source_name, total_bytes: Number(r.total_bytes), processed_bytes: Number(r.processed_bytes),
    error_code: r.error_code, error_message: r.error_message, created_by: r.created_by, created_at: r.created_at, heartbeat_at: r.heartbeat_at,
    finished_at: r.finished_at, upload_file: r.upload_file,
  })
  for (const r of await db.selectFrom('member_imports').selectAll().execute()) {
    await db.insertInto('imports').values({
      ...common(r), kind: 'members', store_id: r.registration_store_id,
      settings: JSON.stringify({ mapping: JSON.parse(r.mapping), updateExisting: Number(r.update_existing) === 1 }),
      counts: JSON.stringify({ rowsRead: r.rows_read, inserted: r.inserted, updated: r.updated, skipped: r.skipped, failed: r.failed }),
    }).execute()
  }
  const stores = new Map((await db.selectFrom('stores').select(['id', 'code']).execute()).map((s: any) => [s.code, s.id]))
  for (const r of await db.selectFrom('receipt_imports').selectAll().execute()) {
    const options = JSON.parse(r.options)
    await db.insertInto('imports').values({
      ...common(r), kind: 'receipts', store_id: (options.storeCode && stores.get(options.storeCode)) ?? null, settings: r.options,
      counts: JSON.stringify({
        linesRead: r.lines_read, receiptsPosted: r.receipts_posted, returnsPosted: r.returns_posted, receiptsSkipped: r.receipts_skipped,
        membersCreated: r.members_created, failed: r.failed,
      }),
    }).execute()
  }
  for (const table of ['member_import_errors', 'receipt_import_errors']) {
    await sql`INSERT INTO import_errors (import_id, line, column_name, value, value_sealed, reason)
      SELECT import_id, line, column_name, value, value_sealed, reason FROM ${sql.table(table)}`.execute(db)
  }
  for (const table of ['member_import_errors', 'receipt_import_errors', 'member_imports', 'receipt_imports']) await db.schema.dropTable(table).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('member_imports')
    .addColumn('id', 'text', (c) => c.primaryKey()).addColumn('status', 'text', (c) => c.notNull()).addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull()).addColumn('update_existing', 'integer', (c) => c.notNull())
    .addColumn('registration_store_id', 'text', (c) => c.references('stores.id'))
    .addColumn('total_bytes', 'bigint', (c) => c.notNull()).addColumn('processed_bytes', 'bigint', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull()).addColumn('inserted', 'integer', (c) => c.notNull()).addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull()).addColumn('failed', 'integer', (c) => c.notNull()).addColumn('error_message', 'text')
    .addColumn('created_by', 'text').addColumn('created_at', 'text', (c) => c.notNull()).addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text').addColumn('error_code', 'text').addColumn('upload_file', 'text')
    .execute()
  await db.schema.createTable('receipt_imports')
    .addColumn('id', 'text', (c) => c.primaryKey()).addColumn('status', 'text', (c) => c.notNull()).addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull()).addColumn('total_bytes', 'bigint', (c) => c.notNull()).addColumn('processed_bytes', 'bigint', (c) => c.notNull())
    .addColumn('lines_read', 'integer', (c) => c.notNull()).addColumn('receipts_posted', 'integer', (c) => c.notNull())
    .addColumn('returns_posted', 'integer', (c) => c.notNull()).addColumn('receipts_skipped', 'integer', (c) => c.notNull())
    .addColumn('members_created', 'integer', (c) => c.notNull()).addColumn('failed', 'integer', (c) => c.notNull()).addColumn('error_message', 'text')
    .addColumn('created_by', 'text').addColumn('created_at', 'text', (c) => c.notNull()).addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text').addColumn('error_code', 'text').addColumn('upload_file', 'text')
    .execute()
  for (const [table, parent] of [['member_import_errors', 'member_imports'], ['receipt_import_errors', 'receipt_imports']] as const) {
    await db.schema.createTable(table)
      .addColumn('import_id', 'text', (c) => c.notNull().references(`${parent}.id`)).addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('column_name', 'text', (c) => c.notNull()).addColumn('value', 'text', (c) => c.notNull()).addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('value_sealed', 'text')
      .execute()
    await db.schema.createIndex(`${table}_idx`).on(table).columns(['import_id', 'line']).execute()
  }
  for (const r of await db.selectFrom('imports').selectAll().where('kind', 'in', ['members', 'receipts']).execute()) {
    const c = JSON.parse(r.counts)
    const base = {
      id: r.id, status: r.status, source_name: r.source_name, total_bytes: r.total_bytes, processed_bytes: r.processed_bytes, error_message: r.error_message,
      created_by: r.created_by, created_at: r.created_at, heartbeat_at: r.heartbeat_at, finished_at: r.finished_at, error_code: r.error_code, upload_file: r.upload_file,
    }
    if (r.kind === 'members') {
      const s = JSON.parse(r.settings)
      await db.insertInto('member_imports').values({
        ...base, mapping: JSON.stringify(s.mapping), update_existing: s.updateExisting ? 1 : 0, registration_store_id: r.store_id,
        rows_read: c.rowsRead, inserted: c.inserted, updated: c.updated, skipped: c.skipped, failed: c.failed,
      }).execute()
    } else {
      await db.insertInto('receipt_imports').values({
        ...base, options: r.settings, lines_read: c.linesRead, receipts_posted: c.receiptsPosted, returns_posted: c.returnsPosted,
        receipts_skipped: c.receiptsSkipped, members_created: c.membersCreated, failed: c.failed,
      }).execute()
    }
  }
  for (const [table, kind] of [['member_import_errors', 'members'], ['receipt_import_errors', 'receipts']] as const) {
    await sql`INSERT INTO ${sql.table(table)} (import_id, line, column_name, value, value_sealed, reason)
      SELECT e.import_id, e.line, e.column_name, e.value, e.value_sealed, e.reason FROM import_errors e JOIN imports i ON i.id = e.import_id WHERE i.kind = ${kind}`.execute(db)
  }
  await db.schema.dropTable('import_errors').execute()
  await db.schema.dropTable('imports').execute()
}
