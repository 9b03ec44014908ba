import { type Kysely } from 'kysely'

// Issue 14 §3: a store link's survey is answered without signing in, so responses from one address
// are limited per survey and hour, as the public suggestion form is: the address's blind index
// (never the address itself) on the response, indexed for the count.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey_responses').addColumn('ip_hash', 'text').execute()
  await db.schema.createIndex('survey_responses_ip_idx').on('survey_responses').columns(['survey_id', 'ip_hash', 'submitted_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('survey_responses_ip_idx').execute()
  await db.schema.alterTable('survey_responses').dropColumn('ip_hash').execute()
}
