import type { Kysely } from 'kysely'

// Issue 14's channel step: survey invitations go out through the message channels. The send job
// takes the invitations still pending send, oldest first, a batch a minute; this index finds them
// without reading the answered and sent ones.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('survey_invitations_send_idx').on('survey_invitations').columns(['send_status', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('survey_invitations_send_idx').execute()
}
