import { type Kysely } from 'kysely'

// Issue 13 §4: the weekly demand forecast, per store × department and chain-wide per category. A
// run (nightly, or asked) forecasts every series and stores each one's weeks, forecast, intervals
// and backtest, so the page and the exports read the last run instead of fitting again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('forecast_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('last_week', 'text', (c) => c.notNull())
    .addColumn('weeks', 'integer', (c) => c.notNull())
    .addColumn('horizon', 'integer', (c) => c.notNull())
    .addColumn('origins', 'integer', (c) => c.notNull())
    .addColumn('series', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('seconds', 'double precision', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('forecast_runs_run_at_idx').on('forecast_runs').columns(['run_at']).execute()
  await db.schema.createTable('forecast_series')
    .addColumn('run_id', 'text', (c) => c.notNull().references('forecast_runs.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('from_week', 'text', (c) => c.notNull())
    .addColumn('history_weeks', 'integer', (c) => c.notNull())
    .addColumn('last4', 'bigint', (c) => c.notNull())
    .addColumn('next4', 'bigint', (c) => c.notNull())
    .addColumn('smape', 'double precision')
    .addColumn('naive_smape', 'double precision')
    .addColumn('mape', 'double precision')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('forecast_series_pk', ['run_id', 'level', 'store_id', 'key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('forecast_series').execute()
  await db.schema.dropTable('forecast_runs').execute()
}
