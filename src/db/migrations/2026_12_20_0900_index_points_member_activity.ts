import type { Kysely } from 'kysely'

// The retention sweep (issue 16 §2) asks, per member, whether the points ledger moved since a
// date other than by an expiry (which the system writes, not the person), and when it last did:
// one probe of this index each, with the kind in it so no entry row is read.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('points_entries_member_activity_idx').on('points_entries').columns(['member_id', 'created_at', 'kind']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('points_entries_member_activity_idx').execute()
}
