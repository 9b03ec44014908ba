import { sql, type Kysely } from 'kysely'

// The same entries as points_entries_redemption_idx (gifts, draws, points given back), by member:
// an incremental insight refresh reads the window's redemptions of its dirty members only, where
// the index by time made it read every member's redemptions of the window.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX points_entries_member_redemption_idx ON points_entries (member_id, created_at) WHERE kind IN ('redeem', 'draw', 'refund')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('points_entries_member_redemption_idx').execute()
}
