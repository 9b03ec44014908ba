import type { Kysely } from 'kysely'

// The durable job queue (the outbox): a job is written in the transaction of the change that
// causes it, so it is committed with that change or not at all; workers claim due jobs under a
// lease, and a lease that runs out (the worker died) lets another worker claim the job again.
// It replaces job_runs: a daily job is a queued job whose dedupe key names its day.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('job_queue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute()
  // Unique when set: NULLs never collide on either engine.
  await db.schema.createIndex('job_queue_dedupe_key_idx').on('job_queue').column('dedupe_key').unique().execute()
  await db.schema.createIndex('job_queue_claim_idx').on('job_queue').columns(['status', 'run_at']).execute()
  await db.schema.createIndex('job_queue_lease_idx').on('job_queue').columns(['status', 'locked_until']).execute()
  await db.schema.createIndex('job_queue_name_idx').on('job_queue').columns(['name', 'status']).execute()
  await db.schema.dropTable('job_runs').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_queue').execute()
  await db.schema.createTable('job_runs')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('job_runs_pk', ['name', 'run_key'])
    .execute()
}
