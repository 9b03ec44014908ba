import type { Db, Trx } from '../../../db/database.js'

// The channel layer's queries for the member-data contract: a member's messages and channel ids.

type Conn = Db | Trx

export const countMemberRows = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

export const moveMemberRows = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  await trx.updateTable('messages').set({ member_id: toId }).where('member_id', '=', fromId).execute()
  // The survivor keeps its own ids; the merged record's fill what it lacks.
  const from = await trx.selectFrom('member_channel_ids').selectAll().where('member_id', '=', fromId).executeTakeFirst()
  if (!from) return
  const to = await trx.selectFrom('member_channel_ids').selectAll().where('member_id', '=', toId).executeTakeFirst()
  await trx.deleteFrom('member_channel_ids').where('member_id', '=', fromId).execute()
  if (!to) await trx.insertInto('member_channel_ids').values({ ...from, member_id: toId }).execute()
  else {
    await trx.updateTable('member_channel_ids')
      .set({ wechat_openid: to.wechat_openid ?? from.wechat_openid, push_token: to.push_token ?? from.push_token, updated_at: from.updated_at > to.updated_at ? from.updated_at : to.updated_at })
      .where('member_id', '=', toId).execute()
  }
}

export const memberRows = async (conn: Conn, memberId: string) => {
  const [messages, channelIds] = await Promise.all([
    conn.selectFrom('messages')
      .select(['id', 'channel', 'provider_kind', 'purpose', 'recipient_masked', 'subject', 'body', 'status', 'source_type', 'source_id', 'created_at', 'sent_at', 'delivered_at', 'opened_at', 'clicked_at', 'opens', 'clicks'])
      .where('member_id', '=', memberId).orderBy('id').execute(),
    conn.selectFrom('member_channel_ids').selectAll().where('member_id', '=', memberId).execute(),
  ])
  return { messages, member_channel_ids: channelIds }
}

/**
 * Keeps the messages for the campaigns' counts without the person: no member, recipient or text;
 * the dedupe key (source + member) goes too, as it names the member, and a tracked email's links
 * (its opens and clicks stop being counted; those counted stay). The channel ids are deleted.
 */
export const eraseMemberRows = async (trx: Trx, memberId: string): Promise<void> => {
  await trx.updateTable('messages')
    .set({ member_id: null, recipient_enc: null, recipient_masked: null, subject: null, body: '', params: null, dedupe_key: null, links: null })
    .where('member_id', '=', memberId).execute()
  await trx.deleteFrom('member_channel_ids').where('member_id', '=', memberId).execute()
}
