import type { Kysely } from 'kysely'

// The channel layer of marketing (issue 15 §1): a provider per channel, the message log, and the
// ids a member has on channels Patron does not hold in the member record (WeChat OpenID, push token).
export async function up(db: Kysely<any>): Promise<void> {
  // No row for a channel: the sandbox, which keeps every message in the log and sends nothing.
  await db.schema.createTable('message_providers')
    .addColumn('channel', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema.createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.references('members.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider_kind', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('recipient_enc', 'text')
    .addColumn('recipient_masked', 'text')
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('template_code', 'text')
    .addColumn('params', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('source_type', 'text')
    .addColumn('source_id', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('delivered_at', 'text')
    .execute()
  // Nulls are distinct on both engines: a message without a source is never a duplicate.
  await db.schema.createIndex('messages_dedupe_uq').on('messages').columns(['dedupe_key']).unique().execute()
  await db.schema.createIndex('messages_created_idx').on('messages').columns(['created_at']).execute()
  await db.schema.createIndex('messages_member_idx').on('messages').columns(['member_id', 'created_at']).execute()
  await db.schema.createIndex('messages_provider_idx').on('messages').columns(['provider_kind', 'provider_message_id']).execute()
  await db.schema.createIndex('messages_source_idx').on('messages').columns(['source_type', 'source_id']).execute()

  await db.schema.createTable('member_channel_ids')
    .addColumn('member_id', 'text', (c) => c.primaryKey().references('members.id'))
    .addColumn('wechat_openid', 'text', (c) => c.unique())
    .addColumn('push_token', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}
