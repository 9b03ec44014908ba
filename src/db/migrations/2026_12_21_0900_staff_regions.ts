import type { Kysely } from 'kysely'

// Region managers (issue 16 §3): a staff user of a region role belongs to a region (a store role to
// a store, an HQ role to neither); their scope is the region's stores at the time they act.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_users').addColumn('region_id', 'text', (c) => c.references('regions.id')).execute()
  await db.schema.createIndex('staff_users_region_idx').on('staff_users').column('region_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('staff_users_region_idx').execute()
  await db.schema.alterTable('staff_users').dropColumn('region_id').execute()
}
