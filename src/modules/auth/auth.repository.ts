import type { Db, Trx } from '../../db/database.js'
import type { Role } from '../../shared/permissions.js'
import { scopeToStore, type Scope } from '../../shared/scope.js'
import type { LoginThrottleTable, PosApiKeysTable, SessionsTable, StaffUsersTable } from './auth.table.js'

type Conn = Db | Trx

// ---- staff users ------------------------------------------------------------------------------

export const findUserById = (conn: Conn, id: string) => conn.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst()

export const findUserByUsername = (conn: Conn, username: string) =>
  conn.selectFrom('staff_users').selectAll().where('username', '=', username).executeTakeFirst()

export const findUsersByIds = (conn: Conn, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : conn.selectFrom('staff_users').selectAll().where('id', 'in', ids).execute()

/** Staff users of a scope (their store's; HQ users are in no store's), by username. */
export const findUsers = (conn: Conn, filter: { scope: Scope; role?: Role; regionId?: string }) => {
  let q = scopeToStore(conn.selectFrom('staff_users').selectAll(), filter.scope, 'store_id')
  if (filter.role) q = q.where('role', '=', filter.role)
  if (filter.regionId) q = q.where('region_id', '=', filter.regionId)
  return q.orderBy('username').execute()
}

export const insertUser = async (conn: Conn, row: StaffUsersTable): Promise<void> => {
  await conn.insertInto('staff_users').values(row).execute()
}

export const updateUser = async (conn: Conn, id: string, patch: Partial<StaffUsersTable>): Promise<void> => {
  await conn.updateTable('staff_users').set(patch).where('id', '=', id).execute()
}

// ---- sessions ---------------------------------------------------------------------------------

export const insertSession = async (conn: Conn, row: SessionsTable): Promise<void> => {
  await conn.insertInto('sessions').values(row).execute()
}

/** A session with the user it belongs to: one read per request. */
export const findSessionWithUser = (conn: Conn, id: string) =>
  conn.selectFrom('sessions').innerJoin('staff_users', 'staff_users.id', 'sessions.user_id')
    .select(['sessions.created_at', 'sessions.expires_at', 'sessions.last_seen_at', 'staff_users.id as user_id', 'staff_users.username', 'staff_users.role', 'staff_users.store_id', 'staff_users.region_id', 'staff_users.status', 'staff_users.totp_enabled_at'])
    .where('sessions.id', '=', id).executeTakeFirst()

export const touchSession = async (conn: Conn, id: string, lastSeenAt: string, expiresAt: string): Promise<void> => {
  await conn.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute()
}

export const deleteSession = async (conn: Conn, id: string): Promise<void> => {
  await conn.deleteFrom('sessions').where('id', '=', id).execute()
}

/** Ends a user's sessions, all or all but `exceptId`. */
export const deleteSessionsOfUser = async (conn: Conn, userId: string, exceptId?: string): Promise<void> => {
  let q = conn.deleteFrom('sessions').where('user_id', '=', userId)
  if (exceptId) q = q.where('id', '!=', exceptId)
  await q.execute()
}

// ---- login throttle ---------------------------------------------------------------------------

export const findThrottle = (conn: Conn, key: string) => conn.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst()

type ThrottleValues = Omit<LoginThrottleTable, 'key'>

/** Sets a key's state only if it is still `before` (compare-and-set); whether it did. */
export const updateThrottleIf = async (conn: Conn, key: string, before: ThrottleValues, values: ThrottleValues): Promise<boolean> => {
  let q = conn.updateTable('login_throttle').set(values).where('key', '=', key)
    .where('failures', '=', before.failures).where('window_started_at', '=', before.window_started_at)
  q = before.locked_until === null ? q.where('locked_until', 'is', null) : q.where('locked_until', '=', before.locked_until)
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1
}

/** Creates a key's state unless another attempt created it first; whether it did. */
export const insertThrottleIfAbsent = async (conn: Conn, key: string, values: ThrottleValues): Promise<boolean> => {
  const result = await conn.insertInto('login_throttle').values({ key, ...values }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
}

/**
 * Deletes failures whose window began by `windowStart` and whose lock is over at `now`, and
 * known addresses last signed in from by `knownSince`; how many rows went.
 */
export const pruneThrottle = async (conn: Conn, windowStart: string, knownSince: string, now: string): Promise<number> => {
  const result = await conn.deleteFrom('login_throttle').where((eb) => eb.or([
    eb.and([eb('key', 'not like', 'known:%'), eb('window_started_at', '<=', windowStart), eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)])]),
    eb.and([eb('key', 'like', 'known:%'), eb('window_started_at', '<=', knownSince)]),
  ])).executeTakeFirst()
  return Number(result.numDeletedRows)
}

export const deleteThrottle = async (conn: Conn, key: string): Promise<void> => {
  await conn.deleteFrom('login_throttle').where('key', '=', key).execute()
}

/** Deletes the key `key` and every key like `pattern`. */
export const deleteThrottleLike = async (conn: Conn, key: string, pattern: string): Promise<void> => {
  await conn.deleteFrom('login_throttle').where((eb) => eb.or([eb('key', '=', key), eb('key', 'like', pattern)])).execute()
}

// ---- POS API keys -----------------------------------------------------------------------------

export const insertPosKey = async (conn: Conn, row: PosApiKeysTable): Promise<void> => {
  await conn.insertInto('pos_api_keys').values(row).execute()
}

export const findPosKeyById = (conn: Conn, id: string) => conn.selectFrom('pos_api_keys').selectAll().where('id', '=', id).executeTakeFirst()

export const findPosKeyByHash = (conn: Conn, hash: string) =>
  conn.selectFrom('pos_api_keys').select(['id', 'name', 'store_id', 'revoked_at', 'last_used_at']).where('key_hash', '=', hash).executeTakeFirst()

export const findPosKeysByIds = (conn: Conn, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : conn.selectFrom('pos_api_keys').select(['id', 'name']).where('id', 'in', ids).execute()

export const findPosKeys = (conn: Conn, storeId?: string) => {
  let q = conn.selectFrom('pos_api_keys').selectAll()
  if (storeId) q = q.where('store_id', '=', storeId)
  return q.orderBy('created_at', 'desc').execute()
}

export const revokePosKey = async (conn: Conn, id: string, at: string): Promise<void> => {
  await conn.updateTable('pos_api_keys').set({ revoked_at: at }).where('id', '=', id).execute()
}

export const touchPosKey = async (conn: Conn, id: string, at: string): Promise<void> => {
  await conn.updateTable('pos_api_keys').set({ last_used_at: at }).where('id', '=', id).execute()
}

// ---- two-factor and the sign-in policy -------------------------------------------------------

/** Accepts a code's time step once: false when this step (or a later one) was already used. */
export const acceptTotpStep = async (conn: Conn, userId: string, step: number): Promise<boolean> => {
  const r = await conn.updateTable('staff_users').set({ totp_last_step: step }).where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

const SECURITY_KEY = 'security.settings'

export const readSecuritySettingsText = async (conn: Conn): Promise<string | null> =>
  (await conn.selectFrom('meta').select('value').where('key', '=', SECURITY_KEY).executeTakeFirst())?.value ?? null

export const writeSecuritySettingsText = (conn: Conn, value: string) =>
  conn.insertInto('meta').values({ key: SECURITY_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
