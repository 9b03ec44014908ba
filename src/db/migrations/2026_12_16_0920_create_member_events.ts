import type { Kysely } from 'kysely'

// Member events (会员活动, issue 15 §5): an event at a store with a capacity, and each member's
// registration, cancellation and check-in. `seats_taken` counts the registrations holding a seat
// (registered or attended), kept with them in one transaction, so that a conditional update of it
// is the one place two desks race for the last seat.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('member_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('seats_taken', 'integer', (c) => c.notNull())
    .addColumn('segment_id', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('member_events_store_idx').on('member_events').columns(['store_id', 'starts_at']).execute()
  await db.schema.createIndex('member_events_starts_idx').on('member_events').columns(['starts_at', 'id']).execute()

  await db.schema.createTable('event_registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('checked_in_at', 'text')
    .addColumn('checked_in_by', 'text')
    .execute()
  // One registration per member and event: registering again after a cancellation reuses it.
  await db.schema.createIndex('event_registrations_member_uq').on('event_registrations').columns(['event_id', 'member_id']).unique().execute()
  await db.schema.createIndex('event_registrations_member_idx').on('event_registrations').columns(['member_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_registrations').execute()
  await db.schema.dropTable('member_events').execute()
}
