import { type Kysely } from 'kysely'

// Issue 13 §5: a long job says how far it has come (JSON { done, total, step }), so the page that
// queued it shows progress rather than a spinner.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('job_queue').addColumn('progress', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('job_queue').dropColumn('progress').execute()
}
