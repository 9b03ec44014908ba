import type { Db, Engine, Trx } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { actorName, assertCan, can, type Actor } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { conflict, forbidden, notFound, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { assertInScope, scopeOf } from '../../shared/scope.js'
import { countInactiveMembers, inactiveAmong, inactiveMembersPage, lastActivityOf, type InactiveAfter } from '../analytics/index.js'
import type { AuditService } from '../audit/index.js'
import { eraseMemberData, exportMemberData, memberState, memberSummaries, type MemberData, type MemberState } from '../members/index.js'
import type { OutboxService } from '../outbox/index.js'
import { personalDataZip } from './personal-data-zip.js'
import * as repo from './privacy.repository.js'
import type { ErasureChannel, ErasureRequestsTable, ErasureStatus } from './privacy.table.js'

// Personal data on request (PIPL, issue 16 §2): a copy of everything held on a person, and their
// erasure after the chain's cooling-off period. Both loop over the member-data declarations of
// every module (`MemberData`), so what a module declares is exported and erased with the rest.
// HQ's retention sweep lists the members inactive for the chain's retention years (analytics reads
// them across the modules' tables) and asks for their erasure the same way, channel 'retention'.

export interface PrivacySettings {
  /** days between a request to be erased and the erasure; 0 erases at once */
  coolingOffDays: number
  /** the retention sweep: members without activity for this many years are listed for erasure; 0 is off */
  retentionYears: number
  /** the last change of either setting */
  updatedAt: string | null
  updatedBy: string | null
}

/** A member the retention sweep lists: no activity since the cutoff (see analytics' retention reads). */
export interface InactiveMember {
  memberId: string
  cardNo: string
  nameMasked: string | null
  registrationStoreId: string | null
  registeredAt: string
  /** their latest receipt or points entry (expiries aside); null if they never had one */
  lastActivityAt: string | null
}

export interface RetentionList {
  retentionYears: number
  /** inactive since: the start (UTC) of the day `retentionYears` before today */
  cutoff: string
  /** every inactive member, across the pages */
  total: number
  items: InactiveMember[]
  nextCursor: string | null
}

export interface ErasureRequest {
  id: string
  memberId: string
  /** the member as staff see them (masked name, card); after the erasure, the erased record's new card */
  member: { nameMasked: string | null; cardNo: string } | null
  storeId: string | null
  status: ErasureStatus
  channel: ErasureChannel
  reason: string | null
  requestedBy: string | null
  requestedAt: string
  dueAt: string
  cancelledBy: string | null
  cancelledAt: string | null
  doneAt: string | null
  /** what the erasure did: the records erased (the person's and those merged into it) */
  result: { records: number } | null
}

export const DEFAULT_COOLING_OFF_DAYS = 15
export const MAX_COOLING_OFF_DAYS = 90
export const MAX_RETENTION_YEARS = 30
/** The job that erases the people whose cooling-off has ended (privacy.jobs.ts). */
export const RUN_ERASURES_JOB = 'privacy.runErasures'
const COOLING_OFF_KEY = 'erasure.coolingOffDays'
const RETENTION_KEY = 'retention.years'
const DAY_MS = 86_400_000
/** Members requested per transaction by the retention sweep: a chain's thousands in short transactions. */
const RETENTION_BATCH = 500

const encodeCursor = (after: InactiveAfter) => Buffer.from(`${after.registeredAt}|${after.id}`).toString('base64url')
const decodeCursor = (cursor: string): InactiveAfter => {
  const [registeredAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!registeredAt || !id || rest.length > 0 || Number.isNaN(Date.parse(registeredAt))) {
    throw unprocessable('VALIDATION', [{ field: 'cursor', reason: 'not a cursor from this list' }])
  }
  return { registeredAt, id }
}

export interface PrivacyDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  /** every module's member-data declarations (services.ts fills the list) */
  memberData: () => readonly MemberData[]
  /** queues the erasure job for when a retention sweep's requests fall due */
  outbox: Pick<OutboxService, 'enqueue'>
}

