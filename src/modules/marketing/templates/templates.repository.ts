import type { Db, Trx } from '../../../db/database.js'
import type { Channel } from '../channels/channels.table.js'
import type { MessageTemplatesTable, TemplateStatus } from './templates.table.js'

type Conn = Db | Trx

export const insertTemplate = (conn: Conn, row: MessageTemplatesTable) => conn.insertInto('message_templates').values(row).execute()

export const findTemplate = (conn: Conn, id: string) =>
  conn.selectFrom('message_templates').selectAll().where('id', '=', id).executeTakeFirst()

export const findTemplateByName = (conn: Conn, name: string) =>
  conn.selectFrom('message_templates').select(['id']).where('name', '=', name).executeTakeFirst()

/** Templates by channel and status, by name (a chain keeps tens, not thousands). */
export const listTemplates = (conn: Conn, f: { channel?: Channel; status?: TemplateStatus }) => {
  let q = conn.selectFrom('message_templates').selectAll().orderBy('name').orderBy('id')
  if (f.channel) q = q.where('channel', '=', f.channel)
  if (f.status) q = q.where('status', '=', f.status)
  return q.execute()
}

/** Writes the template's new fields if it is still at `version`; false when someone changed it first. */
export const updateTemplate = async (trx: Trx, id: string, version: number, patch: Partial<MessageTemplatesTable>): Promise<boolean> => {
  const r = await trx.updateTable('message_templates').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export const findSetting = (conn: Conn, key: string) =>
  conn.selectFrom('marketing_settings').selectAll().where('key', '=', key).executeTakeFirst()

export const saveSetting = (trx: Conn, row: { key: string; value: string; updated_by: string | null; updated_at: string }) =>
  trx.insertInto('marketing_settings').values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_by: row.updated_by, updated_at: row.updated_at })).execute()
