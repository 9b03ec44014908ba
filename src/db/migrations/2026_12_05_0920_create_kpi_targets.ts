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

  // The KPIs' read model, so a dashboard reads a few thousand rows instead of every receipt:
  // per store and business day the sales sums and the members registered (live ones), and per
  // scope (the chain '', a region, a store) and month the distinct members who bought, those
  // who also bought the month before, and those who had bought before the month. Rebuilt for
  // what changed since a watermark (kpi_state), by the KPI service.
  await db.schema.createTable('kpi_store_days')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('net_sales', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('member_net_sales', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('member_sale_receipts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('non_member_sale_receipts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('new_members', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('points_issued', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('points_redeemed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('kpi_store_days_pk', ['store_id', 'day'])
    .execute()
  await db.schema.createIndex('kpi_store_days_day_idx').on('kpi_store_days').columns(['day', 'store_id']).execute()
  await db.schema.createTable('kpi_scope_months')
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('retained', 'integer', (c) => c.notNull())
    .addColumn('repeat', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_scope_months_pk', ['scope_id', 'month'])
    .execute()
  // Points entries (changed since the watermark) and coupons (counted live) are read by time.
  await db.schema.createIndex('points_entries_created_idx').on('points_entries').column('created_at').execute()
  await db.schema.createIndex('coupons_issued_at_idx').on('coupons').column('issued_at').execute()
  await db.schema.createIndex('coupons_used_at_idx').on('coupons').column('used_at').execute()
  await db.schema.createTable('kpi_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_state').execute()
  await db.schema.dropIndex('coupons_used_at_idx').execute()
  await db.schema.dropIndex('coupons_issued_at_idx').execute()
  await db.schema.dropIndex('points_entries_created_idx').execute()
  await db.schema.dropTable('kpi_scope_months').execute()
  await db.schema.dropTable('kpi_store_days').execute()
  await db.schema.dropTable('kpi_targets').execute()
}
