import type { Db, Trx } from '../../../db/database.js'
import type { Channel, MessageProvidersTable, MessagesTable, MessageStatus, ProviderKind } from './channels.table.js'

// The channel layer's queries: providers, the message log, a member's ids on the channels.

type Conn = Db | Trx

export const findProviders = (conn: Conn): Promise<MessageProvidersTable[]> => conn.selectFrom('message_providers').selectAll().execute()

export const findProvider = (conn: Conn, channel: Channel): Promise<MessageProvidersTable | undefined> =>
  conn.selectFrom('message_providers').selectAll().where('channel', '=', channel).executeTakeFirst()

export const findProviderOfKind = (conn: Conn, kind: ProviderKind): Promise<MessageProvidersTable | undefined> =>
  conn.selectFrom('message_providers').selectAll().where('kind', '=', kind).executeTakeFirst()

export const putProvider = (conn: Conn, row: MessageProvidersTable) =>
  conn.insertInto('message_providers').values(row)
    .onConflict((oc) => oc.column('channel').doUpdateSet({ kind: row.kind, settings: row.settings, enabled: row.enabled, updated_by: row.updated_by, updated_at: row.updated_at }))
    .execute()

/** Inserts a message; false when one with its dedupe key is there already. */
export const insertMessage = async (conn: Conn, row: MessagesTable): Promise<boolean> => {
  const r = await conn.insertInto('messages').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

export const findMessage = (conn: Conn, id: string): Promise<MessagesTable | undefined> => conn.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst()

export const findMessageByDedupe = (conn: Conn, key: string): Promise<MessagesTable | undefined> =>
  conn.selectFrom('messages').selectAll().where('dedupe_key', '=', key).executeTakeFirst()

export const updateMessage = (conn: Conn, id: string, changes: Partial<Omit<MessagesTable, 'id'>>) =>
  conn.updateTable('messages').set(changes).where('id', '=', id).execute()

/** Claims the next attempt of a queued message whose last began before `due`; false when another caller has it. */
export const claimRetry = async (conn: Conn, id: string, attempts: number, due: string, at: string): Promise<boolean> => {
  const r = await conn.updateTable('messages').set({ attempts: attempts + 1, updated_at: at })
    .where('id', '=', id).where('status', '=', 'queued').where('attempts', '=', attempts).where('updated_at', '<=', due)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Queued messages (a retryable failure) last tried before `due`, oldest first: the retry job's work. */
export const queuedBefore = (conn: Conn, due: string, limit: number): Promise<MessagesTable[]> =>
  conn.selectFrom('messages').selectAll().where('status', '=', 'queued').where('updated_at', '<=', due).orderBy('updated_at').limit(limit).execute()

export interface MessageFilter {
  channel?: Channel
  status?: MessageStatus
  memberId?: string
  sourceType?: string
  sourceId?: string
  fromAt?: string
  toAt?: string
  /** true: opened (the pixel or a click); false: not (yet) */
  opened?: boolean
  cursor?: string
  limit: number
}

/** Newest first, paged by id (ids sort by creation). */
export const listMessages = (conn: Conn, f: MessageFilter): Promise<MessagesTable[]> => {
  let q = conn.selectFrom('messages').selectAll()
  if (f.channel) q = q.where('channel', '=', f.channel)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.memberId) q = q.where('member_id', '=', f.memberId)
  if (f.sourceType) q = q.where('source_type', '=', f.sourceType)
  if (f.sourceId) q = q.where('source_id', '=', f.sourceId)
  if (f.fromAt) q = q.where('created_at', '>=', f.fromAt)
  if (f.toAt) q = q.where('created_at', '<', f.toAt)
  if (f.opened !== undefined) q = q.where('opened_at', f.opened ? 'is not' : 'is', null)
  if (f.cursor) q = q.where('id', '<', f.cursor)
  return q.orderBy('id', 'desc').limit(f.limit).execute()
}

/** Applies a delivery receipt to the message a provider knows by its id; how many rows changed. */
export const updateByProviderId = async (conn: Conn, kind: ProviderKind, providerMessageId: string, from: readonly MessageStatus[], changes: Partial<MessagesTable>): Promise<number> => {
  const r = await conn.updateTable('messages').set(changes)
    .where('provider_kind', '=', kind).where('provider_message_id', '=', providerMessageId).where('status', 'in', [...from])
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Counts an open of a tracked message (one whose links are kept), the first with its time; false when there is none. */
export const recordOpen = async (conn: Conn, id: string, at: string): Promise<boolean> => {
  const r = await conn.updateTable('messages')
    .set((eb) => ({ opens: eb('opens', '+', 1), opened_at: eb.fn.coalesce('opened_at', eb.val(at)) }))
    .where('id', '=', id).where('links', 'is not', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Counts a click of a tracked message, the first with its time; a click shows it was opened (at least once, then). */
export const recordClick = async (conn: Conn, id: string, at: string): Promise<void> => {
  await conn.updateTable('messages')
    .set((eb) => ({
      clicks: eb('clicks', '+', 1), clicked_at: eb.fn.coalesce('clicked_at', eb.val(at)),
      opens: eb.case().when('opens', '=', 0).then(1).else(eb.ref('opens')).end(), opened_at: eb.fn.coalesce('opened_at', eb.val(at)),
    }))
    .where('id', '=', id).where('links', 'is not', null)
    .execute()
}

/** A member's WeChat OpenID and push token (what the member record does not hold). */
export const memberChannelIds = (conn: Conn, memberId: string) =>
  conn.selectFrom('member_channel_ids').select(['wechat_openid', 'push_token']).where('member_id', '=', memberId).executeTakeFirst()

export const putChannelIds = (conn: Conn, memberId: string, ids: { wechat_openid?: string | null; push_token?: string | null }, at: string) =>
  conn.insertInto('member_channel_ids').values({ member_id: memberId, wechat_openid: ids.wechat_openid ?? null, push_token: ids.push_token ?? null, updated_at: at })
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ ...ids, updated_at: at }))
    .execute()

/** The member a WeChat OpenID is bound to (one at most), or undefined. */
export const memberIdByOpenid = async (conn: Conn, openid: string): Promise<string | undefined> =>
  (await conn.selectFrom('member_channel_ids').select('member_id').where('wechat_openid', '=', openid).executeTakeFirst())?.member_id

/** Marketing messages each member was sent since a time (every campaign and journey; failed ones not counted), for the cap. */
export const marketingSince = async (conn: Db | Trx, memberIds: readonly string[], since: string): Promise<Map<string, number>> => {
  if (memberIds.length === 0) return new Map()
  const rows = await conn.selectFrom('messages').select(['member_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('member_id', 'in', [...memberIds]).where('purpose', '=', 'marketing').where('created_at', '>=', since).where('status', '<>', 'failed')
    .groupBy('member_id').execute()
  return new Map(rows.map((r) => [r.member_id!, Number(r.n)]))
}

/** Replaces a provider's settings text only if it is still `from` (a key rotation racing an edit leaves the edit). */
export const replaceProviderSettings = async (conn: Conn, channel: Channel, from: string, to: string): Promise<boolean> => {
  const r = await conn.updateTable('message_providers').set({ settings: to }).where('channel', '=', channel).where('settings', '=', from).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
