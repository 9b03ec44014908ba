import type { Kysely } from 'kysely'

// Backups (issue 16 §1): every run of the daily backup (or one asked for), its result, size and
// what retention removed after it; the console's 设置 → 备份 and the dashboard's alert read them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('backup_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('started_by', 'text')
    .addColumn('name', 'text')
    .addColumn('bytes', 'bigint')
    .addColumn('rows_total', 'bigint')
    .addColumn('removed', 'text')
    .addColumn('error', 'text')
    .execute()
  await db.schema.createIndex('backup_runs_started_idx').on('backup_runs').columns(['started_at', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('backup_runs').execute()
}
