import type { Kysely } from 'kysely'

// The incremental insight refresh finds the members whose record changed since its last run.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('members_updated_idx').on('members').column('updated_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('members_updated_idx').execute()
}
