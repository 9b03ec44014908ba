import { createHash, randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { Db, Trx } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import { CHAIN, scopeWithFilter, isChainWide, storeScope } from '../../shared/scope.js'
import type { Clock } from '../../shared/clock.js'
import type { EventBus } from '../../shared/events.js'
import { conflict, forbidden, notFound, tooManyRequests, unauthorized, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import type { AuditService } from '../audit/index.js'
import { findStoreById, regionsByIds, storeIdsOfRegion } from '../org/index.js'
import * as repo from './auth.repository.js'
import type { PosApiKeysTable, StaffUsersTable } from './auth.table.js'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import { readSecuritySettings, securitySettingsProblems, sessionEndsAt, type SecuritySettings } from './security-settings.js'
import { TOTP_FIELD, matchTotp, newTotpSecret, totpUri } from './two-factor.js'
import type { Keyring } from '../../shared/pii.js'
import { assertMayManageUser, storeForNewUser } from './staff-scope.js'
import { ROLES, isRegionRole, isStoreRole, type Role } from '../../shared/permissions.js'
import { ADDRESS_LIMITS, KNOWN_MS, PAIR_LIMITS, USER_LIMITS, WINDOW_MS, afterFailure, delayFor, isKnown, lockedFor, type ThrottleLimits, type ThrottleState } from './throttle.js'

export interface StaffUser {
  id: string
  username: string
  displayName: string
  role: Role
  storeId: string | null
  /** a region manager's region (null for every other role) */
  regionId: string | null
  status: 'active' | 'disabled'
  /** signs in with a code from an authenticator app too */
  twoFactor: boolean
  createdAt: string
  updatedAt: string
}

export interface PosKey {
  id: string
  storeId: string
  name: string
  keyPrefix: string
  createdAt: string
  revokedAt: string | null
  lastUsedAt: string | null
}

export interface CreateUserInput {
  username: string
  displayName?: string
  password: string
  role: Role
  storeId?: string | null
  regionId?: string | null
}

const TOUCH_EVERY_MS = 60 * 1000
const POLICY_CACHE_MS = 5_000

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url')

// Hashed: people type passwords and phone numbers into the username box, and the throttle
// table must not keep them.
const userThrottleKey = (username: string) => `user:${sha256(username)}`
// The user and address pair: its failures, and (known:) when the user last signed in from there.
const pairThrottleKey = (username: string, ip: string) => `pair:${sha256(username)}@${ip}`
const knownAddressKey = (username: string, ip: string) => `known:${sha256(username)}@${ip}`

export const toStaffUser = (u: StaffUsersTable): StaffUser => ({
  id: u.id, username: u.username, displayName: u.display_name, role: u.role, storeId: u.store_id, regionId: u.region_id ?? null, status: u.status,
  twoFactor: !!u.totp_enabled_at, createdAt: u.created_at, updatedAt: u.updated_at,
})

const toPosKey = (k: PosApiKeysTable): PosKey => ({
  id: k.id, storeId: k.store_id, name: k.name, keyPrefix: k.key_prefix, createdAt: k.created_at, revokedAt: k.revoked_at, lastUsedAt: k.last_used_at,
})

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/

// Reads for other modules (they never query `staff_users` or `pos_api_keys` themselves).

/** A staff user by username (as typed: trimmed, any case), or undefined. */
export const staffUserByUsername = async (conn: Db | Trx, username: string): Promise<StaffUser | undefined> => {
  const row = await repo.findUserByUsername(conn, username.trim().toLowerCase())
  return row ? toStaffUser(row) : undefined
}

/** Every staff user's id by username. */
export const staffUserIdsByUsername = async (conn: Db | Trx): Promise<Map<string, string>> =>
  new Map((await repo.findUsers(conn, { scope: CHAIN })).map((u) => [u.username, u.id]))

/** A store's active staff (its manager, cashiers, desk), by username: the clerks of its registration posters. */
export const activeStaffOfStore = async (conn: Db | Trx, storeId: string): Promise<StaffUser[]> =>
  (await repo.findUsers(conn, { scope: storeScope(storeId) })).filter((u) => u.store_id === storeId && u.status === 'active').map(toStaffUser)

/** The staff users of these ids that exist. */
export const staffUsersByIds = async (conn: Db | Trx, ids: readonly string[]): Promise<StaffUser[]> =>
  (await repo.findUsersByIds(conn, [...new Set(ids)])).map(toStaffUser)

export interface AuthDeps {
  db: Db
  audit: AuditService
  clock: Clock
  /** encrypts the two-factor secrets (absent: two-factor sign-in cannot be turned on) */
  keyring?: Pick<Keyring, 'encrypt' | 'decrypt'>
  /** Injected so tests observe the slowing without waiting for it. */
  sleep?: (ms: number) => Promise<void>
  events?: EventBus
}

/** How long a till's key is trusted without asking the database again (another process's revocation shows within it). */
const POS_KEY_CACHE_MS = 5_000

export const createAuthService = ({ db, audit, clock, keyring, sleep = (ms) => new Promise((r) => setTimeout(r, ms)), events }: AuthDeps) => {
  const now = () => clock.now().toISOString()

  // The chain's sign-in policy, read at most every 5 seconds per process (a change made through
  // another process applies within them).
  let policy: { settings: SecuritySettings; readAt: number } | null = null
  const securitySettings = async (): Promise<SecuritySettings> => {
    const at = Date.now()
    if (!policy || at - policy.readAt > POLICY_CACHE_MS) policy = { settings: readSecuritySettings(await repo.readSecuritySettingsText(db)), readAt: at }
    return policy.settings
  }
  const mustUseTwoFactor = (settings: SecuritySettings, role: Role) => settings.requireTwoFactorForHqAdmins && role === 'hq_admin'
  // Tills send their key with every request: the keys in use are kept a few seconds, by hash.
  // Revoking a key here or closing or moving a store drops them at once.
  const posKeys = new LRUCache<string, { id: string; name: string; storeId: string; lastUsedAt: string | null }>({ max: 10_000, ttl: POS_KEY_CACHE_MS })
  // A region manager's scope is the region's stores now: read per region, kept as briefly as the
  // keys, and dropped at once when a store is opened, closed or moved here.
  const regionStores = new LRUCache<string, readonly string[]>({ max: 1_000, ttl: POS_KEY_CACHE_MS })
  const storesOfRegion = async (regionId: string): Promise<readonly string[]> => {
    const cached = regionStores.get(regionId)
    if (cached) return cached
    const ids = await storeIdsOfRegion(db, regionId)
    regionStores.set(regionId, ids)
    return ids
  }
  events?.on('store.changed', () => { posKeys.clear(); regionStores.clear() })

  /** A role's place: a store role's store, a region role's region, an HQ role neither. */
  const checkRoleStore = async (conn: Db | Trx, role: Role, storeId: string | null | undefined, errors: ErrorDetail[], regionId: string | null = null) => {
    if (!ROLES.includes(role)) errors.push({ field: 'role', reason: `must be one of ${ROLES.join(', ')}` })
    else if (isStoreRole(role) && !storeId) errors.push({ field: 'storeId', reason: `a ${role} belongs to a store` })
    else if (isRegionRole(role) && storeId) errors.push({ field: 'storeId', reason: `a ${role} belongs to a region, not a store` })
    else if (!isStoreRole(role) && !isRegionRole(role) && storeId) errors.push({ field: 'storeId', reason: `${role} is an HQ role and has no store` })
    if (ROLES.includes(role) && isRegionRole(role) && !regionId) errors.push({ field: 'regionId', reason: `a ${role} belongs to a region` })
    else if (ROLES.includes(role) && !isRegionRole(role) && regionId) errors.push({ field: 'regionId', reason: `only a region manager belongs to a region, not a ${role}` })
    if (storeId && !(await findStoreById(conn, storeId))) errors.push({ field: 'storeId', reason: 'no such store' })
    if (regionId && (await regionsByIds(conn, [regionId])).length === 0) {
      // A store's id where a region's is asked for (another level of the chain) says so.
      errors.push({ field: 'regionId', reason: (await findStoreById(conn, regionId)) ? 'is a store, not a region' : 'no such region' })
    }
  }

  // ---- throttling -------------------------------------------------------------------------

  const readThrottle = async (key: string): Promise<ThrottleState | undefined> => {
    const row = await repo.findThrottle(db, key)
    return row ? { failures: row.failures, windowStartedAt: row.window_started_at, lockedUntil: row.locked_until } : undefined
  }

  /**
   * Changes a key's state by compare-and-set, retried until no concurrent attempt got in
   * between; `change` returns null to leave it as it is. Returns the state it started from.
   */
  const changeThrottle = async (key: string, change: (state: ThrottleState | undefined) => ThrottleState | null) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const before = await readThrottle(key)
      const next = change(before)
      if (!next) return before
      const values = { failures: next.failures, window_started_at: next.windowStartedAt, locked_until: next.lockedUntil }
      const changed = before
        ? await repo.updateThrottleIf(db, key, { failures: before.failures, window_started_at: before.windowStartedAt, locked_until: before.lockedUntil }, values)
        : await repo.insertThrottleIfAbsent(db, key, values)
      if (changed) return before
    }
    throw new Error(`login throttle ${key} kept changing under concurrent attempts`)
  }

  /** Counts a failure unless the key is locked already; the state it found. */
  const countFailure = (key: string, limits: ThrottleLimits, now: Date) =>
    changeThrottle(key, (s) => (lockedFor(s, now) > 0 ? null : afterFailure(s, limits, now)))

  /**
   * Forgets what the throttle no longer uses: failures whose window and lock are over, and
   * addresses not signed in from for KNOWN_MS. Returns how many rows went.
   */
  const pruneThrottle = async (): Promise<number> => {
    const at = clock.now()
    const windowStart = new Date(at.getTime() - WINDOW_MS).toISOString()
    const knownSince = new Date(at.getTime() - KNOWN_MS).toISOString()
    return repo.pruneThrottle(db, windowStart, knownSince, at.toISOString())
  }

  const throttled = (seconds: number) => tooManyRequests('LOGIN_THROTTLED', seconds, 'too many failed logins; try again later')

  // ---- login and sessions ---------------------------------------------------------------------

  const login = async (input: { username: string; password: string; code?: string; ip: string | null; userAgent?: string | null }) => {
    const username = input.username.trim().toLowerCase()
    const ip = input.ip ?? 'unknown'
    const keys = { pair: pairThrottleKey(username, ip), user: userThrottleKey(username), address: `ip:${ip}`, known: knownAddressKey(username, ip) }
    const started = clock.now()
    const [pairState, userState, addressState, knownState] = await Promise.all([readThrottle(keys.pair), readThrottle(keys.user), readThrottle(keys.address), readThrottle(keys.known)])
    // Failures spread over many addresses or usernames lock out only strangers: an address the
    // user signed in from lately is held to its own failures alone.
    const known = isKnown(knownState?.windowStartedAt, started)
    const lockedSeconds = (pair?: ThrottleState, user?: ThrottleState, address?: ThrottleState, at = started) =>
      Math.max(lockedFor(pair, at), known ? 0 : Math.max(lockedFor(user, at), lockedFor(address, at)))
    const locked = lockedSeconds(pairState, userState, addressState)
    if (locked > 0) throw throttled(locked)
    const delay = Math.max(delayFor(pairState, PAIR_LIMITS, started), known ? 0 : Math.max(delayFor(userState, USER_LIMITS, started), delayFor(addressState, ADDRESS_LIMITS, started)))
    if (delay > 0) await sleep(delay)

    const user = await repo.findUserByUsername(db, username)
    // Hash even for an unknown user, so timing does not tell which usernames exist.
    const ok = user ? await verifyPassword(input.password, user.password_hash) : (await hashPassword(input.password), false)
    const system: Actor = { kind: 'system', name: 'login' }
    // With two-factor sign-in on, the right password alone asks for the code; a wrong or reused
    // code counts as a failed sign-in like a wrong password.
    let twoFactor: 'missing' | 'wrong' | { step: number } | null = null
    if (user && ok && user.status === 'active' && user.totp_enabled_at && user.totp_secret_enc) {
      if (!input.code?.trim()) twoFactor = 'missing'
      else {
        const step = await matchTotp(decryptSecret(user.totp_secret_enc), input.code, clock.now(), user.totp_last_step ?? null)
        twoFactor = step === null ? 'wrong' : { step }
      }
    }
    if (!user || !ok || user.status !== 'active' || twoFactor === 'wrong') {
      // Counted only now, once the password is known wrong; of a burst of parallel guesses the
      // ones counted after the lock began are refused as throttled, like the next guess would be.
      // A guess refused that way counts nowhere else.
      const failedAt = clock.now()
      const pairBefore = await countFailure(keys.pair, PAIR_LIMITS, failedAt)
      const pairLocked = lockedFor(pairBefore, failedAt)
      const [userBefore, addressBefore] = pairLocked > 0
        ? [undefined, undefined]
        : await Promise.all([countFailure(keys.user, USER_LIMITS, failedAt), countFailure(keys.address, ADDRESS_LIMITS, failedAt)])
      // The name typed is kept only when it is a user's: people type phones and passwords into that box.
      const reason = !user || !ok ? 'bad credentials' : user.status !== 'active' ? 'disabled' : 'wrong code'
      await audit.record(db, { ...system, name: user ? user.username : '[unknown username]' }, { action: 'auth.login_failed', entityType: 'staff_user', entityId: user?.id ?? null, changes: { ip: input.ip, reason } })
      const lockedBefore = Math.max(pairLocked, lockedSeconds(undefined, userBefore, addressBefore, failedAt))
      if (lockedBefore > 0) throw throttled(lockedBefore)
      if (reason === 'wrong code') throw unauthorized('AUTH_TWO_FACTOR_INVALID', [{ field: 'code', reason: 'is wrong, expired or already used' }], 'the code is wrong, expired or already used')
      throw unauthorized('AUTH_INVALID_CREDENTIALS', [], 'wrong username or password')
    }
    // A right password that arrives after guesses locked this pair is refused like the guesses.
    const verifiedAt = clock.now()
    const lockedNow = lockedSeconds(await readThrottle(keys.pair), await readThrottle(keys.user), await readThrottle(keys.address), verifiedAt)
    if (lockedNow > 0) throw throttled(lockedNow)
    if (twoFactor === 'missing') throw unauthorized('AUTH_TWO_FACTOR_REQUIRED', [{ field: 'code', reason: 'enter the 6-digit code from your authenticator app' }], 'this account signs in with a code from an authenticator app')
    // The code's step is taken once: of two sign-ins racing with one code, one gets in.
    if (twoFactor && typeof twoFactor === 'object' && !(await repo.acceptTotpStep(db, user.id, twoFactor.step))) {
      throw unauthorized('AUTH_TWO_FACTOR_INVALID', [{ field: 'code', reason: 'is wrong, expired or already used' }], 'the code is wrong, expired or already used')
    }
    await repo.deleteThrottle(db, keys.pair)
    await changeThrottle(keys.known, () => ({ failures: 0, windowStartedAt: verifiedAt.toISOString(), lockedUntil: null }))
    const token = randomBytes(32).toString('base64url')
    const at = clock.now()
    const settings = await securitySettings()
    const expiresAt = sessionEndsAt(settings, at, at).toISOString()
    await db.transaction().execute(async (trx) => {
      await repo.insertSession(trx, {
        id: sha256(token), user_id: user.id, created_at: at.toISOString(), expires_at: expiresAt,
        last_seen_at: at.toISOString(), ip: input.ip, user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      await audit.record(trx, { kind: 'staff', userId: user.id, username: user.username, role: user.role, storeId: user.store_id, ip: input.ip }, { action: 'auth.login', entityType: 'staff_user', entityId: user.id, changes: twoFactor ? { twoFactor: true } : null })
    })
    const twoFactorSetupRequired = mustUseTwoFactor(settings, user.role) && !user.totp_enabled_at
    return { token, user: toStaffUser(user), expiresAt, twoFactorSetupRequired }
  }

  /** The staff actor behind a session cookie, or null when it is unknown, expired or its user disabled. */
  const authenticateSession = async (token: string, ip: string | null): Promise<Actor | null> => {
    const id = sha256(token)
    const row = await repo.findSessionWithUser(db, id)
    const at = clock.now()
    if (!row || row.status !== 'active') return null
    // The policy of now applies to sessions already open: a shorter limit ends them at once.
    const settings = await securitySettings()
    const createdAt = new Date(row.created_at)
    // (expires_at, written at sign-in and each touch, is for reading; the policy of now decides, either way.)
    if (sessionEndsAt(settings, createdAt, new Date(row.last_seen_at)).getTime() <= at.getTime()) return null
    if (at.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
      await repo.touchSession(db, id, at.toISOString(), sessionEndsAt(settings, createdAt, at).toISOString())
    }
    const actor: Actor = isRegionRole(row.role)
      ? { kind: 'staff', userId: row.user_id, username: row.username, role: row.role, storeId: null, regionId: row.region_id ?? null, regionStoreIds: row.region_id ? await storesOfRegion(row.region_id) : [], ip }
      : { kind: 'staff', userId: row.user_id, username: row.username, role: row.role, storeId: row.store_id, ip }
    // An HQ administrator the chain requires to use two-factor sign-in, who has not set it up yet,
    // may only set it up (and read who they are, change their password, sign out).
    if (mustUseTwoFactor(settings, row.role) && !row.totp_enabled_at) return { ...actor, twoFactorSetupRequired: true }
    return actor
  }

  const logout = async (token: string, actor: Actor) => {
    await db.transaction().execute(async (trx) => {
      await repo.deleteSession(trx, sha256(token))
      await audit.record(trx, actor, { action: 'auth.logout', entityType: 'staff_user', entityId: actor.kind === 'staff' ? actor.userId : null })
    })
  }

  const me = async (actor: Actor): Promise<StaffUser> => {
    if (actor.kind !== 'staff') throw unauthorized('AUTH_REQUIRED', [], 'sign in as a staff user')
    const user = await repo.findUserById(db, actor.userId)
    if (!user) throw new Error(`no staff user ${actor.userId}`)
    return toStaffUser(user)
  }

  const changePassword = async (actor: Actor, input: { currentPassword: string; newPassword: string }, keepSessionToken?: string) => {
    if (actor.kind !== 'staff') throw unauthorized('AUTH_REQUIRED', [], 'sign in as a staff user')
    const user = await repo.findUserById(db, actor.userId)
    if (!user) throw new Error(`no staff user ${actor.userId}`)
    if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
      throw unprocessable('AUTH_WRONG_PASSWORD', [{ field: 'currentPassword', reason: 'is wrong' }])
    }
    const problem = passwordProblem(input.newPassword, user.username)
    if (problem) throw unprocessable('VALIDATION', [{ field: 'newPassword', reason: problem }])
    const hash = await hashPassword(input.newPassword)
    await db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, user.id, { password_hash: hash, password_changed_at: now(), updated_at: now() })
      // Other sessions end: a changed password should lock out whoever else had it.
      await repo.deleteSessionsOfUser(trx, user.id, keepSessionToken ? sha256(keepSessionToken) : undefined)
      await audit.record(trx, actor, { action: 'auth.password_change', entityType: 'staff_user', entityId: user.id })
    })
  }

  // ---- staff users --------------------------------------------------------------------------

  const createUser = async (actor: Actor, input: CreateUserInput): Promise<StaffUser> => {
    assertCan(actor, 'staff.manage')
    const username = input.username.trim().toLowerCase()
    // A form's empty store select means no store; '' would reach the foreign key as an id.
    const storeId = storeForNewUser(actor, input.role, input.storeId || null)
    // Only chain-wide actors make region managers (storeForNewUser refuses the role to the rest).
    const regionId = input.regionId || null
    const errors: ErrorDetail[] = []
    if (!USERNAME.test(username)) errors.push({ field: 'username', reason: '2–32 of a-z, 0-9, . _ -, starting with a letter or digit' })
    const problem = passwordProblem(input.password, username)
    if (problem) errors.push({ field: 'password', reason: problem })
    await checkRoleStore(db, input.role, storeId, errors, regionId)
    if (errors.length) throw unprocessable('VALIDATION', errors)
    const at = now()
    const row: StaffUsersTable = {
      id: newId('usr'), username, display_name: input.displayName?.trim() || username, password_hash: await hashPassword(input.password),
      role: input.role, store_id: storeId, region_id: regionId, status: 'active', password_changed_at: at, created_at: at, updated_at: at,
    }
    try {
      await db.transaction().execute(async (trx) => {
        await repo.insertUser(trx, row)
        await audit.record(trx, actor, { action: 'staff.create', entityType: 'staff_user', entityId: row.id, storeId: row.store_id, changes: { username, role: row.role, storeId: row.store_id, ...(regionId ? { regionId } : {}) } })
      })
    } catch (err) {
      if (isUniqueViolation(err, 'username')) throw conflict('STAFF_USERNAME_TAKEN', [{ field: 'username', reason: 'already taken' }])
      throw err
    }
    return toStaffUser(row)
  }

  /** Staff, by username: a store's or a region's staff to their managers (a store named outside the scope is refused). */
  const listUsers = async (actor: Actor, filter: { storeId?: string; role?: Role; regionId?: string } = {}): Promise<StaffUser[]> => {
    assertCan(actor, 'staff.read')
    return (await repo.findUsers(db, { scope: scopeWithFilter(actor, filter.storeId || undefined, 'storeId', 'you can see only your own stores\' staff'), role: filter.role, regionId: filter.regionId || undefined })).map(toStaffUser)
  }

  const loadUser = async (conn: Db | Trx, id: string) => {
    const user = await repo.findUserById(conn, id)
    if (!user) throw notFound('STAFF_NOT_FOUND', [], 'no such staff user')
    return user
  }

  const updateUser = async (actor: Actor, id: string, input: { displayName?: string; role?: Role; storeId?: string | null; regionId?: string | null; status?: 'active' | 'disabled' }): Promise<StaffUser> => {
    assertCan(actor, 'staff.manage')
    return db.transaction().execute(async (trx) => {
      const before = await loadUser(trx, id)
      const role = input.role ?? before.role
      const storeId = input.storeId !== undefined ? input.storeId || null : before.store_id
      const beforeRegion = before.region_id ?? null
      // A role that leaves the region level leaves its region unless a region is named.
      const regionId = input.regionId !== undefined ? input.regionId || null : isRegionRole(role) ? beforeRegion : null
      assertMayManageUser(actor, before, { role, storeId })
      // Regions are HQ's to hand out: only a chain-wide actor makes or moves a region manager.
      if ((isRegionRole(role) || isRegionRole(before.role)) && !isChainWide(actor)) {
        throw forbidden('STAFF_ROLE_NOT_MANAGEABLE', [{ field: 'role', reason: 'only HQ manages region managers' }])
      }
      const errors: ErrorDetail[] = []
      if (input.role !== undefined || input.storeId !== undefined || input.regionId !== undefined) await checkRoleStore(trx, role, storeId, errors, regionId)
      if (input.displayName !== undefined && !input.displayName.trim()) errors.push({ field: 'displayName', reason: 'must not be empty' })
      if (input.status === 'disabled' && actor.kind === 'staff' && actor.userId === id) errors.push({ field: 'status', reason: 'you cannot disable yourself' })
      if (errors.length) throw unprocessable('VALIDATION', errors)
      const patch: Partial<StaffUsersTable> = { updated_at: now(), role, store_id: storeId, region_id: regionId }
      if (input.displayName !== undefined) patch.display_name = input.displayName.trim()
      if (input.status !== undefined) patch.status = input.status
      await repo.updateUser(trx, id, patch)
      if (patch.status === 'disabled' || role !== before.role || storeId !== before.store_id || regionId !== beforeRegion) {
        await repo.deleteSessionsOfUser(trx, id)
      }
      const changes: Record<string, unknown> = {}
      for (const [k, from, to] of [['role', before.role, role], ['storeId', before.store_id, storeId], ['regionId', beforeRegion, regionId], ['displayName', before.display_name, patch.display_name ?? before.display_name], ['status', before.status, patch.status ?? before.status]] as const) {
        if (from !== to) changes[k] = { from, to }
      }
      await audit.record(trx, actor, { action: 'staff.update', entityType: 'staff_user', entityId: id, storeId, changes })
      return toStaffUser({ ...before, ...patch })
    })
  }

  const resetPassword = async (actor: Actor, id: string, password: string) => {
    assertCan(actor, 'staff.manage')
    const user = await loadUser(db, id)
    assertMayManageUser(actor, user)
    const problem = passwordProblem(password, user.username)
    if (problem) throw unprocessable('VALIDATION', [{ field: 'password', reason: problem }])
    const hash = await hashPassword(password)
    await db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, id, { password_hash: hash, password_changed_at: now(), updated_at: now() })
      await repo.deleteSessionsOfUser(trx, id)
      await repo.deleteThrottleLike(trx, userThrottleKey(user.username), pairThrottleKey(user.username, '%'))
      await audit.record(trx, actor, { action: 'staff.password_reset', entityType: 'staff_user', entityId: id, storeId: user.store_id })
    })
  }

  // ---- POS API keys -------------------------------------------------------------------------

  const createPosKey = async (actor: Actor, input: { storeId: string; name: string }): Promise<PosKey & { key: string }> => {
    assertCan(actor, 'pos_keys.manage')
    const errors: ErrorDetail[] = []
    const store = await findStoreById(db, input.storeId)
    if (!store) errors.push({ field: 'storeId', reason: 'no such store' })
    else if (store.status === 'closed') errors.push({ field: 'storeId', reason: 'the store is closed' })
    if (!input.name.trim()) errors.push({ field: 'name', reason: 'must not be empty' })
    if (errors.length) throw unprocessable('VALIDATION', errors)
    const key = `pos_${randomBytes(24).toString('base64url')}`
    const row: PosApiKeysTable = {
      id: newId('key'), store_id: input.storeId, name: input.name.trim(), key_hash: sha256(key), key_prefix: key.slice(0, 10),
      created_by: actor.kind === 'staff' ? actor.userId : null, created_at: now(), revoked_at: null, last_used_at: null,
    }
    await db.transaction().execute(async (trx) => {
      await repo.insertPosKey(trx, row)
      await audit.record(trx, actor, { action: 'pos_key.create', entityType: 'pos_api_key', entityId: row.id, storeId: row.store_id, changes: { name: row.name, keyPrefix: row.key_prefix } })
    })
    return { ...toPosKey(row), key }
  }

  const listPosKeys = async (actor: Actor, storeId?: string): Promise<PosKey[]> => {
    assertCan(actor, 'pos_keys.manage')
    return (await repo.findPosKeys(db, storeId)).map(toPosKey)
  }

  const revokePosKey = async (actor: Actor, id: string): Promise<PosKey> => {
    assertCan(actor, 'pos_keys.manage')
    const revoked = await db.transaction().execute(async (trx) => {
      const row = await repo.findPosKeyById(trx, id)
      if (!row) throw notFound('POS_KEY_NOT_FOUND', [], 'no such POS key')
      if (row.revoked_at) return toPosKey(row)
      const revokedAt = now()
      await repo.revokePosKey(trx, id, revokedAt)
      await audit.record(trx, actor, { action: 'pos_key.revoke', entityType: 'pos_api_key', entityId: id, storeId: row.store_id })
      return toPosKey({ ...row, revoked_at: revokedAt })
    })
    // Once committed, so no request in between can cache the key again as it was.
    for (const [hash, k] of posKeys.entries()) if (k.id === id) posKeys.delete(hash)
    return revoked
  }

  /** The till behind a bearer key, or null when unknown, revoked or its store closed. */
  const authenticatePosKey = async (key: string, ip: string | null): Promise<Actor | null> => {
    if (!key.startsWith('pos_')) return null
    const hash = sha256(key)
    let k = posKeys.get(hash)
    if (!k) {
      const row = await repo.findPosKeyByHash(db, hash)
      if (!row || row.revoked_at) return null
      // A key of a closed store no longer opens the till (read only when the key is not cached).
      if ((await findStoreById(db, row.store_id))?.status !== 'open') return null
      k = { id: row.id, name: row.name, storeId: row.store_id, lastUsedAt: row.last_used_at }
      posKeys.set(hash, k)
    }
    const at = clock.now()
    if (!k.lastUsedAt || at.getTime() - Date.parse(k.lastUsedAt) > TOUCH_EVERY_MS) {
      k.lastUsedAt = at.toISOString()
      await repo.touchPosKey(db, k.id, k.lastUsedAt)
    }
    return { kind: 'pos', keyId: k.id, name: k.name, storeId: k.storeId, ip }
  }

  // ---- two-factor sign-in (TOTP) and the chain's sign-in policy ---------------------------------

  const sealer = () => {
    if (!keyring) throw new Error('two-factor sign-in needs the data key')
    return keyring
  }
  const decryptSecret = (value: string) => sealer().decrypt(TOTP_FIELD, value)
  const staffOf = (actor: Actor) => {
    if (actor.kind !== 'staff') throw unauthorized('AUTH_REQUIRED', [], 'sign in as a staff user')
    return actor
  }

  /** Whether my account uses two-factor sign-in, and whether the chain requires it of me. */
  const twoFactorStatus = async (actor: Actor) => {
    const user = await loadUser(db, staffOf(actor).userId)
    return { enabled: !!user.totp_enabled_at, enabledAt: user.totp_enabled_at ?? null, required: mustUseTwoFactor(await securitySettings(), user.role) }
  }

  /** Starts setting up two-factor sign-in: a new secret, shown once as a QR, until a code from it confirms it. */
  const startTwoFactor = async (actor: Actor, input: { password: string }, issuer = 'Patron') => {
    const user = await loadUser(db, staffOf(actor).userId)
    if (!(await verifyPassword(input.password, user.password_hash))) throw unprocessable('AUTH_WRONG_PASSWORD', [{ field: 'password', reason: 'is wrong' }])
    if (user.totp_enabled_at) throw conflict('TWO_FACTOR_ALREADY_ON', [], 'two-factor sign-in is already on; turn it off first to move it to another phone')
    const secret = newTotpSecret()
    await repo.updateUser(db, user.id, { totp_pending_enc: sealer().encrypt(TOTP_FIELD, secret), updated_at: now() })
    return { secret, uri: totpUri(secret, user.username, issuer) }
  }

  /** Turns two-factor sign-in on with the first code from the secret being set up. */
  const confirmTwoFactor = async (actor: Actor, input: { code: string }) => {
    const me = staffOf(actor)
    const user = await loadUser(db, me.userId)
    if (user.totp_enabled_at) throw conflict('TWO_FACTOR_ALREADY_ON', [], 'two-factor sign-in is already on')
    if (!user.totp_pending_enc) throw conflict('TWO_FACTOR_NOT_STARTED', [], 'start the set-up first: scan a new QR')
    const secret = decryptSecret(user.totp_pending_enc)
    const step = await matchTotp(secret, input.code, clock.now(), null)
    if (step === null) throw unprocessable('AUTH_TWO_FACTOR_INVALID', [{ field: 'code', reason: 'is not the code the app shows now' }])
    const at = now()
    await db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, user.id, { totp_secret_enc: user.totp_pending_enc, totp_pending_enc: null, totp_enabled_at: at, totp_last_step: step, updated_at: at })
      await audit.record(trx, actor, { action: 'auth.two_factor_enable', entityType: 'staff_user', entityId: user.id })
    })
    return { enabled: true, enabledAt: at, required: mustUseTwoFactor(await securitySettings(), user.role) }
  }

  /** Turns my two-factor sign-in off: my password and a current code; not when the chain requires it of me. */
  const disableTwoFactor = async (actor: Actor, input: { password: string; code: string }) => {
    const user = await loadUser(db, staffOf(actor).userId)
    if (!user.totp_enabled_at || !user.totp_secret_enc) throw conflict('TWO_FACTOR_NOT_ON', [], 'two-factor sign-in is not on')
    if (mustUseTwoFactor(await securitySettings(), user.role)) throw conflict('TWO_FACTOR_REQUIRED_BY_CHAIN', [], 'the chain requires two-factor sign-in of HQ administrators')
    const errors: ErrorDetail[] = []
    if (!(await verifyPassword(input.password, user.password_hash))) errors.push({ field: 'password', reason: 'is wrong' })
    if ((await matchTotp(decryptSecret(user.totp_secret_enc), input.code, clock.now(), user.totp_last_step ?? null)) === null) errors.push({ field: 'code', reason: 'is wrong, expired or already used' })
    if (errors.length) throw unprocessable('VALIDATION', errors)
    await db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, user.id, { totp_secret_enc: null, totp_pending_enc: null, totp_enabled_at: null, totp_last_step: null, updated_at: now() })
      await audit.record(trx, actor, { action: 'auth.two_factor_disable', entityType: 'staff_user', entityId: user.id })
    })
    return { enabled: false, enabledAt: null, required: false }
  }

  /** A user who lost their phone: an administrator clears their two-factor sign-in and ends their sessions; they set it up again at their next sign-in. */
  const resetTwoFactor = async (actor: Actor, userId: string) => {
    assertCan(actor, 'staff.manage')
    const user = await loadUser(db, userId)
    assertMayManageUser(actor, user)
    if (!user.totp_enabled_at && !user.totp_pending_enc) throw conflict('TWO_FACTOR_NOT_ON', [], 'two-factor sign-in is not on for this user')
    await db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, user.id, { totp_secret_enc: null, totp_pending_enc: null, totp_enabled_at: null, totp_last_step: null, updated_at: now() })
      await repo.deleteSessionsOfUser(trx, user.id)
      await audit.record(trx, actor, { action: 'staff.two_factor_reset', entityType: 'staff_user', entityId: user.id, storeId: user.store_id })
    })
    return toStaffUser({ ...user, totp_enabled_at: null, updated_at: now() })
  }

  const getSecuritySettings = async (actor: Actor): Promise<SecuritySettings> => {
    assertCan(actor, 'chain.manage')
    return readSecuritySettings(await repo.readSecuritySettingsText(db))
  }

  const updateSecuritySettings = async (actor: Actor, input: Partial<SecuritySettings>): Promise<SecuritySettings> => {
    assertCan(actor, 'chain.manage')
    const before = readSecuritySettings(await repo.readSecuritySettingsText(db))
    const next: SecuritySettings = { ...before, ...input }
    const errors = securitySettingsProblems(next)
    if (errors.length) throw unprocessable('VALIDATION', errors)
    // Requiring it of HQ administrators is refused to one who would lock themselves into set-up.
    if (next.requireTwoFactorForHqAdmins && !before.requireTwoFactorForHqAdmins && actor.kind === 'staff' && actor.role === 'hq_admin') {
      const me = await loadUser(db, actor.userId)
      if (!me.totp_enabled_at) throw conflict('TWO_FACTOR_SET_UP_FIRST', [{ field: 'requireTwoFactorForHqAdmins', reason: 'turn on two-factor sign-in for your own account first' }])
    }
    await db.transaction().execute(async (trx) => {
      await repo.writeSecuritySettingsText(trx, JSON.stringify(next))
      const changes = Object.fromEntries((Object.keys(next) as Array<keyof SecuritySettings>).filter((k) => next[k] !== before[k]).map((k) => [k, { from: before[k], to: next[k] }]))
      await audit.record(trx, actor, { action: 'security.settings.update', entityType: 'security_settings', changes })
    })
    policy = null
    return next
  }

  return {
    login, logout, me, changePassword, authenticateSession, authenticatePosKey, pruneThrottle,
    createUser, listUsers, updateUser, resetPassword, createPosKey, listPosKeys, revokePosKey,
    twoFactorStatus, startTwoFactor, confirmTwoFactor, disableTwoFactor, resetTwoFactor, securitySettings: getSecuritySettings, updateSecuritySettings,
  }
}

export type AuthService = ReturnType<typeof createAuthService>
