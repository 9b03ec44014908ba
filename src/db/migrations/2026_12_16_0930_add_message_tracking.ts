import type { Kysely } from 'kysely'

// Issue 15 §1: a marketing email's opens and clicks, when the chain turns tracking on. A tracked
// message keeps the links its text carries (a JSON array of URLs: a click's redirect goes only to
// one of them, never to a URL a request names) and counts its opens and clicks, with the first
// time of each. links null: the message is not tracked.
export async function up(db: Kysely<any>): Promise<void> {
  // One column a statement: SQLite adds no more at once.
  await db.schema.alterTable('messages').addColumn('links', 'text').execute()
  await db.schema.alterTable('messages').addColumn('opened_at', 'text').execute()
  await db.schema.alterTable('messages').addColumn('clicked_at', 'text').execute()
  await db.schema.alterTable('messages').addColumn('opens', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('messages').addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['clicks', 'opens', 'clicked_at', 'opened_at', 'links']) await db.schema.alterTable('messages').dropColumn(column).execute()
}
