import type { Db, Trx } from '../../../db/database.js'

// Feedback's queries for the member-data contract: a member's suggestions, survey invitations,
// responses and their answers.

type Conn = Db | Trx

const countOf = async (conn: Conn, table: 'suggestions' | 'survey_invitations' | 'survey_responses', memberId: string): Promise<number> =>
  Number((await conn.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

export const countMemberRows = async (conn: Conn, memberId: string): Promise<number> =>
  (await countOf(conn, 'suggestions', memberId)) + (await countOf(conn, 'survey_invitations', memberId)) + (await countOf(conn, 'survey_responses', memberId))

export const moveMemberRows = async (trx: Trx, fromId: string, toId: string): Promise<void> => {
  await trx.updateTable('suggestions').set({ member_id: toId }).where('member_id', '=', fromId).execute()
  await trx.updateTable('survey_invitations').set({ member_id: toId }).where('member_id', '=', fromId).execute()
  await trx.updateTable('survey_responses').set({ member_id: toId }).where('member_id', '=', fromId).execute()
  await trx.updateTable('survey_answers').set({ member_id: toId }).where('member_id', '=', fromId).execute()
}

export const memberRows = async (conn: Conn, memberId: string) => {
  const [suggestions, invitations, responses] = await Promise.all([
    conn.selectFrom('suggestions').select(['id', 'number', 'store_id', 'category', 'channel', 'text', 'status', 'reply', 'change_note', 'created_at', 'updated_at'])
      .where('member_id', '=', memberId).orderBy('id').execute(),
    conn.selectFrom('survey_invitations').select(['id', 'survey_id', 'store_id', 'source', 'source_ref', 'send_status', 'created_at', 'responded_at'])
      .where('member_id', '=', memberId).orderBy('id').execute(),
    conn.selectFrom('survey_responses').select(['id', 'survey_id', 'store_id', 'language', 'answers', 'submitted_at'])
      .where('member_id', '=', memberId).orderBy('id').execute(),
  ])
  return { suggestions, survey_invitations: invitations, survey_responses: responses }
}

/**
 * Unlinks the member: suggestions and answers stay for the chain's counts without naming anyone;
 * invitations (a token that would link an answer to the person) are deleted unless answered.
 */
export const unlinkMemberRows = async (trx: Trx, memberId: string): Promise<void> => {
  await trx.updateTable('suggestions').set({ member_id: null, contact_name_enc: null, contact_phone_enc: null, contact_masked: null }).where('member_id', '=', memberId).execute()
  await trx.updateTable('survey_answers').set({ member_id: null }).where('member_id', '=', memberId).execute()
  // An answer given on the member's page is keyed by the member (answered once): the key names them too.
  await trx.updateTable('survey_responses').set({ member_id: null, response_key: null }).where('member_id', '=', memberId).where('response_key', '=', `member:${memberId}`).execute()
  await trx.updateTable('survey_responses').set({ member_id: null }).where('member_id', '=', memberId).execute()
  await trx.deleteFrom('survey_invitations').where('member_id', '=', memberId).where('responded_at', 'is', null).execute()
  await trx.updateTable('survey_invitations').set({ member_id: null }).where('member_id', '=', memberId).execute()
}
