import type { Kysely } from 'kysely'

// KPI targets (issue 12 §6): what HQ aims for per period (a month or a year), scope (the chain, a
// region or a store) and metric; the CRM evaluation report sets the actual figures against them.
// Owned by analytics. The chain's scope id is '' so one unique index covers every scope.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('kpi_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('scope_kind', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('kpi_targets_key_idx').on('kpi_targets').columns(['period', 'scope_kind', 'scope_id', 'metric']).unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_targets').execute()
}
