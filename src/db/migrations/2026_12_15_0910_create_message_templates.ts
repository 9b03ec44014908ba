import type { Kysely } from 'kysely'

// Message templates and the chain's marketing settings (issue 15 §2): a template per channel with
// its zh-CN and en-US text, and settings by key (the SMS signature; later caps and quiet hours).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('message_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('subject_zh', 'text')
    .addColumn('subject_en', 'text')
    .addColumn('body_zh', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text')
    .addColumn('provider_template_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('message_templates_name_uq').on('message_templates').columns(['name']).unique().execute()
  await db.schema.createIndex('message_templates_channel_idx').on('message_templates').columns(['channel', 'status']).execute()

  await db.schema.createTable('marketing_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('marketing_settings').execute()
  await db.schema.dropTable('message_templates').execute()
}