const toRequest = (r: ErasureRequestsTable, member: { nameMasked: string | null; cardNo: string } | null): ErasureRequest => ({
  id: r.id, memberId: r.member_id, member, storeId: r.store_id, status: r.status, channel: r.channel, reason: r.reason,
  requestedBy: r.requested_by, requestedAt: r.requested_at, dueAt: r.due_at, cancelledBy: r.cancelled_by, cancelledAt: r.cancelled_at,
  doneAt: r.done_at, result: r.result ? (JSON.parse(r.result) as { records: number }) : null,
})

export const createPrivacyService = ({ db, engine, audit, clock, memberData, outbox }: PrivacyDeps) => {
  const now = () => clock.now().toISOString()

  const views = async (rows: ErasureRequestsTable[]): Promise<ErasureRequest[]> => {
    const labels = await memberSummaries(db, rows.map((r) => r.member_id))
    return rows.map((r) => toRequest(r, labels.get(r.member_id) ?? null))
  }

  const coolingOffDays = async (): Promise<number> => {
    const row = await repo.readSetting(db, COOLING_OFF_KEY)
    return row ? Number(row.value) : DEFAULT_COOLING_OFF_DAYS
  }

  const retentionYears = async (): Promise<number> => {
    const row = await repo.readSetting(db, RETENTION_KEY)
    return row ? Number(row.value) : 0
  }

  const settings = async (actor: Actor): Promise<PrivacySettings> => {
    assertCan(actor, 'members.privacy')
    const [days, years] = await Promise.all([repo.readSetting(db, COOLING_OFF_KEY), repo.readSetting(db, RETENTION_KEY)])
    const last = [days, years].filter((r) => r !== undefined).sort((a, b) => a.updated_at.localeCompare(b.updated_at)).at(-1)
    return {
      coolingOffDays: days ? Number(days.value) : DEFAULT_COOLING_OFF_DAYS, retentionYears: years ? Number(years.value) : 0,
      updatedAt: last?.updated_at ?? null, updatedBy: last?.updated_by ?? null,
    }
  }

  /** Either setting or both (what is left out stays); audited with what changed. */
  const updateSettings = async (actor: Actor, input: { coolingOffDays?: number; retentionYears?: number }): Promise<PrivacySettings> => {
    assertCan(actor, 'chain.manage')
    const { coolingOffDays: days, retentionYears: years } = input
    if (days === undefined && years === undefined) {
      throw unprocessable('VALIDATION', [{ field: 'coolingOffDays', reason: 'give coolingOffDays, retentionYears or both' }])
    }
    if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > MAX_COOLING_OFF_DAYS)) {
      throw unprocessable('VALIDATION', [{ field: 'coolingOffDays', reason: `whole days from 0 to ${MAX_COOLING_OFF_DAYS}` }])
    }
    if (years !== undefined && (!Number.isInteger(years) || years < 0 || years > MAX_RETENTION_YEARS)) {
      throw unprocessable('VALIDATION', [{ field: 'retentionYears', reason: `whole years from 1 to ${MAX_RETENTION_YEARS}, or 0 for off` }])
    }
    const changes: Record<string, { from: number; to: number }> = {}
    if (days !== undefined) changes.coolingOffDays = { from: await coolingOffDays(), to: days }
    if (years !== undefined) changes.retentionYears = { from: await retentionYears(), to: years }
    await db.transaction().execute(async (trx) => {
      const by = { updated_by: actorName(actor), updated_at: now() }
      if (days !== undefined) await repo.writeSetting(trx, { key: COOLING_OFF_KEY, value: String(days), ...by })
      if (years !== undefined) await repo.writeSetting(trx, { key: RETENTION_KEY, value: String(years), ...by })
      await audit.record(trx, actor, { action: 'privacy.settings.update', entityType: 'privacy_settings', changes })
    })
    return settings(actor)
  }

  /**
   * The retention sweep is HQ's: it reads members of every store. Store (and region) roles are
   * refused even where their role may handle a person's own request.
   */
  const assertChainWide = (actor: Actor): void => {
    assertCan(actor, 'members.privacy')
    if (!can(actor, 'chain.manage') && scopeOf(actor).kind !== 'chain') {
      throw forbidden('FORBIDDEN', [], 'the retention sweep is for HQ: it covers the members of every store')
    }
  }

  /** The sweep's setting and cutoff, or 409 RETENTION_OFF when the chain has not turned it on. */
  const retentionCutoff = async (): Promise<{ years: number; cutoff: string }> => {
    const years = await retentionYears()
    if (years === 0) {
      throw conflict('RETENTION_OFF', [{ field: 'retentionYears', reason: 'the retention sweep is off: set retentionYears (1 to 30) in the privacy settings first' }])
    }
    // A day's start, so the list and the erasure that echoes its cutoff agree all day.
    const today = clock.now()
    const cutoff = new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate())).toISOString()
    return { years, cutoff }
  }

  /**
   * The members inactive for the chain's retention years (see analytics' retention reads for what
   * counts as activity), oldest registration first; those with an erasure pending left out.
   */
  const retention = async (actor: Actor, q: { cursor?: string; limit?: number } = {}): Promise<RetentionList> => {
    assertChainWide(actor)
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    const after = q.cursor ? decodeCursor(q.cursor) : null
    const { years, cutoff } = await retentionCutoff()
    const rows = await inactiveMembersPage(db, { cutoff, after, limit: limit + 1 })
    const page = rows.slice(0, limit)
    const [total, last] = await Promise.all([countInactiveMembers(db, cutoff), lastActivityOf(db, page.map((r) => r.id))])
    const tail = page.at(-1)
    return {
      retentionYears: years, cutoff, total,
      items: page.map((r) => ({
        memberId: r.id, cardNo: r.card_no, nameMasked: r.name_masked, registrationStoreId: r.registration_store_id, registeredAt: r.registered_at,
        lastActivityAt: last.get(r.id) ?? null,
      })),
      nextCursor: rows.length > limit && tail ? encodeCursor({ registeredAt: tail.registered_at, id: tail.id }) : null,
    }
  }

  /**
   * Asks for the erasure of the members the retention list showed (all of them, or some), each a
   * request of the channel 'retention' that waits out the cooling-off like one made at the desk.
   * `cutoff` is the list's: when the setting or the day has changed since, it no longer matches
   * and nothing is requested (409). Members whose erasure is pending already are skipped. Batched,
   * each batch one transaction, so thousands of members make short transactions; audited once for
   * the sweep and once per member.
   */
  const eraseInactive = async (actor: Actor, input: { cutoff: string; memberIds?: readonly string[] }): Promise<{ requested: number; skipped: number }> => {
    assertCan(actor, 'chain.manage')
    assertChainWide(actor)
    const asked = Date.parse(input.cutoff)
    if (Number.isNaN(asked)) throw unprocessable('VALIDATION', [{ field: 'cutoff', reason: 'the cutoff the list showed, as an ISO date-time' }])
    const { years, cutoff } = await retentionCutoff()
    if (asked !== Date.parse(cutoff)) {
      throw conflict('RETENTION_CUTOFF_CHANGED', [{ field: 'cutoff', reason: `the members inactive now are those since ${cutoff} (the setting or the day changed): list them again` }])
    }
    const ids = input.memberIds ? [...new Set(input.memberIds)] : null
    if (ids) {
      if (ids.length === 0) throw unprocessable('VALIDATION', [{ field: 'memberIds', reason: 'name at least one member, or leave memberIds out for all listed' }])
      const listed = new Set((await inactiveAmong(db, cutoff, ids)).map((m) => m.id))
      const unlisted = ids.filter((id) => !listed.has(id))
      if (unlisted.length > 0) {
        throw unprocessable('VALIDATION', unlisted.slice(0, 20).map((id) => ({ field: 'memberIds', reason: `${id} is not among the members inactive since ${cutoff}` })))
      }
    }
    const days = await coolingOffDays()
    const at = now()
    const dueAt = new Date(clock.now().getTime() + days * DAY_MS).toISOString()
    // Staff's note on the request: the rule that listed them, never anything about the person.
    const reason = `长期未活跃 ${years} 年`
    let requested = 0
    let skipped = 0

    /** Requests the erasure of these members (inactive, none pending: checked in this transaction). */
    const requestAll = async (trx: Trx, members: ReadonlyArray<{ id: string; registrationStoreId: string | null }>) => {
      const written = await repo.insertPendingRequests(trx, members.map((m) => ({
        id: newId('era'), member_id: m.id, store_id: m.registrationStoreId, status: 'pending' as const, channel: 'retention' as const, reason,
        requested_by: actorName(actor), requested_at: at, due_at: dueAt, cancelled_by: null, cancelled_at: null, done_at: null, result: null,
      })))
      for (const m of members) {
        if (!written.has(m.id)) continue
        await audit.record(trx, actor, { action: 'member.erasure_request', entityType: 'member', entityId: m.id, storeId: m.registrationStoreId, changes: { coolingOffDays: days, dueAt } })
      }
      // The job runs them when the cooling-off ends (the schedule would too, within 15 minutes).
      if (written.size > 0) await outbox.enqueue(trx, RUN_ERASURES_JOB, {}, { runAt: dueAt, key: `${RUN_ERASURES_JOB}:retention:${dueAt}` })
      requested += written.size
      skipped += members.length - written.size
    }

    if (ids) {
      for (let i = 0; i < ids.length; i += RETENTION_BATCH) {
        await db.transaction().execute(async (trx) => {
          const batch = ids.slice(i, i + RETENTION_BATCH)
          // Asked again in the transaction: one who bought meanwhile, or whose erasure was asked for, is skipped.
          const still = (await inactiveAmong(trx, cutoff, batch)).filter((m) => !m.pending)
          skipped += batch.length - still.length
          await requestAll(trx, still)
        })
      }
    } else {
      let after: InactiveAfter | null = null
      for (;;) {
        const page = await db.transaction().execute(async (trx) => {
          const rows = await inactiveMembersPage(trx, { cutoff, after, limit: RETENTION_BATCH })
          await requestAll(trx, rows.map((r) => ({ id: r.id, registrationStoreId: r.registration_store_id })))
          return rows
        })
        const tail = page.at(-1)
        if (!tail || page.length < RETENTION_BATCH) break
        after = { registeredAt: tail.registered_at, id: tail.id }
      }
    }
    await audit.record(db, actor, { action: 'privacy.retention_erase', entityType: 'privacy_settings', changes: { count: requested, skipped, retentionYears: years, cutoff } })
    return { requested, skipped }
  }

  /**
   * The person a copy or an erasure is for: known, in the actor's scope, not erased, and their
   * surviving record (a merged one is asked for through the survivor, which holds both).
   */
  const personOf = async (actor: Actor, memberId: string): Promise<MemberState> => {
    const state = await memberState(db, memberId)
    if (!state) throw notFound('MEMBER_NOT_FOUND', [{ field: 'memberId', reason: 'no such member' }])
    assertInScope(actor, state.registrationStoreId)
    if (state.status === 'erased') throw conflict('MEMBER_ERASED', [{ field: 'memberId', reason: 'this member has been erased already' }])
    if (state.status === 'merged') throw conflict('MEMBER_MERGED', [{ field: 'memberId', reason: `merged into ${state.mergedIntoId}: use the surviving record, which holds both` }])
    return state
  }

  /**
   * Everything Patron holds on the person (the member and every record merged into it) as a zip
   * of JSON and CSV; audited (who asked, not what was in it).
   */
  const exportPersonalData = async (actor: Actor, memberId: string): Promise<{ fileName: string; bytes: Uint8Array }> => {
    assertCan(actor, 'members.privacy')
    const state = await personOf(actor, memberId)
    const at = now()
    const data = await exportMemberData(db, memberData(), memberId)
    const cardNo = (await memberSummaries(db, [memberId])).get(memberId)?.cardNo ?? memberId
    const bytes = personalDataZip({ cardNo, generatedAt: at, data })
    await audit.record(db, actor, { action: 'member.personal_data_export', entityType: 'member', entityId: memberId, storeId: state.registrationStoreId, changes: { bytes: bytes.length } })
    return { fileName: `personal-data-${cardNo}-${at.slice(0, 10)}.zip`, bytes }
  }

  /** Erases the request's person now, in one transaction; false if the request was no longer pending. */
  const runRequest = async (id: string, actor: Actor): Promise<boolean> =>
    db.transaction().execute(async (trx) => {
      const r = await repo.findRequest(trx, id)
      if (!r || r.status !== 'pending') return false
      const at = now()
      // Claimed first: two workers (or a worker and a withdrawal) racing for it, one wins; on
      // PostgreSQL the other's update waits for this transaction and then finds it no longer pending.
      if (!(await repo.settleRequest(trx, id, { status: 'done', done_at: at }))) return false
      // A record merged since the request: the person is now the survivor (which holds both).
      let memberId = r.member_id
      for (let s = await memberState(trx, memberId); s?.status === 'merged' && s.mergedIntoId; s = await memberState(trx, memberId)) memberId = s.mergedIntoId
      const state = await memberState(trx, memberId)
      const erased = state && state.status !== 'erased' ? (await eraseMemberData(trx, memberData(), memberId, at)).erased : []
      const records = erased.length
      await repo.recordResult(trx, id, JSON.stringify({ records }))
      // A request's note is staff's free text and may name the person: every note on their records goes with them.
      await repo.clearReasons(trx, [...new Set([...erased, r.member_id])])
      await audit.record(trx, actor, { action: 'member.erase', entityType: 'member', entityId: memberId, storeId: r.store_id, changes: { records } })
      return true
    })

  /**
   * Records a person's request to be erased; the erasure runs when the chain's cooling-off period
   * has passed (the job `privacy.runErasures`), at once when it is 0 days. One pending request per
   * member; an erased member cannot be asked for again.
   */
  const requestErasure = async (actor: Actor, memberId: string, input: { reason?: string | null; channel?: ErasureChannel } = {}): Promise<ErasureRequest> => {
    assertCan(actor, 'members.privacy')
    const state = await personOf(actor, memberId)
    const reason = input.reason?.trim() || null
    if (reason && reason.length > 500) throw unprocessable('VALIDATION', [{ field: 'reason', reason: 'at most 500 characters' }])
    const days = await coolingOffDays()
    const at = now()
    const id = newId('era')
    const dueAt = new Date(clock.now().getTime() + days * DAY_MS).toISOString()
    await db.transaction().execute(async (trx) => {
      if (await repo.pendingOf(trx, memberId)) throw conflict('ERASURE_PENDING', [{ field: 'memberId', reason: 'an erasure of this member is pending already' }])
      await repo.insertRequest(trx, {
        id, member_id: memberId, store_id: state.registrationStoreId, status: 'pending', channel: input.channel ?? 'desk', reason,
        requested_by: actorName(actor), requested_at: at, due_at: dueAt,
        cancelled_by: null, cancelled_at: null, done_at: null, result: null,
      })
      await audit.record(trx, actor, { action: 'member.erasure_request', entityType: 'member', entityId: memberId, storeId: state.registrationStoreId, changes: { coolingOffDays: days, dueAt } })
    }).catch((err: unknown) => {
      // Two desks at once: the unique index keeps one pending request.
      if (isUniqueViolation(err, 'member_id') || isUniqueViolation(err, 'erasure_requests_pending_uq')) {
        throw conflict('ERASURE_PENDING', [{ field: 'memberId', reason: 'an erasure of this member is pending already' }])
      }
      throw err
    })
    if (days === 0 && await runRequest(id, actor)) await repo.scrubLog(db, engine)
    return get(actor, id)
  }

  const get = async (actor: Actor, id: string): Promise<ErasureRequest> => {
    assertCan(actor, 'members.privacy')
    const r = await repo.findRequest(db, id)
    if (!r) throw notFound('ERASURE_REQUEST_NOT_FOUND', [{ field: 'id', reason: 'no such request' }])
    assertInScope(actor, r.store_id, 'request')
    return (await views([r]))[0]!
  }

  /** Withdraws a pending request (the person changed their mind, or asked by mistake); audited. */
  const cancelErasure = async (actor: Actor, id: string): Promise<ErasureRequest> => {
    const r = await get(actor, id)
    await db.transaction().execute(async (trx) => {
      const done = await repo.settleRequest(trx, id, { status: 'cancelled', cancelled_at: now(), cancelled_by: actorName(actor) })
      if (!done) throw conflict('ERASURE_NOT_PENDING', [{ field: 'id', reason: `the request is ${(await repo.findRequest(trx, id))?.status ?? r.status}, not pending` }])
      await audit.record(trx, actor, { action: 'member.erasure_cancel', entityType: 'member', entityId: r.memberId, storeId: r.storeId, changes: { dueAt: r.dueAt } })
    })
    return get(actor, id)
  }

  /** Requests, newest first (store roles: their store's members'). */
  const list = async (actor: Actor, q: { status?: ErasureStatus; memberId?: string; cursor?: string; limit?: number } = {}): Promise<{ items: ErasureRequest[]; nextCursor: string | null }> => {
    assertCan(actor, 'members.privacy')
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    if (q.memberId) {
      const state = await memberState(db, q.memberId)
      if (!state) throw notFound('MEMBER_NOT_FOUND', [{ field: 'memberId', reason: 'no such member' }])
      assertInScope(actor, state.registrationStoreId)
      return { items: await views(await repo.requestsOf(db, q.memberId, q.status, limit)), nextCursor: null }
    }
    let before: { at: string; id: string } | undefined
    if (q.cursor) {
      const c = await repo.findRequest(db, q.cursor)
      if (!c) throw unprocessable('VALIDATION', [{ field: 'cursor', reason: 'unknown cursor' }])
      before = { at: c.requested_at, id: c.id }
    }
    const scope = scopeOf(actor)
    const rows = await repo.listRequests(db, { status: q.status, storeIds: scope.kind === 'chain' ? null : scope.storeIds, before, limit: limit + 1 })
    const page = rows.slice(0, limit)
    return { items: await views(page), nextCursor: rows.length > limit ? page.at(-1)!.id : null }
  }

  /** The job: every pending request whose cooling-off has ended, oldest first. */
  const runDue = async (options: { batch?: number } = {}): Promise<{ erased: number }> => {
    const system: Actor = { kind: 'system', name: 'privacy' }
    let erased = 0
    for (;;) {
      const due = await repo.dueRequests(db, now(), options.batch ?? 100)
      for (const r of due) if (await runRequest(r.id, system)) erased++
      if (due.length < (options.batch ?? 100)) break
    }
    if (erased > 0) await repo.scrubLog(db, engine)
    return { erased }
  }

  return { settings, updateSettings, retention, eraseInactive, exportPersonalData, requestErasure, cancelErasure, get, list, runDue }
}

export type PrivacyService = ReturnType<typeof createPrivacyService>
