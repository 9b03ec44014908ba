import type { Kysely } from 'kysely'

// A keyed blind index of a member's full name, so a desk can find members by name while names
// stay encrypted. Existing members are indexed at start (the migration has no key): see
// backfillNameIndex in the members module.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').addColumn('name_bidx', 'text').execute()
  await db.schema.createIndex('members_name_bidx_idx').on('members').column('name_bidx').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('members_name_bidx_idx').execute()
  await db.schema.alterTable('members').dropColumn('name_bidx').execute()
}
