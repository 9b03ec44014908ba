import { readCardQr } from './member-qr.js'
import type { Db, Engine, Trx } from '../../db/database.js'
import { LRUCache } from 'lru-cache'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { actorName, actorStaffId, assertCan } from '../../shared/actor.js'
import { scopeWithFilter, storeFilterFor, assertInScope as assertStoreScope } from '../../shared/scope.js'
import type { Clock } from '../../shared/clock.js'
import { conflict, notFound, tooManyRequests, unprocessable } from '../../shared/errors.js'
import type { EventBus } from '../../shared/events.js'
import { newId } from '../../shared/ids.js'
import type { Keyring } from '../../shared/pii.js'
import { randomBytesPooled } from '../../shared/random.js'
import { dateIn } from '../../shared/time.js'
import type { AuditService } from '../audit/index.js'
import type { Publisher } from '../outbox/index.js'
import { diffFields } from '../audit/index.js'
import { staffUserByUsername, staffUsersByIds } from '../auth/index.js'
import { findStoreById, storeById, storeNamesByIds } from '../org/index.js'
import { decodePii, emailIndex, encodePii, idNumberIndex, nameIndex, phoneIndex, toMember } from './member-codec.js'
import { cardNoFromBody, checkProfile, deriveFromIdNumber, isValidCardNo, normalizeEmail, normalizeIdNumber, normalizePhone, type NormalizedMember } from './member-rules.js'
import type { ExportRow } from './member-export.js'
import * as repo from './members.repository.js'
import { createMembersMemberData, type MemberData } from './members.member-data.js'
import type { MemberConsentsTable, MembersTable } from './members.table.js'
import { CHANNELS, CONSENT_CHANNELS, type Channel, type ConsentChannel, type Member, type MemberStatus, REVEAL_FIELDS, type LookupKey, type LookupProfile, type RegisterInput, type RevealField, type UpdateInput } from './members.types.js'


export interface BulkMember {
  value: Partial<NormalizedMember>
  storeId: string | null
  registeredBy: string | null
  channel: Channel
  registeredAt: string | null
  consents: Partial<Record<ConsentChannel, boolean>>
  consentSource: string
}

/**
 * The record a lookup's key names (the first by id, whatever its status: the lookup decides what a
 * merged or erased record means) with that record's profile, in one read: the lookup's find and the
 * profile together, so the lookup with the profile costs no round trip more than without it. Null
 * when the key names no record.
 */
export type LookupProfileReader = (key: LookupKey) => Promise<{ member: MembersTable; profile: LookupProfile } | null>

export interface MembersDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  keyring: Keyring
  events: EventBus
  /** durable events (member.registered, member.merged), published in the transaction that records them */
  outbox?: Publisher
  timezone: string
  /** What other modules hold about a member (their declarations), moved by a merge. */
  memberData?: MemberData[]
  lookupLimits?: Partial<LookupLimits>
  /** The insight profile the lookup adds for the till (analytics): read with the member's record, in place of the plain find. */
  lookupProfile?: LookupProfileReader
}

/**
 * How many member lookups (and name searches) one staff user or till may make. A cashier serves
 * one customer at a time; a lookup that finds nothing is what walking the numbers a masked phone
 * leaves open looks like, so misses are capped per hour and an alert goes to the audit log first.
 */
export interface LookupLimits {
  /** lookups per minute (0: no limit) */
  perMinute: number
  /** lookups that found nothing, per hour, before the actor is refused until the hour ends (0: no limit) */
  missesPerHour: number
  /** misses in an hour that write a `member.lookup.alert` to the audit log */
  alertMisses: number
}

export const DEFAULT_LOOKUP_LIMITS: LookupLimits = { perMinute: 30, missesPerHour: 30, alertMisses: 15 }

export interface LookupInput {
  phone?: string
  cardNo?: string
  idNumber?: string
  email?: string
  externalCode?: string
  /** the QR of the member's electronic card (the member's page; it changes every minute) */
  qrToken?: string
}

export interface ListFilter {
  storeId?: string
  status?: MemberStatus
  channel?: Channel
  registeredFrom?: string
  registeredTo?: string
  cursor?: string
  limit?: number
}

const PII_KEYS: readonly string[] = ['phone', 'name', 'idNumber', 'email', 'address']

const memberNotFound = () => notFound('MEMBER_NOT_FOUND', [], 'no such member')

/** Who withdraws a consent when the member does it through a channel (the audit's actor). */
const UNSUBSCRIBE_ACTOR: Actor = { kind: 'system', name: 'member unsubscribe' }


// Members list newest registration first; the cursor is the last row's (registered_at, id).
const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url')
const decodeCursor = (cursor: string): [string, string] => {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!at || !id) throw unprocessable('VALIDATION', [{ field: 'cursor', reason: 'not a cursor from a previous page' }])
  return [at, id]
}

export const newCardNo = (): string => {
  // 8 random bytes give a uniform number far above 10^14, so the modulo barely skews it.
  const n = randomBytesPooled(8).readBigUInt64BE() % 10n ** 14n
  return cardNoFromBody(n.toString().padStart(14, '0'))
}

