import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/database.js'
import type { Clock } from '../../shared/clock.js'
import { notFound, tooManyRequests, unauthorized, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { maskPhone, type Keyring } from '../../shared/pii.js'
import type { Actor } from '../../shared/actor.js'
import { membersByPhone, memberState, normalizePhone, type ConsentChannel, type Gender, type MembersService } from '../members/index.js'
import { activeStaffOfStore, staffUserByUsername } from '../auth/index.js'
import { findStoreById, storeByCode } from '../org/index.js'
import { assertInScope } from '../../shared/scope.js'
import {
  CODE_RESEND_MS, CODE_TRIES, CODE_TTL_MS, CODES_PER_IP_HOUR, CODES_PER_PHONE_HOUR, SESSION_TOUCH_MS,
  codeHash, codeMatches, newCode, sessionEndsAt, sessionId,
} from './member-auth.js'
import * as repo from './portal.repository.js'

/** Who is signed in on the member's page: a member, never an id a client sends. */
export interface MemberSession {
  memberId: string
  sessionId: string
}

export interface PortalAuthDeps {
  db: Db
  keyring: Keyring
  clock: Clock
  /** sends a service text message (the channels' sandbox keeps it in the message log), the member's when known (erased with them) */
  sendSms: (to: string, body: string, memberId: string | null) => Promise<unknown>
  /** the chain's name, for the message's signature */
  chainName: () => Promise<string>
  /** registers the member who signs up on the page (as the page: a system actor) */
  members: Pick<MembersService, 'register' | 'internals'>
  /** where members reach the public pages (PATRON_PUBLIC_URL), for the posters' QR codes; default http://localhost:3000 */
  publicUrl?: string
}

/** A store's registration poster: the page its QR opens, and each clerk's own QR (crediting the clerk). */
export interface RegistrationPoster {
  chainName: string
  store: { id: string; code: string; name: string }
  url: string
  clerks: Array<{ username: string; displayName: string; role: string; url: string }>
}

/** What a member gives when signing up on the page: the few fields, the consents, where and through whom. */
export interface SelfRegistration {
  phone: string
  code: string
  /** the store's code, from its poster's QR */
  store: string
  /** the username of the clerk whose own QR the member scanned, credited with the sign-up */
  clerk?: string | null
  name?: string | null
  gender?: Gender | null
  birthday?: string | null
  consents?: Partial<Record<ConsentChannel, boolean>>
  ip: string | null
  userAgent: string | null
}

const HOUR_MS = 3_600_000
const badPhone = () => unprocessable('VALIDATION', [{ field: 'phone', reason: 'a mainland mobile number: 11 digits starting with 1' }])
const wrongCode = (reason = 'is wrong or expired: ask for a new code if it keeps failing') => unauthorized('MEMBER_CODE_INVALID', [{ field: 'code', reason }], 'the code is wrong or expired')

/**
 * Signing in on the member's page (issue 17 §1): a six-digit code sent by text message, valid 5
 * minutes, a few tries, once; per-number and per-address limits; a session of its own (cookie
 * `patron_member`), ended by signing out here or everywhere.
 */
export const createPortalAuthService = ({ db, keyring, clock, sendSms, chainName, members, publicUrl }: PortalAuthDeps) => {
  const memberPageBase = `${(publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '')}/m`
  const page: Actor = { kind: 'system', name: 'member page' }
  // The number's own keyed hash: not the members' phone index, so a code row names no member.
  const phoneIndex = (phone: string) => keyring.blindIndex('member_login', phone)

  /** Sends a sign-in code to a number (a member's or one about to register). */
  const requestCode = async (input: { phone: string; ip: string | null }): Promise<{ sentTo: string; expiresAt: string; resendAfterSeconds: number }> => {
    const phone = normalizePhone(input.phone)
    if (!phone) throw badPhone()
    const at = clock.now()
    const index = phoneIndex(phone)
    const recent = await repo.codesOfPhoneSince(db, index, new Date(at.getTime() - HOUR_MS).toISOString())
    const last = recent[0]
    if (last && at.getTime() - Date.parse(last.created_at) < CODE_RESEND_MS) {
      throw tooManyRequests('MEMBER_CODE_TOO_SOON', Math.ceil((Date.parse(last.created_at) + CODE_RESEND_MS - at.getTime()) / 1000), 'a code was sent a moment ago: wait a minute before asking again')
    }
    if (recent.length >= CODES_PER_PHONE_HOUR) {
      const oldest = recent[recent.length - 1]!
      throw tooManyRequests('MEMBER_CODE_LIMITED', Math.ceil((Date.parse(oldest.created_at) + HOUR_MS - at.getTime()) / 1000), 'too many codes for this number this hour')
    }
    if (input.ip && (await repo.countCodesOfIpSince(db, input.ip, new Date(at.getTime() - HOUR_MS).toISOString())) >= CODES_PER_IP_HOUR) {
      throw tooManyRequests('MEMBER_CODE_LIMITED', 3600, 'too many codes asked from this address this hour')
    }
    const id = newId('mlc')
    const code = newCode()
    const expiresAt = new Date(at.getTime() + CODE_TTL_MS).toISOString()
    await repo.insertCode(db, { id, phone_index: index, code_hash: codeHash(id, code), ip: input.ip, created_at: at.toISOString(), expires_at: expiresAt, attempts: 0, used_at: null })
    await sendSms(phone, `【${await chainName()}】您的验证码是 ${code}，5 分钟内有效。请勿告诉他人。`, await memberOfPhone(phone))
    return { sentTo: maskPhone(phone), expiresAt, resendAfterSeconds: CODE_RESEND_MS / 1000 }
  }

  /**
   * Checks a number's code without taking it: the number's open code, a try counted when wrong.
   * Refused alike when wrong, expired, used or tried too often (which one is not said).
   */
  const checkCode = async (phone: string, code: string) => {
    if (!/^\d{6}$/.test(code)) throw unprocessable('VALIDATION', [{ field: 'code', reason: 'the six digits of the text message' }])
    const row = await repo.openCodeOf(db, phoneIndex(phone), clock.now().toISOString())
    if (!row || row.attempts >= CODE_TRIES) throw wrongCode()
    if (!codeMatches(row.id, code, row.code_hash)) {
      await repo.countWrongTry(db, row.id, row.attempts, CODE_TRIES)
      throw wrongCode(row.attempts + 1 >= CODE_TRIES ? 'is wrong, and that was the last try: ask for a new code' : undefined)
    }
    return row
  }

  /** The member a number signs in as: its live record (a merged one's survivor). */
  const memberOfPhone = async (phone: string): Promise<string | null> => {
    for (const m of await membersByPhone(db, keyring, phone)) {
      let state: Awaited<ReturnType<typeof memberState>> = m
      while (state?.status === 'merged' && state.mergedIntoId) state = await memberState(db, state.mergedIntoId)
      if (state && (state.status === 'active' || state.status === 'frozen')) return state.id
    }
    return null
  }

  /**
   * Signs a member in with the code sent to their number; the code is taken (it works once). A
   * number with no member is refused (404 MEMBER_NOT_REGISTERED) and its code left for the
   * registration that follows.
   */
  const login = async (input: { phone: string; code: string; ip: string | null; userAgent: string | null }): Promise<{ token: string; memberId: string; expiresAt: string }> => {
    const phone = normalizePhone(input.phone)
    if (!phone) throw badPhone()
    const row = await checkCode(phone, input.code)
    const memberId = await memberOfPhone(phone)
    if (!memberId) throw notFound('MEMBER_NOT_REGISTERED', [{ field: 'phone', reason: 'no member has this number: register first' }])
    if (!(await repo.useCode(db, row.id, clock.now().toISOString()))) throw wrongCode()
    return openSession(memberId, input)
  }

  const openSession = async (memberId: string, input: { ip: string | null; userAgent: string | null }) => {
    const at = clock.now()
    const token = randomBytes(32).toString('base64url')
    const expiresAt = sessionEndsAt(at, at).toISOString()
    await repo.insertSession(db, {
      id: sessionId(token), member_id: memberId, created_at: at.toISOString(), last_seen_at: at.toISOString(), expires_at: expiresAt,
      ip: input.ip, user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    return { token, memberId, expiresAt }
  }

  /**
   * Self-registration by a store's QR poster (or a clerk's own QR): the number proven by its code,
   * the few fields and the consents; the member joins that store through the channel 'qr' (the
   * clerk credited), the welcome journey and coupon follow as for any registration, and they are
   * signed in. A number that is a member already signs in instead (`created: false`). The input is
   * checked before the code is taken, so a refused form keeps its code.
   */
  const register = async (input: SelfRegistration): Promise<{ token: string; memberId: string; expiresAt: string; created: boolean }> => {
    const phone = normalizePhone(input.phone)
    if (!phone) throw badPhone()
    const row = await checkCode(phone, input.code)
    const existing = await memberOfPhone(phone)
    if (existing) {
      if (!(await repo.useCode(db, row.id, clock.now().toISOString()))) throw wrongCode()
      return { ...(await openSession(existing, input)), created: false }
    }
    const store = input.store ? await storeByCode(db, input.store.trim().toUpperCase()) : undefined
    if (!store || store.status !== 'open') throw unprocessable('VALIDATION', [{ field: 'store', reason: 'no open store with this code: scan the poster again' }])
    const clerk = input.clerk?.trim() ? await staffUserByUsername(db, input.clerk) : null
    if (input.clerk?.trim() && (!clerk || clerk.status !== 'active' || clerk.storeId !== store.id)) {
      throw unprocessable('VALIDATION', [{ field: 'clerk', reason: "no active staff member of this store with this username: scan the clerk's QR again" }])
    }
    const registration = {
      phone, name: input.name ?? null, gender: input.gender ?? null, birthday: input.birthday ?? null, registrationStoreId: store.id,
      channel: 'qr' as const, consents: input.consents ?? {}, clerkUsername: clerk?.username ?? null,
    }
    members.internals.validateSync(registration)
    if (!(await repo.useCode(db, row.id, clock.now().toISOString()))) throw wrongCode()
    const { member, created } = await members.register(page, registration)
    return { ...(await openSession(member.id, input)), created }
  }

  /**
   * What a registration poster's page shows before anything is typed: the chain, the store, and
   * the clerk of a clerk's own QR. An unknown or closed store, or a clerk not of that store, is
   * refused here already, so the member never fills in a form that cannot be sent.
   */
  const poster = async (input: { store: string; clerk?: string | null }) => {
    const store = await storeByCode(db, input.store.trim().toUpperCase())
    if (!store || store.status !== 'open') throw unprocessable('VALIDATION', [{ field: 'store', reason: 'no open store with this code: scan the poster again' }])
    const clerk = input.clerk?.trim() ? await staffUserByUsername(db, input.clerk.trim()) : null
    if (input.clerk?.trim() && (!clerk || clerk.status !== 'active' || clerk.storeId !== store.id)) {
      throw unprocessable('VALIDATION', [{ field: 'clerk', reason: "no active staff member of this store with this username: scan the clerk's QR again" }])
    }
    return { chainName: await chainName(), store: { code: store.code, name: store.name }, clerk: clerk ? { username: clerk.username, displayName: clerk.displayName } : null }
  }

  /**
   * A store's printable registration poster for staff (stores.read, the store in their scope): the
   * URL its QR holds (/m/register?store=CODE) and one per active clerk of the store (&clerk=username).
   */
  const registrationPoster = async (actor: Actor, storeId: string): Promise<RegistrationPoster> => {
    const store = await findStoreById(db, storeId)
    if (!store) throw notFound('STORE_NOT_FOUND', [{ field: 'id', reason: 'no such store' }])
    assertInScope(actor, store.id, 'store')
    const url = `${memberPageBase}/register?store=${encodeURIComponent(store.code)}`
    const clerks = (await activeStaffOfStore(db, store.id)).map((u) => ({ username: u.username, displayName: u.displayName, role: u.role, url: `${url}&clerk=${encodeURIComponent(u.username)}` }))
    return { chainName: await chainName(), store: { id: store.id, code: store.code, name: store.name }, url, clerks }
  }

  /** The member behind a cookie, or null (unknown, expired, or the member erased or merged since). */
  const authenticate = async (token: string): Promise<MemberSession | null> => {
    const id = sessionId(token)
    const row = await repo.findSession(db, id)
    if (!row) return null
    const at = clock.now()
    const ends = sessionEndsAt(new Date(row.created_at), new Date(row.last_seen_at))
    if (ends.getTime() <= at.getTime()) return null
    const state = await memberState(db, row.member_id)
    if (!state || (state.status !== 'active' && state.status !== 'frozen')) return null
    if (at.getTime() - Date.parse(row.last_seen_at) > SESSION_TOUCH_MS) {
      await repo.touchSession(db, id, at.toISOString(), sessionEndsAt(new Date(row.created_at), at).toISOString())
    }
    return { memberId: row.member_id, sessionId: id }
  }

  const logout = (session: MemberSession) => repo.deleteSession(db, session.sessionId)

  /** Ends every session of the member (a lost phone, a shared one). */
  const logoutEverywhere = async (session: MemberSession): Promise<{ ended: number }> => ({ ended: await repo.deleteSessionsOf(db, [session.memberId]) })

  /** The daily clean-up: codes older than a day (past every limit's window), sessions past their end. */
  const prune = async (): Promise<{ codes: number; sessions: number }> => {
    const at = clock.now().getTime()
    return {
      codes: await repo.pruneCodes(db, new Date(at - 24 * HOUR_MS).toISOString()),
      sessions: await repo.pruneSessions(db, new Date(at).toISOString()),
    }
  }

  return { requestCode, login, register, poster, registrationPoster, authenticate, logout, logoutEverywhere, prune }
}

export type PortalAuthService = ReturnType<typeof createPortalAuthService>
