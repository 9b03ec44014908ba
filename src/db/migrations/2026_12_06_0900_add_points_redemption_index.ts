import { sql, type Kysely } from 'kysely'

// The insight refresh counts the points a member paid for gifts and draws (and got back when a
// gift order was cancelled) in its window: a partial index holds only those entries, so neither
// a full refresh nor an incremental one scans every earn and spend of the ledger, and the till's
// writes of those pay nothing for it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX points_entries_redemption_idx ON points_entries (created_at) WHERE kind IN ('redeem', 'draw', 'refund')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('points_entries_redemption_idx').execute()
}