export const createMembersService = (deps: MembersDeps) => {
  const { db, audit, clock, keyring, events, timezone } = deps
  // The members' own data (consents) first, then what the other modules declared (services.ts
  // fills their list once they exist, so it is read when used).
  const ownData = createMembersMemberData({ keyring, clock })
  const memberData = (): MemberData[] => [ownData, ...(deps.memberData ?? [])]
  const limits: LookupLimits = { ...DEFAULT_LOOKUP_LIMITS, ...deps.lookupLimits }
  const now = () => clock.now().toISOString()

  const withConsents = async (conn: Db | Trx, row: MembersTable): Promise<Member> =>
    toMember(row, (await repo.consentsOf(conn, [row.id])).get(row.id) ?? [])

  // The names shown with one member (a till looks members up all day): stores and clerks are
  // few and rarely renamed, so their names are kept a minute; a store changed here shows at once.
  const NAMES_MS = 60_000
  const names = new LRUCache<string, { name: string | null }>({ max: 10_000, ttl: NAMES_MS })
  events.on('store.changed', () => names.clear())
  const namesOf = async (row: MembersTable): Promise<{ storeName: string | null; clerkName: string | null }> => {
    const storeKey = row.registration_store_id ? `store:${row.registration_store_id}` : null
    const clerkKey = row.registered_by ? `staff:${row.registered_by}` : null
    const store = storeKey ? names.get(storeKey) : { name: null }
    const clerk = clerkKey ? names.get(clerkKey) : { name: null }
    if (store && clerk) return { storeName: store.name, clerkName: clerk.name }
    // Asked of their owners side by side: one round trip's time, as a join would take.
    const [foundStore, [foundClerk]] = await Promise.all([
      store || !row.registration_store_id ? undefined : storeById(db, row.registration_store_id),
      clerk || !row.registered_by ? [] : staffUsersByIds(db, [row.registered_by]),
    ])
    const storeName = store ? store.name : foundStore?.name ?? null
    const clerkName = clerk ? clerk.name : foundClerk?.displayName ?? null
    if (storeKey) names.set(storeKey, { name: storeName })
    if (clerkKey) names.set(clerkKey, { name: clerkName })
    return { storeName, clerkName }
  }

  /** A member with the names of its registration store and clerk, for one-member views. */
  const withNames = async (row: MembersTable): Promise<Member> => {
    const [member, n] = await Promise.all([withConsents(db, row), namesOf(row)])
    return { ...member, registrationStoreName: n.storeName, registeredByName: n.clerkName }
  }

  const loadLive = async (conn: Db | Trx, id: string): Promise<MembersTable> => {
    const row = await repo.findMemberById(conn, id)
    if (!row || row.status === 'erased') throw memberNotFound()
    return row
  }

  const assertChangeable = (row: MembersTable) => {
    if (row.status === 'merged') throw conflict('MEMBER_MERGED', [{ field: 'id', reason: `merged into ${row.merged_into_id}` }])
  }

  /** Validates a new member's fields; returns the normalised profile or throws 422 with every bad field. */
  const validateRegistration = (input: RegisterInput, requirePhone: boolean): Partial<NormalizedMember> => {
    const { value, errors } = checkProfile({ gender: input.gender ?? 'unknown', ...input }, dateIn(clock.now(), timezone))
    if (requirePhone && !value.phone && !errors.some((e) => e.field === 'phone')) errors.push({ field: 'phone', reason: 'is required' })
    if (input.channel !== undefined && !CHANNELS.includes(input.channel)) errors.push({ field: 'channel', reason: `must be one of ${CHANNELS.join(', ')}` })
    if (input.registeredAt && Number.isNaN(Date.parse(input.registeredAt))) errors.push({ field: 'registeredAt', reason: 'not a date-time' })
    for (const ch of Object.keys(input.consents ?? {})) {
      if (!CONSENT_CHANNELS.includes(ch as ConsentChannel)) errors.push({ field: `consents.${ch}`, reason: `unknown channel; use ${CONSENT_CHANNELS.join(', ')}` })
    }
    if (errors.length) throw unprocessable('VALIDATION', errors)
    deriveFromIdNumber(value, input)
    return value
  }

  const resolveStore = async (actor: Actor, requested: string | null | undefined): Promise<string | null> => {
    const storeId = storeFilterFor(actor, requested, 'registrationStoreId', 'you can register members only at your own store') ?? null
    if (storeId === null) return null
    const store = await findStoreById(db, storeId)
    if (!store) throw unprocessable('VALIDATION', [{ field: 'registrationStoreId', reason: 'no such store' }])
    if (store.status === 'closed') throw unprocessable('STORE_CLOSED', [{ field: 'registrationStoreId', reason: 'the store is closed' }])
    return storeId
  }

  /**
   * Who registered the member: the signed-in staff user, or for a till the cashier it names
   * (a till signs in with its store's key, not as a person).
   */
  const resolveClerk = async (actor: Actor, clerkUsername: string | null | undefined, storeId: string | null): Promise<string | null> => {
    // A till names its cashier; the member's page, the clerk whose QR the member scanned.
    if ((actor.kind !== 'pos' && actor.kind !== 'system') || !clerkUsername) return actorStaffId(actor)
    const clerk = await staffUserByUsername(db, clerkUsername)
    if (!clerk || clerk.status !== 'active' || clerk.storeId !== storeId) {
      throw unprocessable('VALIDATION', [{ field: 'clerkUsername', reason: 'no active staff user of this store with that username' }])
    }
    return clerk.id
  }

  const buildRow = (value: Partial<NormalizedMember>, extra: { storeId: string | null; registeredBy: string | null; channel: Channel; registeredAt: string; at: string }): MembersTable => ({
    id: newId('mem'),
    card_no: newCardNo(),
    phone_enc: null, phone_bidx: null, phone_masked: null, name_enc: null, name_bidx: null, name_masked: null,
    id_number_enc: null, id_number_bidx: null, id_number_masked: null, email_enc: null, email_bidx: null, email_masked: null,
    address_enc: null, address_masked: null,
    ...encodePii(keyring, value),
    gender: value.gender ?? 'unknown',
    birthday: value.birthday ?? null,
    occupation: value.occupation ?? null,
    education: value.education ?? null,
    income_band: value.incomeBand ?? null,
    district: value.district ?? null,
    registration_store_id: extra.storeId,
    registered_by: extra.registeredBy,
    registration_channel: extra.channel,
    external_code: value.externalCode ?? null,
    status: 'active',
    status_reason: null,
    merged_into_id: null,
    registered_at: extra.registeredAt,
    updated_at: extra.at,
  })

  /** The member already holding this phone or external code: registration is idempotent on them. */
  const findExisting = async (conn: Db | Trx, value: Partial<NormalizedMember>) => {
    if (value.phone) {
      const byPhone = await repo.findMemberByBlindIndex(conn, 'phone_bidx', phoneIndex(keyring, value.phone))
      if (byPhone) return byPhone
    }
    if (value.externalCode) {
      const byCode = await repo.findMemberByExternalCode(conn, value.externalCode)
      if (byCode) return byCode.merged_into_id ? (await repo.findMemberById(conn, byCode.merged_into_id)) ?? byCode : byCode
    }
    return undefined
  }

  const insertNew = async (trx: Trx, actor: Actor, row: MembersTable, consents: RegisterInput['consents'], source: string) => {
    await repo.insertMember(trx, row)
    for (const [channel, granted] of Object.entries(consents ?? {})) {
      await repo.upsertConsent(trx, {
        id: newId('evt'), member_id: row.id, channel: channel as ConsentChannel, granted: granted ? 1 : 0,
        source, changed_at: row.updated_at, changed_by: actorStaffId(actor),
      })
    }
    await audit.record(trx, actor, {
      action: 'member.register', entityType: 'member', entityId: row.id, storeId: row.registration_store_id,
      changes: { channel: row.registration_channel, cardNo: row.card_no, consents: consents ?? {} },
    })
  }

  /**
   * Inserts many new members in one transaction (import, demo data): no per-member audit entry,
   * the caller audits the batch. Rows must already be validated and known not to exist.
   */
  const insertMany = async (actor: Actor, items: BulkMember[]): Promise<MembersTable[]> => {
    const at = now()
    const rows = items.map((it) => buildRow(it.value, { storeId: it.storeId, registeredBy: it.registeredBy, channel: it.channel, registeredAt: it.registeredAt ?? at, at }))
    const consents: Array<MemberConsentsTable & { id: string }> = []
    rows.forEach((row, i) => {
      const item = items[i]!
      for (const [channel, granted] of Object.entries(item.consents)) {
        consents.push({ id: newId('evt'), member_id: row.id, channel: channel as ConsentChannel, granted: granted ? 1 : 0, source: item.consentSource, changed_at: row.registered_at < at ? row.registered_at : at, changed_by: item.registeredBy ?? actorStaffId(actor) })
      }
    })
    await db.transaction().execute(async (trx) => {
      await repo.insertMembers(trx, rows, consents)
      await deps.outbox?.publishMany(trx, 'member.registered', rows.map((row) => ({ memberId: row.id, storeId: row.registration_store_id, channel: row.registration_channel, at: row.registered_at })))
    })
    return rows
  }

  const register = async (actor: Actor, input: RegisterInput): Promise<{ member: Member; created: boolean }> => {
    assertCan(actor, 'members.register')
    const channel = input.channel ?? 'till'
    const value = validateRegistration(input, channel !== 'import')
    if (!value.phone && !value.externalCode) throw unprocessable('VALIDATION', [{ field: 'phone', reason: 'is required' }])
    const storeId = await resolveStore(actor, input.registrationStoreId)
    const registeredBy = await resolveClerk(actor, input.clerkUsername, storeId)

    for (let attempt = 0; ; attempt++) {
      try {
        const result = await db.transaction().execute(async (trx) => {
          const existing = await findExisting(trx, value)
          if (existing) return { row: existing, created: false }
          if (value.idNumber && (await repo.findMemberByBlindIndex(trx, 'id_number_bidx', idNumberIndex(keyring, value.idNumber)))) {
            throw conflict('MEMBER_ID_NUMBER_TAKEN', [{ field: 'idNumber', reason: 'belongs to another member' }])
          }
          const at = now()
          const row = buildRow(value, {
            storeId, registeredBy, channel,
            registeredAt: input.registeredAt ? new Date(input.registeredAt).toISOString() : at, at,
          })
          await insertNew(trx, actor, row, input.consents, `registration:${channel}`)
          await deps.outbox?.publish(trx, 'member.registered', { memberId: row.id, storeId: row.registration_store_id, channel, at: row.registered_at })
          return { row, created: true }
        })
        return { member: await withConsents(db, result.row), created: result.created }
      } catch (err) {
        // A concurrent registration of the same phone won the race: answer with its member.
        // A card number collision (1 in 10^14 per pair) just draws another.
        if (attempt < 3 && (isUniqueViolation(err, 'phone_bidx') || isUniqueViolation(err, 'external_code') || isUniqueViolation(err, 'card_no'))) continue
        if (isUniqueViolation(err, 'id_number_bidx')) throw conflict('MEMBER_ID_NUMBER_TAKEN', [{ field: 'idNumber', reason: 'belongs to another member' }])
        throw err
      }
    }
  }

  /** The indexed column and value the lookup's one key names: 422 when none, several or a malformed one is given. */
  const memberKeyOf = (input: LookupInput): LookupKey => {
    const given = Object.entries(input).filter(([, v]) => v !== undefined && v !== '')
    if (given.length !== 1) throw unprocessable('LOOKUP_NEEDS_ONE_KEY', [{ field: 'query', reason: 'give exactly one of phone, cardNo, idNumber, email, externalCode, qrToken' }])
    if (input.qrToken) {
      const read = readCardQr(keyring, input.qrToken, clock.now())
      if ('problem' in read) {
        throw read.problem === 'expired'
          ? unprocessable('MEMBER_QR_EXPIRED', [{ field: 'qrToken', reason: 'this member card QR has expired (it changes every minute): ask the member to show the card page again' }])
          : unprocessable('MEMBER_QR_INVALID', [{ field: 'qrToken', reason: 'not a member card QR of this chain' }])
      }
      return { field: 'card_no', value: read.cardNo }
    }
    if (input.phone) {
      const phone = normalizePhone(input.phone)
      if (!phone) throw unprocessable('VALIDATION', [{ field: 'phone', reason: 'not a mainland China mobile number' }])
      return { field: 'phone_bidx', value: phoneIndex(keyring, phone) }
    }
    if (input.cardNo) {
      const card = input.cardNo.replace(/\s/g, '')
      if (!isValidCardNo(card)) throw unprocessable('MEMBER_CARD_INVALID', [{ field: 'cardNo', reason: 'not a Patron card number (check digit wrong)' }])
      return { field: 'card_no', value: card }
    }
    if (input.idNumber) {
      const id = normalizeIdNumber(input.idNumber)
      if (!id) throw unprocessable('VALIDATION', [{ field: 'idNumber', reason: 'not a valid resident ID number' }])
      return { field: 'id_number_bidx', value: idNumberIndex(keyring, id) }
    }
    if (input.email) {
      const email = normalizeEmail(input.email)
      if (!email) throw unprocessable('VALIDATION', [{ field: 'email', reason: 'not an email address' }])
      return { field: 'email_bidx', value: emailIndex(keyring, email) }
    }
    return { field: 'external_code', value: (input.externalCode ?? '').trim() }
  }

  /** The live member the key names; a merged record's card or code still finds the person: it points at the survivor. */
  const findByKey = async (key: LookupKey, conn: Db | Trx = db): Promise<MembersTable | undefined> => {
    let row = key.field === 'card_no' ? await repo.findMemberByCard(conn, key.value)
      : key.field === 'external_code' ? await repo.findMemberByExternalCode(conn, key.value)
        : key.field === 'id' ? await repo.findMemberById(conn, key.value)
          : await repo.findMemberByBlindIndex(conn, key.field, key.value)
    if (row?.status === 'merged' && row.merged_into_id) row = await repo.findMemberById(conn, row.merged_into_id)
    return row && row.status !== 'erased' ? row : undefined
  }

  const lookupRow = (input: LookupInput, conn: Db | Trx = db): Promise<MembersTable | undefined> => findByKey(memberKeyOf(input), conn)

  /**
   * Counts a lookup of the actor (refusing it over the limits) and returns how to count its
   * outcome: a miss adds to the hour's misses, alerting at the threshold. One upsert per lookup,
   * in the database so the limit holds across API processes.
   */
  const lookupKeyOf = (actor: Exclude<Actor, { kind: 'system' }>, at: Date) => {
    const iso = at.toISOString()
    return {
      actorKey: actor.kind === 'pos' ? `pos:${actor.keyId}` : `staff:${actor.userId}`, period: iso.slice(0, 13), minute: iso.slice(0, 16),
      actorName: actorName(actor), storeId: actor.storeId,
    }
  }
  const missesLimited = (at: Date) =>
    tooManyRequests('MEMBER_LOOKUP_LIMITED', (3_600_000 - (at.getTime() % 3_600_000)) / 1000, 'too many lookups found nothing this hour; try again later')
  const alertOf = (conn: Db | Trx, actor: Exclude<Actor, { kind: 'system' }>, period: string) => (action: string, changes: Record<string, unknown>) => audit.record(conn, actor, {
    action, entityType: actor.kind === 'pos' ? 'pos_key' : 'staff_user', entityId: actor.kind === 'pos' ? actor.keyId : actor.userId,
    storeId: actor.storeId, changes: { period, ...changes },
  })
  /** Counts a lookup that found nobody, alerting at the threshold and once at the limit. */
  const recordMiss = async (conn: Db | Trx, actor: Exclude<Actor, { kind: 'system' }>, key: ReturnType<typeof lookupKeyOf>) => {
    const misses = await repo.countLookupMiss(conn, key)
    const alert = alertOf(conn, actor, key.period)
    if (misses === limits.alertMisses) await alert('member.lookup.alert', { misses, threshold: limits.alertMisses })
    if (limits.missesPerHour > 0 && misses === limits.missesPerHour) await alert('member.lookup.limited', { misses, reason: 'misses_per_hour', limit: limits.missesPerHour })
  }

  const meterLookup = async (actor: Actor): Promise<{ missed(): Promise<void> }> => {
    const none = { missed: async () => {} }
    if (actor.kind === 'system') return none
    const at = clock.now()
    const key = lookupKeyOf(actor, at)
    const counts = await repo.countLookup(db, key)
    if (limits.missesPerHour > 0 && counts.misses >= limits.missesPerHour) throw missesLimited(at)
    if (limits.perMinute > 0 && counts.minute_lookups > limits.perMinute) {
      if (counts.minute_lookups === limits.perMinute + 1) await alertOf(db, actor, key.period)('member.lookup.limited', { lookups: counts.lookups, reason: 'per_minute', limit: limits.perMinute })
      throw tooManyRequests('MEMBER_LOOKUP_LIMITED', (60_000 - (at.getTime() % 60_000)) / 1000, 'too many member lookups this minute; try again shortly')
    }
    return { missed: () => recordMiss(db, actor, key) }
  }

  const lookup = async (actor: Actor, input: LookupInput): Promise<Member> => {
    assertCan(actor, 'members.lookup')
    const meter = await meterLookup(actor)
    const key = memberKeyOf(input)
    const reader = deps.lookupProfile
    if (!reader) {
      const row = await findByKey(key)
      if (!row) {
        await meter.missed()
        throw memberNotFound()
      }
      return withNames(row)
    }
    // With the profile: the member's record and profile in one read, in place of the plain find
    // (a merged record's key reads the survivor's by id, as findByKey does).
    let found = await reader(key)
    if (found?.member.status === 'merged' && found.member.merged_into_id) found = await reader({ field: 'id', value: found.member.merged_into_id })
    if (!found || found.member.status === 'erased' || found.member.status === 'merged') {
      await meter.missed()
      throw memberNotFound()
    }
    return { ...(await withNames(found.member)), profile: found.profile }
  }

  /**
   * The hours of the last `days` in which a staff user or till looked up members that did not
   * exist at least the alert threshold's times: the pattern of someone walking masked numbers.
   */
  const lookupAlerts = async (actor: Actor, days = 7) => {
    assertCan(actor, 'audit.read')
    const from = new Date(clock.now().getTime() - days * 86_400_000).toISOString().slice(0, 13)
    const rows = await repo.lookupHoursWithMisses(db, from, Math.max(1, limits.alertMisses), 100)
    const stores = await storeNamesByIds(db, rows.map((r) => r.store_id))
    return {
      alertMisses: limits.alertMisses,
      missesPerHour: limits.missesPerHour,
      items: rows.map((r) => ({
        actorType: r.actor_key.startsWith('pos:') ? 'pos' as const : 'staff' as const, actorId: r.actor_key.slice(r.actor_key.indexOf(':') + 1),
        actorName: r.actor_name, storeId: r.store_id, storeName: (r.store_id ? stores.get(r.store_id)?.name : null) ?? null, hour: `${r.period}:00:00.000Z`,
        lookups: Number(r.lookups), misses: Number(r.misses), limited: limits.missesPerHour > 0 && Number(r.misses) >= limits.missesPerHour,
      })),
    }
  }

  /** Members whose full name is exactly `name` (as normalised), newest first; metered as a lookup. */
  const searchByName = async (actor: Actor, name: string): Promise<{ items: Member[] }> => {
    assertCan(actor, 'members.lookup')
    const bidx = nameIndex(keyring, name)
    if (!bidx) throw unprocessable('VALIDATION', [{ field: 'name', reason: 'is required' }])
    const meter = await meterLookup(actor)
    const rows = await repo.findMembersByNameIndex(db, bidx, 20)
    if (rows.length === 0) await meter.missed()
    const consents = await repo.consentsOf(db, rows.map((r) => r.id))
    return { items: rows.map((r) => toMember(r, consents.get(r.id) ?? [])) }
  }

  const get = async (actor: Actor, id: string): Promise<Member> => {
    assertCan(actor, 'members.read')
    return withNames(await loadLive(db, id))
  }

  const list = async (actor: Actor, filter: ListFilter): Promise<{ items: Member[]; nextCursor: string | null }> => {
    assertCan(actor, 'members.list')
    const scope = scopeWithFilter(actor, filter.storeId)
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200)
    const rows = await repo.findMembersPage(db, { ...filter, scope, after: filter.cursor ? decodeCursor(filter.cursor) : null, limit: limit + 1 })
    const page = rows.slice(0, limit)
    const consents = await repo.consentsOf(db, page.map((r) => r.id))
    const last = page[page.length - 1]
    return { items: page.map((r) => toMember(r, consents.get(r.id) ?? [])), nextCursor: rows.length > limit && last ? encodeCursor(last.registered_at, last.id) : null }
  }

  /**
   * Every member matching the filter, masked, for the export; the export itself is audited.
   * Pages by keyset (registered_at, id) and gives the event loop a turn between pages, so a
   * full export does not stall the tills' lookups; an error ends the iteration (and the file).
   */
  const exportRows = (actor: Actor, filter: Omit<ListFilter, 'cursor' | 'limit'>, options: { pageSize?: number } = {}): AsyncIterable<ExportRow> => {
    assertCan(actor, 'members.export')
    const scope = scopeWithFilter(actor, filter.storeId, 'storeId', 'you can export only your own store')
    const pageSize = options.pageSize ?? 200
    return (async function* () {
      await audit.record(db, actor, { action: 'member.export', entityType: 'member', changes: { filter } })
      let after: [string, string] | null = null
      for (;;) {
        const rows = await repo.findMembersPage(db, { ...filter, scope, after, limit: pageSize })
        const [consents, stores] = await Promise.all([repo.consentsOf(db, rows.map((r) => r.id)), storeNamesByIds(db, rows.map((r) => r.registration_store_id))])
        for (const r of rows) {
          const m = toMember(r)
          const store = r.registration_store_id ? stores.get(r.registration_store_id) : undefined
          yield {
            id: m.id, cardNo: m.cardNo, phone: m.phone, name: m.name, gender: m.gender, birthday: m.birthday, email: m.email,
            occupation: m.occupation, education: m.education, incomeBand: m.incomeBand, district: m.district,
            storeCode: store?.code ?? null, storeName: store?.name ?? null, registrationChannel: m.registrationChannel, externalCode: m.externalCode,
            status: m.status, registeredAt: m.registeredAt,
            consents: Object.fromEntries((consents.get(r.id) ?? []).map((c) => [c.channel, c.granted === 1])),
          }
        }
        if (rows.length < pageSize) return
        const last = rows[rows.length - 1]!
        after = [last.registered_at, last.id]
        // A turn for the requests that queued while this page was read and written out.
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
    })()
  }

  const reveal = async (actor: Actor, id: string, fields: readonly RevealField[] = REVEAL_FIELDS): Promise<Partial<Record<RevealField, string | null>>> => {
    assertCan(actor, 'members.reveal')
    const row = await loadLive(db, id)
    assertStoreScope(actor, row.registration_store_id)
    const plain = { ...decodePii(keyring, row), birthday: row.birthday }
    const out: Partial<Record<RevealField, string | null>> = {}
    for (const f of fields) out[f] = plain[f]
    await audit.record(db, actor, { action: 'member.reveal', entityType: 'member', entityId: id, storeId: row.registration_store_id, changes: { fields } })
    return out
  }

  const update = async (actor: Actor, id: string, input: UpdateInput): Promise<Member> => (await applyUpdate(actor, id, input)).member

  const applyUpdate = async (actor: Actor, id: string, input: UpdateInput): Promise<{ member: Member; changed: boolean }> => {
    assertCan(actor, 'members.update')
    const { value, errors } = checkProfile(input as Record<string, unknown>, dateIn(clock.now(), timezone))
    if (errors.length) throw unprocessable('VALIDATION', errors)
    try {
      return await db.transaction().execute(async (trx) => {
        const before = await loadLive(trx, id)
        assertChangeable(before)
        const current = decodePii(keyring, before)
        const prev: Record<string, unknown> = {
          ...current, gender: before.gender, birthday: before.birthday, occupation: before.occupation, education: before.education,
          incomeBand: before.income_band, district: before.district, externalCode: before.external_code,
        }
        const changes = diffFields(prev, value as Record<string, unknown>, PII_KEYS)
        if (Object.keys(changes).length === 0) return { member: await withConsents(trx, before), changed: false }
        if (changes.phone && value.phone) {
          const other = await repo.findMemberByBlindIndex(trx, 'phone_bidx', phoneIndex(keyring, value.phone))
          if (other && other.id !== id) throw conflict('MEMBER_PHONE_TAKEN', [{ field: 'phone', reason: 'belongs to another member' }])
        }
        if (changes.idNumber && value.idNumber) {
          const other = await repo.findMemberByBlindIndex(trx, 'id_number_bidx', idNumberIndex(keyring, value.idNumber))
          if (other && other.id !== id) throw conflict('MEMBER_ID_NUMBER_TAKEN', [{ field: 'idNumber', reason: 'belongs to another member' }])
        }
        const patch: Partial<MembersTable> = { updated_at: now() }
        const piiChanged = Object.fromEntries(PII_KEYS.filter((k) => changes[k]).map((k) => [k, (value as Record<string, unknown>)[k]]))
        Object.assign(patch, encodePii(keyring, piiChanged as Partial<NormalizedMember>))
        if (changes.gender) patch.gender = value.gender!
        if (changes.birthday) patch.birthday = value.birthday ?? null
        if (changes.occupation) patch.occupation = value.occupation ?? null
        if (changes.education) patch.education = value.education ?? null
        if (changes.incomeBand) patch.income_band = value.incomeBand ?? null
        if (changes.district) patch.district = value.district ?? null
        if (changes.externalCode) patch.external_code = value.externalCode ?? null
        await repo.updateMember(trx, id, patch)
        await audit.record(trx, actor, { action: 'member.update', entityType: 'member', entityId: id, storeId: before.registration_store_id, changes })
        return { member: await withConsents(trx, { ...before, ...patch }), changed: true }
      })
    } catch (err) {
      if (isUniqueViolation(err, 'phone_bidx')) throw conflict('MEMBER_PHONE_TAKEN', [{ field: 'phone', reason: 'belongs to another member' }])
      if (isUniqueViolation(err, 'id_number_bidx')) throw conflict('MEMBER_ID_NUMBER_TAKEN', [{ field: 'idNumber', reason: 'belongs to another member' }])
      if (isUniqueViolation(err, 'external_code')) throw conflict('MEMBER_EXTERNAL_CODE_TAKEN', [{ field: 'externalCode', reason: 'belongs to another member' }])
      throw err
    }
  }

  const setFrozen = async (actor: Actor, id: string, frozen: boolean, reason: string | null): Promise<Member> => {
    assertCan(actor, 'members.freeze')
    if (frozen && !reason?.trim()) throw unprocessable('VALIDATION', [{ field: 'reason', reason: 'is required to freeze a member' }])
    return db.transaction().execute(async (trx) => {
      const before = await loadLive(trx, id)
      assertStoreScope(actor, before.registration_store_id)
      assertChangeable(before)
      const status: MemberStatus = frozen ? 'frozen' : 'active'
      if (before.status === status) return withConsents(trx, before)
      const patch = { status, status_reason: frozen ? reason!.trim() : null, updated_at: now() }
      await repo.updateMember(trx, id, patch)
      await audit.record(trx, actor, {
        action: frozen ? 'member.freeze' : 'member.unfreeze', entityType: 'member', entityId: id, storeId: before.registration_store_id,
        changes: { status: { from: before.status, to: status }, reason: reason ?? null },
      })
      return withConsents(trx, { ...before, ...patch })
    })
  }

  /** Records a consent change (current value, history, audit) unless it is the current value already. */
  const changeConsent = async (trx: Trx, actor: Actor, id: string, input: { channel: ConsentChannel; granted: boolean; source: string }): Promise<{ row: MembersTable; changed: boolean }> => {
    const row = await loadLive(trx, id)
    assertChangeable(row)
    const current = (await repo.consentsOf(trx, [id])).get(id)?.find((c) => c.channel === input.channel)
    if (current && (current.granted === 1) === input.granted) return { row, changed: false }
    const at = now()
    await repo.upsertConsent(trx, { id: newId('evt'), member_id: id, channel: input.channel, granted: input.granted ? 1 : 0, source: input.source, changed_at: at, changed_by: actorStaffId(actor) })
    await audit.record(trx, actor, {
      action: input.granted ? 'member.consent.grant' : 'member.consent.withdraw', entityType: 'member', entityId: id,
      storeId: row.registration_store_id, changes: { channel: input.channel, granted: input.granted, source: input.source },
    })
    return { row, changed: true }
  }

  const setConsent = async (actor: Actor, id: string, input: { channel: ConsentChannel; granted: boolean; source?: string }): Promise<Member> => {
    assertCan(actor, 'members.consent')
    if (!CONSENT_CHANNELS.includes(input.channel)) throw unprocessable('VALIDATION', [{ field: 'channel', reason: `must be one of ${CONSENT_CHANNELS.join(', ')}` }])
    const source = input.source?.trim() || (actor.kind === 'pos' ? 'till' : actor.kind === 'staff' ? `staff:${actor.role}` : actor.name)
    return db.transaction().execute(async (trx) => withConsents(trx, (await changeConsent(trx, actor, id, { ...input, source })).row))
  }

  /**
   * The member's own withdrawal through a channel (an SMS reply, an email's unsubscribe link, a
   * WeChat unfollow): no staff actor, the source says how. True when it changed the consent
   * (false when it was withdrawn already). In the caller's transaction when given one.
   */
  const withdrawConsent = async (trx: Trx | null, id: string, channel: ConsentChannel, source: string): Promise<boolean> => {
    const run = async (t: Trx) => (await changeConsent(t, UNSUBSCRIBE_ACTOR, id, { channel, granted: false, source })).changed
    return trx ? run(trx) : db.transaction().execute(run)
  }

  const consentHistory = async (actor: Actor, id: string) => {
    assertCan(actor, 'members.read')
    await loadLive(db, id)
    return (await repo.consentHistoryOf(db, id)).map((h) => ({ channel: h.channel, granted: h.granted === 1, source: h.source, changedAt: h.changed_at, changedBy: h.changed_by }))
  }

  /** What a merge of `mergedId` into `survivorId` would move, for a confirmation step. */
  const previewMerge = async (actor: Actor, survivorId: string, mergedId: string) => {
    assertCan(actor, 'members.merge')
    const [survivor, merged] = await checkMergePair(db, actor, survivorId, mergedId)
    return describeMerge(db, survivor, merged)
  }

  const checkMergePair = async (conn: Db | Trx, actor: Actor, survivorId: string, mergedId: string): Promise<[MembersTable, MembersTable]> => {
    if (survivorId === mergedId) throw unprocessable('MERGE_SAME_MEMBER', [{ field: 'mergedId', reason: 'cannot merge a member into itself' }])
    const survivor = await loadLive(conn, survivorId)
    const merged = await loadLive(conn, mergedId)
    for (const [row, field] of [[survivor, 'survivorId'], [merged, 'mergedId']] as const) {
      if (row.status === 'merged') throw conflict('MEMBER_MERGED', [{ field, reason: `already merged into ${row.merged_into_id}` }])
      assertStoreScope(actor, row.registration_store_id)
    }
    return [survivor, merged]
  }

  const fillableFields = (survivor: MembersTable, merged: MembersTable): Array<keyof MembersTable> => {
    const groups: Array<Array<keyof MembersTable>> = [
      ['phone_enc', 'phone_bidx', 'phone_masked'], ['name_enc', 'name_bidx', 'name_masked'], ['id_number_enc', 'id_number_bidx', 'id_number_masked'],
      ['email_enc', 'email_bidx', 'email_masked'], ['address_enc', 'address_masked'], ['birthday'], ['occupation'], ['education'],
      ['income_band'], ['district'], ['external_code'],
    ]
    const out: Array<keyof MembersTable> = []
    for (const g of groups) if (survivor[g[0]!] === null && merged[g[0]!] !== null) out.push(...g)
    if (survivor.gender === 'unknown' && merged.gender !== 'unknown') out.push('gender')
    return out
  }

  const describeMerge = async (conn: Db | Trx, survivor: MembersTable, merged: MembersTable) => {
    const fill = fillableFields(survivor, merged)
    const filled = [...new Set(fill.map((c) => String(c).replace(/_(enc|bidx|masked)$/, '').replace(/_([a-z])/g, (_, l: string) => l.toUpperCase())))]
    const moves: Record<string, number> = {}
    for (const d of memberData()) if (!d.derived) moves[d.name] = await d.count(conn, merged.id)
    return { survivor: toMember(survivor), merged: toMember(merged), fieldsFilled: filled, moves, survivorCardNo: survivor.card_no, retiredCardNo: merged.card_no }
  }

  /**
   * Merges two records of one person: the survivor keeps its card and fills its empty fields
   * from the other; the other's history moves over and it stays as a pointer to the survivor,
   * so its old card and external code still find the person.
   */
  const merge = async (actor: Actor, survivorId: string, mergedId: string, reason?: string) => {
    assertCan(actor, 'members.merge')
    const result = await db.transaction().execute(async (trx) => {
      // Two desks merging the same pair at once: the second waits here, then finds it merged.
      // (SQLite runs one write transaction at a time already.)
      if (deps.engine === 'postgres') {
        await repo.lockMembersForUpdate(trx, [survivorId, mergedId])
      }
      const [survivor, merged] = await checkMergePair(trx, actor, survivorId, mergedId)
      const summary = await describeMerge(trx, survivor, merged)
      const at = now()
      const fill = fillableFields(survivor, merged)
      // The retired record lets go of its unique keys first, so the survivor can take them.
      await repo.updateMember(trx, merged.id, {
        status: 'merged', merged_into_id: survivor.id, status_reason: reason?.trim() || null, updated_at: at,
        phone_enc: null, phone_bidx: null, phone_masked: null, id_number_enc: null, id_number_bidx: null, id_number_masked: null,
        email_enc: null, email_bidx: null, email_masked: null, name_enc: null, name_bidx: null, address_enc: null, address_masked: null,
        external_code: fill.includes('external_code') ? null : merged.external_code,
      })
      const patch: Partial<MembersTable> = { updated_at: at }
      for (const col of fill) (patch as Record<string, unknown>)[col] = merged[col]
      await repo.updateMember(trx, survivor.id, patch)

      for (const d of memberData()) await d.move(trx, merged.id, survivor.id)

      const details = { survivorId: survivor.id, mergedId: merged.id, fieldsFilled: summary.fieldsFilled, moves: summary.moves, reason: reason ?? null }
      await audit.record(trx, actor, { action: 'member.merge', entityType: 'member', entityId: survivor.id, storeId: survivor.registration_store_id, changes: details })
      await audit.record(trx, actor, { action: 'member.merged_into', entityType: 'member', entityId: merged.id, storeId: merged.registration_store_id, changes: details })
      await deps.outbox?.publish(trx, 'member.merged', { survivorId: survivor.id, mergedId: merged.id, at })
      return { member: await withConsents(trx, (await repo.findMemberById(trx, survivor.id))!), summary }
    })
    return result
  }

  /** A member's audit trail, including the records merged into it. */
  const auditTrail = async (actor: Actor, id: string, cursor?: string) => {
    assertCan(actor, 'members.audit')
    const row = await loadLive(db, id)
    assertStoreScope(actor, row.registration_store_id)
    return audit.trailOf('member', [id, ...(await repo.findIdsMergedInto(db, id))], cursor)
  }

  /**
   * Members named by a list of keys (a bulk coupon issue's file): member id, 16-digit card,
   * mainland mobile or external code, told apart by their shape; merged records resolve to the
   * survivor; erased and unknown keys are absent from the map.
   */
  const resolveKeys = async (conn: Db | Trx, keys: readonly string[]): Promise<Map<string, { id: string; status: MemberStatus }>> => {
    const byField = { id: new Map<string, string[]>(), card_no: new Map<string, string[]>(), phone_bidx: new Map<string, string[]>(), external_code: new Map<string, string[]>() }
    for (const raw of keys) {
      const key = raw.trim()
      const phone = /^[+\d][\d\s-]{9,16}$/.test(key) && !isValidCardNo(key) ? normalizePhone(key) : null
      const [field, value] = key.startsWith('mem_') ? ['id', key] as const
        : isValidCardNo(key) ? ['card_no', key] as const
          : phone ? ['phone_bidx', phoneIndex(keyring, phone)] as const
            : ['external_code', key] as const
      const list = byField[field].get(value) ?? []
      list.push(raw)
      byField[field].set(value, list)
    }
    type Found = { id: string; status: MemberStatus; merged_into_id: string | null }
    const inChunks = async (field: keyof typeof byField, values: string[], each: (r: Found & { key: string }) => void) => {
      for (let i = 0; i < values.length; i += 1000) {
        const rows = await repo.findMembersByKey(conn, field, values.slice(i, i + 1000))
        for (const r of rows) each({ ...r, key: String(r.key) })
      }
    }
    const found: Array<{ key: string; row: Found }> = []
    for (const [field, values] of Object.entries(byField) as Array<[keyof typeof byField, Map<string, string[]>]>) {
      await inChunks(field, [...values.keys()], (r) => { for (const raw of values.get(r.key) ?? []) found.push({ key: raw, row: r }) })
    }
    // Merged records stand for their survivors, read together.
    const survivors = new Map<string, Found>()
    await inChunks('id', [...new Set(found.flatMap((f) => (f.row.status === 'merged' && f.row.merged_into_id ? [f.row.merged_into_id] : [])))], (r) => survivors.set(r.id, r))
    const out = new Map<string, { id: string; status: MemberStatus }>()
    for (const { key, row } of found) {
      const live = row.status === 'merged' && row.merged_into_id ? survivors.get(row.merged_into_id) : row
      if (live && live.status !== 'erased' && live.status !== 'merged') out.set(key, { id: live.id, status: live.status })
    }
    return out
  }

  return {
    register, lookup, searchByName, lookupAlerts, get, list, exportRows, reveal, update, setFrozen, setConsent, withdrawConsent, consentHistory, previewMerge, merge, auditTrail,
    /** Every module's declaration of what it holds about a member, the members' own first (export and erasure loop over them). */
    memberData,
    /** For the import: the shared row builder and existence check. */
    internals: {
      /**
       * The live member a till or a receipt names (by id, phone, card or external code); merged
       * records resolve to the survivor. With `meterFor` (a till's quote: asking whether a phone is a member is a lookup too), a
       * key that finds nobody counts as that actor's miss, and an actor over the misses limit is
       * refused whatever it asks: one read by primary key on the hot path, a write only on a miss.
       */
      resolve: async (conn: Db | Trx, input: LookupInput & { id?: string }, meterFor?: Actor): Promise<MembersTable | undefined> => {
        if (input.id) {
          let row = await repo.findMemberById(conn, input.id)
          if (row?.status === 'merged' && row.merged_into_id) row = await repo.findMemberById(conn, row.merged_into_id)
          return row && row.status !== 'erased' ? row : undefined
        }
        if (!meterFor || meterFor.kind === 'system') return lookupRow(input, conn)
        const at = clock.now()
        const key = lookupKeyOf(meterFor, at)
        if (limits.missesPerHour > 0 && (await repo.lookupMisses(conn, key.actorKey, key.period)) >= limits.missesPerHour) throw missesLimited(at)
        const row = await lookupRow(input, conn)
        if (!row) await recordMiss(conn, meterFor, key)
        return row
      },
      resolveKeys,
      insertMany,
      applyUpdate,
      validateSync: (input: RegisterInput) => validateRegistration(input, false),
    },
  }
}

export type MembersService = ReturnType<typeof createMembersService>
