import type { Kysely } from 'kysely'

// The member's own page (issue 17 §1): one-time sign-in codes and members' sessions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('member_login_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone_index', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'text')
    .execute()
  await db.schema.createIndex('member_login_codes_phone_idx').on('member_login_codes').columns(['phone_index', 'created_at']).execute()
  await db.schema.createIndex('member_login_codes_ip_idx').on('member_login_codes').columns(['ip', 'created_at']).execute()
  await db.schema.createTable('member_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute()
  await db.schema.createIndex('member_sessions_member_idx').on('member_sessions').column('member_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_sessions').execute()
  await db.schema.dropTable('member_login_codes').execute()
}
