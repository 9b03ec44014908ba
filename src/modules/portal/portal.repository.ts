import type { Db, Trx } from '../../db/database.js'
import type { MemberLoginCodesTable, MemberSessionsTable } from './portal.table.js'

type Conn = Db | Trx

// ---- sign-in codes ------------------------------------------------------------------------------

export const insertCode = async (conn: Conn, row: MemberLoginCodesTable): Promise<void> => {
  await conn.insertInto('member_login_codes').values(row).execute()
}

/** Codes sent to a number since `since`, newest first (the per-number limits). */
export const codesOfPhoneSince = (conn: Conn, phoneIndex: string, since: string) =>
  conn.selectFrom('member_login_codes').select(['id', 'created_at']).where('phone_index', '=', phoneIndex).where('created_at', '>=', since)
    .orderBy('created_at', 'desc').execute()

/** How many codes an address asked for since `since`. */
export const countCodesOfIpSince = async (conn: Conn, ip: string, since: string): Promise<number> =>
  Number((await conn.selectFrom('member_login_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('ip', '=', ip).where('created_at', '>=', since).executeTakeFirstOrThrow()).n)

/** The newest code of a number still open at `at` (not used, not expired). */
export const openCodeOf = (conn: Conn, phoneIndex: string, at: string) =>
  conn.selectFrom('member_login_codes').selectAll().where('phone_index', '=', phoneIndex).where('used_at', 'is', null).where('expires_at', '>', at)
    .orderBy('created_at', 'desc').limit(1).executeTakeFirst()

/** Counts a wrong try, unless another request counted past the limit first; true if counted. */
export const countWrongTry = async (conn: Conn, id: string, seen: number, limit: number): Promise<boolean> => {
  const r = await conn.updateTable('member_login_codes').set({ attempts: seen + 1 }).where('id', '=', id).where('attempts', '=', seen).where('attempts', '<', limit).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Takes the code (once: of two requests with it, one gets it). */
export const useCode = async (conn: Conn, id: string, at: string): Promise<boolean> => {
  const r = await conn.updateTable('member_login_codes').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export const pruneCodes = async (conn: Conn, before: string): Promise<number> =>
  Number((await conn.deleteFrom('member_login_codes').where('created_at', '<', before).executeTakeFirst()).numDeletedRows)

// ---- sessions -----------------------------------------------------------------------------------

export const insertSession = async (conn: Conn, row: MemberSessionsTable): Promise<void> => {
  await conn.insertInto('member_sessions').values(row).execute()
}

export const findSession = (conn: Conn, id: string) => conn.selectFrom('member_sessions').selectAll().where('id', '=', id).executeTakeFirst()

export const touchSession = async (conn: Conn, id: string, at: string, expiresAt: string): Promise<void> => {
  await conn.updateTable('member_sessions').set({ last_seen_at: at, expires_at: expiresAt }).where('id', '=', id).execute()
}

export const deleteSession = async (conn: Conn, id: string): Promise<void> => {
  await conn.deleteFrom('member_sessions').where('id', '=', id).execute()
}

export const deleteSessionsOf = async (conn: Conn, memberIds: readonly string[]): Promise<number> =>
  memberIds.length === 0 ? 0 : Number((await conn.deleteFrom('member_sessions').where('member_id', 'in', memberIds).executeTakeFirst()).numDeletedRows)

export const pruneSessions = async (conn: Conn, before: string): Promise<number> =>
  Number((await conn.deleteFrom('member_sessions').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows)

// ---- the member-data contract -------------------------------------------------------------------

export const countSessionsOf = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('member_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n)

export const sessionRowsOf = (conn: Conn, memberId: string) =>
  conn.selectFrom('member_sessions').select(['created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent']).where('member_id', '=', memberId).orderBy('created_at').execute()
