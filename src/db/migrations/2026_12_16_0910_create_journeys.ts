import type { Kysely } from 'kysely'

// Journeys (issue 15 §4): a journey and its versions, the members inside (one enrolment per
// journey, member and occurrence), each step an enrolment has done (once: the row is the claim),
// and the lifecycle stage the journeys last saw each member in.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('journeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('trigger_type', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('active_since', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('journeys_name_uq').on('journeys').columns(['name']).unique().execute()
  await db.schema.createIndex('journeys_trigger_idx').on('journeys').columns(['trigger_type', 'status']).execute()

  await db.schema.createTable('journey_versions')
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('journey_versions_pk', ['journey_id', 'version'])
    .execute()

  await db.schema.createTable('journey_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('occurrence', 'text', (c) => c.notNull())
    .addColumn('current_step', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('exit_reason', 'text')
    .addColumn('next_at', 'text')
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // A member enters a journey once per occurrence ('' for the triggers that happen once): an
  // event delivered twice, or two workers, enrol them once.
  await db.schema.createIndex('journey_members_uq').on('journey_members').columns(['journey_id', 'member_id', 'occurrence']).unique().execute()
  // The advance job's due enrolments, in order.
  await db.schema.createIndex('journey_members_due_idx').on('journey_members').columns(['status', 'next_at', 'id']).execute()
  await db.schema.createIndex('journey_members_journey_idx').on('journey_members').columns(['journey_id', 'status', 'version', 'current_step']).execute()
  await db.schema.createIndex('journey_members_member_idx').on('journey_members').columns(['member_id']).execute()

  await db.schema.createTable('journey_steps_log')
    .addColumn('enrolment_id', 'text', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('step_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('next_step', 'integer')
    .addColumn('channel', 'text')
    .addColumn('message_id', 'text')
    .addColumn('coupon_id', 'text')
    // Each step of an enrolment once: the insert is the claim, a second worker's meets it.
    .addPrimaryKeyConstraint('journey_steps_log_pk', ['enrolment_id', 'step_index'])
    .execute()

  await db.schema.createTable('journey_lifecycle_seen')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('seen_on', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('journey_lifecycle_seen').execute()
  await db.schema.dropTable('journey_steps_log').execute()
  await db.schema.dropTable('journey_members').execute()
  await db.schema.dropTable('journey_versions').execute()
  await db.schema.dropTable('journeys').execute()
}
