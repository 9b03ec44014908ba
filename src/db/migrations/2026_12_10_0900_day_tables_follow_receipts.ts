import { sql, type Kysely } from 'kysely'

// From here on, posting a receipt adds it to member_store_days and member_category_days (the
// incremental refresh no longer works out the changed days). Receipts posted before this version
// and not yet refreshed are in neither: the refresh's state is cleared, so the next refresh is a
// first one and rebuilds both tables from every receipt.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM meta WHERE key = 'insight.refresh'`.execute(db)
}

// Down: the tables stay as they are (an older refresh keeps them by the changed days).
export async function down(): Promise<void> {}
