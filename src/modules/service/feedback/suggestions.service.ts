import { randomInt } from 'node:crypto'
import { diffFields, type AuditService } from '../../audit/index.js'
import type { Db, Trx } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import { actorStaffId, assertCan } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { notFound, tooManyRequests, unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { maskName, maskPhone, type Keyring } from '../../../shared/pii.js'
import { assertInScope, scopeOf, scopeWithFilter, storeFilterFor } from '../../../shared/scope.js'
import { addDays, dateIn, parseLocalDateTime } from '../../../shared/time.js'
import { staffUsersByIds } from '../../auth/index.js'
import { assertLive, memberSummaries, normalizePhone } from '../../members/index.js'
import { storeByCode, storeById, storeNamesByIds } from '../../org/index.js'
import type { SuggestionChannel, SuggestionsTable, SuggestionStatus } from './feedback.table.js'
import * as repo from './suggestions.repository.js'
import { SUGGESTION_CATEGORIES, SUGGESTION_TEXT_MAX } from './suggestions.schemas.js'

export type SuggestionCategory = typeof SUGGESTION_CATEGORIES[number]

export interface SuggestionsDeps {
  db: Db
  audit: AuditService
  clock: Clock
  timezone: string
  keyring: Keyring
}

export interface Suggestion {
  id: string
  number: string
  memberId: string | null
  memberCardNo: string | null
  memberName: string | null
  contact: string | null
  storeId: string | null
  storeName: string | null
  category: SuggestionCategory
  channel: SuggestionChannel
  text: string
  status: SuggestionStatus
  reply: string | null
  changeNote: string | null
  handledBy: string | null
  handledByName: string | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
  repliedAt: string | null
  decidedAt: string | null
}

export interface SuggestionInput {
  memberId?: string | null
  contactName?: string | null
  contactPhone?: string | null
  storeId?: string | null
  category: SuggestionCategory
  channel?: SuggestionChannel
  text: string
}

export interface SuggestionPatch {
  status?: SuggestionStatus
  category?: SuggestionCategory
  reply?: string | null
  changeNote?: string | null
}

/** Public form: at most this many suggestions from one address an hour. */
export const PUBLIC_PER_HOUR = 5
const HOUR_MS = 60 * 60 * 1000

interface Names { stores: Map<string, { name: string }>; members: Map<string, { nameMasked: string | null; cardNo: string }>; staff: Map<string, string> }

const toSuggestion = (r: repo.SuggestionRow, n: Names): Suggestion => ({
  id: r.id, number: r.number, memberId: r.member_id, memberCardNo: r.member_id ? (n.members.get(r.member_id)?.cardNo ?? null) : null,
  memberName: r.member_id ? (n.members.get(r.member_id)?.nameMasked ?? null) : null, contact: r.contact_masked,
  storeId: r.store_id, storeName: r.store_id ? (n.stores.get(r.store_id)?.name ?? null) : null, category: r.category as SuggestionCategory, channel: r.channel, text: r.text, status: r.status,
  reply: r.reply, changeNote: r.change_note, handledBy: r.handled_by, handledByName: r.handled_by ? (n.staff.get(r.handled_by) ?? null) : null, createdBy: r.created_by,
  createdAt: r.created_at, updatedAt: r.updated_at, repliedAt: r.replied_at, decidedAt: r.decided_at,
})

const CODE = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
/** S + the local date + 4 symbols without look-alikes: read out at the desk, unique without a counter. */
const newNumber = (date: string) => `S${date.replaceAll('-', '').slice(2)}${Array.from({ length: 4 }, () => CODE[randomInt(CODE.length)]).join('')}`

/** Which statuses a suggestion may move to: a decided one can be reopened for review, never silently flipped. */
const NEXT: Record<SuggestionStatus, readonly SuggestionStatus[]> = {
  received: ['under_review', 'adopted', 'declined'],
  under_review: ['received', 'adopted', 'declined'],
  adopted: ['under_review'],
  declined: ['under_review'],
}

const notFoundErr = () => notFound('SUGGESTION_NOT_FOUND', [{ field: 'id', reason: 'no such suggestion' }])

/** The suggestion box (意见箱, issue 14 §2). */
export const createSuggestionsService = ({ db, audit, clock, timezone, keyring }: SuggestionsDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)
  /** Suggestions with their store's, member's and handler's names (each module asked for its own). */
  const withNames = async (conn: Db | Trx, rows: repo.SuggestionRow[]): Promise<Suggestion[]> => {
    const [stores, members, staff] = await Promise.all([
      storeNamesByIds(conn, rows.map((r) => r.store_id)),
      memberSummaries(conn, rows.flatMap((r) => (r.member_id ? [r.member_id] : []))),
      staffUsersByIds(conn, rows.flatMap((r) => (r.handled_by ? [r.handled_by] : []))),
    ])
    const names: Names = { stores, members, staff: new Map(staff.map((u) => [u.id, u.displayName || u.username])) }
    return rows.map((r) => toSuggestion(r, names))
  }
  const one = async (conn: Db | Trx, row: repo.SuggestionRow) => (await withNames(conn, [row]))[0]!
  const startOf = (date: string) => parseLocalDateTime(`${date} 00:00:00`, timezone)!.toISOString()

  const window = (from?: string, to?: string, defaultDays?: number): { fromAt?: string; toAt?: string; from?: string; to?: string } => {
    if (from && to && from > to) throw unprocessable('VALIDATION', [{ field: 'from', reason: 'after to' }])
    const f = from ?? (defaultDays ? addDays(to ?? today(), -defaultDays) : undefined)
    const t = to ?? (defaultDays ? today() : undefined)
    return { from: f, to: t, fromAt: f ? startOf(f) : undefined, toAt: t ? startOf(addDays(t, 1)) : undefined }
  }

  /** The contact of an anonymous customer: encrypted, and masked for lists. */
  const contactOf = (name: string | null | undefined, phone: string | null | undefined, details: ErrorDetail[]) => {
    const n = name?.trim() || null
    let p: string | null = null
    if (phone?.trim()) {
      p = normalizePhone(phone)
      if (!p) details.push({ field: 'contactPhone', reason: 'not a mobile number' })
    }
    return {
      contact_name_enc: n ? keyring.encrypt('name', n) : null,
      contact_phone_enc: p ? keyring.encrypt('phone', p) : null,
      contact_masked: [n ? maskName(n) : null, p ? maskPhone(p) : null].filter(Boolean).join(' ') || null,
    }
  }

  const checkText = (text: string, details: ErrorDetail[]) => {
    const t = text.trim()
    if (!t) details.push({ field: 'text', reason: 'empty' })
    if ([...t].length > SUGGESTION_TEXT_MAX) details.push({ field: 'text', reason: `at most ${SUGGESTION_TEXT_MAX} characters` })
    return t
  }

  const insert = async (row: Omit<SuggestionsTable, 'number' | 'month'>, actor: Actor | null): Promise<Suggestion> => {
    const date = today()
    const full: SuggestionsTable = { ...row, number: newNumber(date), month: date.slice(0, 7) }
    return db.transaction().execute(async (trx) => {
      await repo.insertSuggestion(trx, full)
      await audit.record(trx, actor ?? { kind: 'system', name: 'public suggestion form' }, {
        action: 'suggestion.create', entityType: 'suggestion', entityId: full.id, storeId: full.store_id,
        changes: { category: full.category, storeId: full.store_id, memberId: full.member_id },
      })
      return one(trx, (await repo.findSuggestion(trx, full.id))!)
    })
  }

  const create = async (actor: Actor, input: SuggestionInput): Promise<Suggestion> => {
    assertCan(actor, 'service.intake')
    const details: ErrorDetail[] = []
    const text = checkText(input.text, details)
    const contact = contactOf(input.contactName, input.contactPhone, details)
    if (details.length) throw unprocessable('VALIDATION', details)
    if (input.memberId) await assertLive(db, input.memberId)
    // A store's staff record suggestions for their own store; HQ names one or none.
    const storeId = storeFilterFor(actor, input.storeId ?? null) ?? input.storeId ?? null
    if (storeId && !(await storeById(db, storeId))) throw unprocessable('STORE_NOT_FOUND', [{ field: 'storeId', reason: 'no such store' }])
    const at = now()
    return insert({
      id: newId('sug'), member_id: input.memberId ?? null, ...contact, store_id: storeId || null, category: input.category,
      channel: input.channel ?? (actor.kind === 'pos' ? 'receipt_qr' : 'desk'), text, status: 'received', reply: null, change_note: null,
      handled_by: null, ip_hash: null, created_by: actorStaffId(actor) ?? (actor.kind === 'pos' ? actor.keyId : null), created_at: at, updated_at: at,
      replied_at: null, decided_at: null,
    }, actor)
  }

  /** The public form (the receipt's QR code): no sign-in, so a few per address an hour. */
  const submitPublic = async (input: { storeCode?: string | null; category: SuggestionCategory; text: string; contactName?: string | null; contactPhone?: string | null; ip: string }) => {
    const details: ErrorDetail[] = []
    const text = checkText(input.text, details)
    const contact = contactOf(input.contactName, input.contactPhone, details)
    if (details.length) throw unprocessable('VALIDATION', details)
    const ipHash = keyring.blindIndex('suggestion_ip', input.ip)
    const at = now()
    if (await repo.countFromAddress(db, ipHash, new Date(clock.now().getTime() - HOUR_MS).toISOString()) >= PUBLIC_PER_HOUR) {
      throw tooManyRequests('SUGGESTION_THROTTLED', 3600, 'too many suggestions from this address; try again later')
    }
    let storeId: string | null = null
    if (input.storeCode?.trim()) {
      const store = await storeByCode(db, input.storeCode.trim())
      if (!store) throw unprocessable('STORE_NOT_FOUND', [{ field: 'storeCode', reason: 'no such store' }])
      storeId = store.id
    }
    const s = await insert({
      id: newId('sug'), member_id: null, ...contact, store_id: storeId, category: input.category, channel: 'receipt_qr', text, status: 'received',
      reply: null, change_note: null, handled_by: null, ip_hash: ipHash, created_by: null, created_at: at, updated_at: at, replied_at: null, decided_at: null,
    }, null)
    return { number: s.number, status: s.status, createdAt: s.createdAt }
  }

  const load = async (actor: Actor, id: string) => {
    const row = await repo.findSuggestion(db, id)
    if (!row) throw notFoundErr()
    assertInScope(actor, row.store_id, 'suggestion')
    return row
  }

  const limitOf = (limit?: number) => Math.min(Math.max(limit ?? 50, 1), 200)

  const list = async (actor: Actor, f: {
    status?: SuggestionStatus; category?: SuggestionCategory; channel?: SuggestionChannel; storeId?: string; from?: string; to?: string; q?: string; cursor?: string; limit?: number
  } = {}): Promise<{ items: Suggestion[]; nextCursor: string | null }> => {
    assertCan(actor, 'service.read')
    const scope = scopeWithFilter(actor, f.storeId)
    const { fromAt, toAt } = window(f.from, f.to)
    const limit = limitOf(f.limit)
    // LIKE's wildcards are dropped from the search rather than escaped (escaping differs by engine).
    const text = f.q?.replace(/[%_]/g, '').trim() || undefined
    const rows = await repo.listSuggestions(db, { scope, status: f.status, category: f.category, channel: f.channel, fromAt, toAt, text, cursor: f.cursor, limit: limit + 1 })
    const items = await withNames(db, rows.slice(0, limit))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const get = async (actor: Actor, id: string): Promise<Suggestion> => {
    assertCan(actor, 'service.read')
    return one(db, await load(actor, id))
  }

  const update = async (actor: Actor, id: string, patch: SuggestionPatch): Promise<Suggestion> => {
    assertCan(actor, 'service.handle')
    return db.transaction().execute(async (trx) => {
      const before = await repo.findSuggestion(trx, id)
      if (!before) throw notFoundErr()
      assertInScope(actor, before.store_id, 'suggestion')
      const details: ErrorDetail[] = []
      const status = patch.status ?? before.status
      if (status !== before.status && !NEXT[before.status].includes(status)) {
        throw unprocessable('SUGGESTION_STATUS', [{ field: 'status', reason: `a suggestion ${before.status} cannot become ${status}` }])
      }
      const reply = patch.reply !== undefined ? (patch.reply?.trim() || null) : before.reply
      const changeNote = patch.changeNote !== undefined ? (patch.changeNote?.trim() || null) : before.change_note
      if (status === 'adopted' && !changeNote) details.push({ field: 'changeNote', reason: 'say what changed to adopt a suggestion' })
      if (status === 'declined' && !reply) details.push({ field: 'reply', reason: 'tell the customer why it is declined' })
      if (details.length) throw unprocessable('SUGGESTION_INCOMPLETE', details)
      const at = now()
      const changes: Partial<SuggestionsTable> = {
        status, category: patch.category ?? before.category, reply, change_note: changeNote, handled_by: actorStaffId(actor) ?? before.handled_by, updated_at: at,
        replied_at: reply !== before.reply ? (reply ? at : null) : before.replied_at,
        decided_at: status !== before.status ? (status === 'adopted' || status === 'declined' ? at : null) : before.decided_at,
      }
      await repo.updateSuggestion(trx, id, changes)
      const pick = (r: Partial<SuggestionsTable>) => ({ status: r.status, category: r.category, reply: r.reply, changeNote: r.change_note })
      await audit.record(trx, actor, {
        action: status === before.status ? 'suggestion.update' : status === 'adopted' ? 'suggestion.adopt' : status === 'declined' ? 'suggestion.decline' : 'suggestion.review', entityType: 'suggestion', entityId: id, storeId: before.store_id,
        changes: diffFields(pick(before), pick(changes)),
      })
      return one(trx, (await repo.findSuggestion(trx, id))!)
    })
  }

  const memberSuggestions = async (actor: Actor, memberId: string, page: { cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'service.read')
    await assertLive(db, memberId)
    const limit = limitOf(page.limit)
    const rows = await repo.listSuggestions(db, { scope: scopeOf(actor), memberId, cursor: page.cursor, limit: limit + 1 })
    const items = await withNames(db, rows.slice(0, limit))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  /**
   * Monthly counts by category and store over a window (default: the last 12 months), with the
   * adopted suggestions and what changed. A suggestion counts in the month it came in.
   */
  const stats = async (actor: Actor, q: { from?: string; to?: string; storeId?: string } = {}) => {
    assertCan(actor, 'service.read')
    const scope = scopeWithFilter(actor, q.storeId)
    const w = window(q.from, q.to, 365)
    const [rows, adoptedRows] = await Promise.all([repo.monthlyCounts(db, scope, w.fromAt!, w.toAt!), repo.adoptedIn(db, scope, w.fromAt!, w.toAt!, 200)])
    const storeNames = await storeNamesByIds(db, [...rows, ...adoptedRows].map((r) => r.store_id))
    const storeName = (id: string | null) => (id ? (storeNames.get(id)?.name ?? null) : null)
    const sum = <K extends string>(key: (r: typeof rows[number]) => K) => {
      const m = new Map<K, { count: number; adopted: number; r: typeof rows[number] }>()
      for (const r of rows) {
        const k = key(r)
        const e = m.get(k) ?? { count: 0, adopted: 0, r }
        e.count += Number(r.n)
        if (r.status === 'adopted') e.adopted += Number(r.n)
        m.set(k, e)
      }
      return m
    }
    const months = [...sum((r) => `${r.month}|${r.category}|${r.store_id ?? ''}`).values()]
      .map(({ count, r }) => ({ month: r.month, category: r.category as SuggestionCategory, storeId: r.store_id, storeName: storeName(r.store_id), count }))
    const categories = sum((r) => r.category)
    const byCategory = SUGGESTION_CATEGORIES.map((c) => {
      const e = categories.get(c)
      return { category: c, count: e?.count ?? 0, adopted: e?.adopted ?? 0 }
    })
    const byStore = [...sum((r) => r.store_id ?? '').values()]
      .map(({ count, adopted, r }) => ({ storeId: r.store_id, storeName: storeName(r.store_id), count, adopted }))
      .sort((a, b) => b.count - a.count)
    const statuses: SuggestionStatus[] = ['received', 'under_review', 'adopted', 'declined']
    const byStatusMap = sum((r) => r.status)
    const byStatus = statuses.map((s) => ({ status: s, count: byStatusMap.get(s)?.count ?? 0 }))
    const adopted = adoptedRows.map((r) => ({
      id: r.id, number: r.number, category: r.category as SuggestionCategory, storeId: r.store_id, storeName: storeName(r.store_id), text: r.text,
      changeNote: r.change_note, reply: r.reply, createdAt: r.created_at, decidedAt: r.decided_at,
    }))
    return { from: w.from!, to: w.to!, total: byStatus.reduce((a, s) => a + s.count, 0), byStatus, byCategory, byStore, months, adopted }
  }

  return { create, submitPublic, list, get, update, memberSuggestions, stats }
}

export type SuggestionsService = ReturnType<typeof createSuggestionsService>
