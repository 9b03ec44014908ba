import type { Db, Engine } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { actorName, assertCan, type Actor } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { conflict, notFound, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { assertInScope, scopeOf } from '../../shared/scope.js'
import type { AuditService } from '../audit/index.js'
import { eraseMemberData, exportMemberData, memberState, memberSummaries, type MemberData, type MemberState } from '../members/index.js'
import { personalDataZip } from './personal-data-zip.js'
import * as repo from './privacy.repository.js'
import type { ErasureChannel, ErasureRequestsTable, ErasureStatus } from './privacy.table.js'

// Personal data on request (PIPL, issue 16 §2): a copy of everything held on a person, and their
// erasure after the chain's cooling-off period. Both loop over the member-data declarations of
// every module (`MemberData`), so what a module declares is exported and erased with the rest.

export interface PrivacySettings {
  /** days between a request to be erased and the erasure; 0 erases at once */
  coolingOffDays: number
  updatedAt: string | null
  updatedBy: string | null
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
const COOLING_OFF_KEY = 'erasure.coolingOffDays'
const DAY_MS = 86_400_000

export interface PrivacyDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  /** every module's member-data declarations (services.ts fills the list) */
  memberData: () => readonly MemberData[]
}

const toRequest = (r: ErasureRequestsTable, member: { nameMasked: string | null; cardNo: string } | null): ErasureRequest => ({
  id: r.id, memberId: r.member_id, member, storeId: r.store_id, status: r.status, channel: r.channel, reason: r.reason,
  requestedBy: r.requested_by, requestedAt: r.requested_at, dueAt: r.due_at, cancelledBy: r.cancelled_by, cancelledAt: r.cancelled_at,
  doneAt: r.done_at, result: r.result ? (JSON.parse(r.result) as { records: number }) : null,
})

export const createPrivacyService = ({ db, engine, audit, clock, memberData }: PrivacyDeps) => {
  const now = () => clock.now().toISOString()

  const views = async (rows: ErasureRequestsTable[]): Promise<ErasureRequest[]> => {
    const labels = await memberSummaries(db, rows.map((r) => r.member_id))
    return rows.map((r) => toRequest(r, labels.get(r.member_id) ?? null))
  }

  const coolingOffDays = async (): Promise<number> => {
    const row = await repo.readSetting(db, COOLING_OFF_KEY)
    return row ? Number(row.value) : DEFAULT_COOLING_OFF_DAYS
  }

  const settings = async (actor: Actor): Promise<PrivacySettings> => {
    assertCan(actor, 'members.privacy')
    const row = await repo.readSetting(db, COOLING_OFF_KEY)
    return { coolingOffDays: row ? Number(row.value) : DEFAULT_COOLING_OFF_DAYS, updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null }
  }

  const updateSettings = async (actor: Actor, input: { coolingOffDays: number }): Promise<PrivacySettings> => {
    assertCan(actor, 'chain.manage')
    const days = input.coolingOffDays
    if (!Number.isInteger(days) || days < 0 || days > MAX_COOLING_OFF_DAYS) {
      throw unprocessable('VALIDATION', [{ field: 'coolingOffDays', reason: `whole days from 0 to ${MAX_COOLING_OFF_DAYS}` }])
    }
    const before = await coolingOffDays()
    await db.transaction().execute(async (trx) => {
      await repo.writeSetting(trx, { key: COOLING_OFF_KEY, value: String(days), updated_by: actorName(actor), updated_at: now() })
      await audit.record(trx, actor, { action: 'privacy.settings.update', entityType: 'privacy_settings', changes: { coolingOffDays: { from: before, to: days } } })
    })
    return settings(actor)
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

  return { settings, updateSettings, exportPersonalData, requestErasure, cancelErasure, get, list, runDue }
}

export type PrivacyService = ReturnType<typeof createPrivacyService>
