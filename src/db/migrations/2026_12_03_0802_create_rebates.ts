import type { Kysely } from 'kysely'

// Year-end rebate programmes (年终返利) and what each member was given.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rebate_programmes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('brackets', 'text', (c) => c.notNull())
    .addColumn('tier_rates', 'text')
    .addColumn('reward', 'text', (c) => c.notNull())
    .addColumn('coupon_template_id', 'text', (c) => c.references('coupon_templates.id'))
    .addColumn('min_rebate', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('members_rewarded', 'integer', (c) => c.notNull())
    .addColumn('total_rebate', 'bigint', (c) => c.notNull())
    .addColumn('point_value_fen', 'integer')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text')
    .addColumn('run_by', 'text')
    .execute()

  await db.schema.createTable('rebate_awards')
    .addColumn('programme_id', 'text', (c) => c.notNull().references('rebate_programmes.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('basis', 'bigint', (c) => c.notNull())
    .addColumn('rebate', 'bigint', (c) => c.notNull())
    .addColumn('coupon_id', 'text')
    .addColumn('entry_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rebate_awards_pk', ['programme_id', 'member_id'])
    .execute()
  await db.schema.createIndex('rebate_awards_member_idx').on('rebate_awards').column('member_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['rebate_awards', 'rebate_programmes']) await db.schema.dropTable(t).execute()
}
