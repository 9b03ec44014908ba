import { type Kysely } from 'kysely'

// Issue 13 §1: the calibration / holdout check of the lifetime-value models as a stored result
// (a job), so the CLV page shows predicted against actual purchases without fitting again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('clv_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('calibration_end', 'text', (c) => c.notNull())
    .addColumn('holdout_end', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('clv_checks_checked_at_idx').on('clv_checks').columns(['checked_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('clv_checks').execute()
}
