import type { ErrorDetail } from '../../../shared/errors.js'
import { EVENT_KINDS, type EventKind, type EventStatus } from './events.table.js'

// Member events' pure rules: an event's fields, what its status allows, and the report's window
// and figures. No I/O, no clock.

export const MAX_CAPACITY = 100_000
/** An event lasts at most this long (a launch weekend, a week of talks). */
export const MAX_EVENT_DAYS = 31
export const DEFAULT_FOLLOW_UP_DAYS = 14
export const MAX_FOLLOW_UP_DAYS = 90

export interface EventFields {
  title: string
  kind: EventKind
  description: string | null
  storeId: string
  startsAt: string
  endsAt: string
  capacity: number
  segmentId: string | null
  campaignId: string | null
}

const DAY = 86_400_000
const INSTANT = /^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/
/** An ISO-8601 time with a zone, of a day that exists (Date would roll 30 February into March). */
export const isInstant = (v: string): boolean => {
  const m = INSTANT.exec(v)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const day = new Date(Date.UTC(y, mo - 1, d))
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d
}

/** Every problem of an event's fields at once (the field and the reason); `seatsTaken` for a change of capacity. */
export const eventProblems = (e: EventFields, seatsTaken = 0): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  if (e.title.trim().length === 0 || e.title.length > 100) out.push({ field: 'title', reason: 'from 1 to 100 characters' })
  if (!EVENT_KINDS.includes(e.kind)) out.push({ field: 'kind', reason: `one of ${EVENT_KINDS.join(', ')}` })
  if (e.description !== null && e.description.length > 2000) out.push({ field: 'description', reason: 'at most 2000 characters' })
  if (!e.storeId) out.push({ field: 'storeId', reason: 'a store' })
  const starts = isInstant(e.startsAt)
  const ends = isInstant(e.endsAt)
  if (!starts) out.push({ field: 'startsAt', reason: 'a time (ISO-8601)' })
  if (!ends) out.push({ field: 'endsAt', reason: 'a time (ISO-8601)' })
  if (starts && ends) {
    const length = new Date(e.endsAt).getTime() - new Date(e.startsAt).getTime()
    if (length <= 0) out.push({ field: 'endsAt', reason: 'after the start' })
    else if (length > MAX_EVENT_DAYS * DAY) out.push({ field: 'endsAt', reason: `at most ${MAX_EVENT_DAYS} days after the start` })
  }
  if (!Number.isInteger(e.capacity) || e.capacity < 1 || e.capacity > MAX_CAPACITY) out.push({ field: 'capacity', reason: `a whole number from 1 to ${MAX_CAPACITY}` })
  else if (e.capacity < seatsTaken) out.push({ field: 'capacity', reason: `below the seats taken (${seatsTaken})` })
  return out
}

/** What an event's status lets staff do: registering needs it open; checking in, open or closed (on the day, after registration closed). */
export const STATUS_ALLOWS: Record<'register' | 'check_in' | 'cancel_registration' | 'edit', readonly EventStatus[]> = {
  register: ['open'],
  check_in: ['open', 'closed'],
  cancel_registration: ['open', 'closed'],
  edit: ['draft', 'open', 'closed'],
}

/** The statuses an event moves from, to each status. */
export const TRANSITIONS: Record<'open' | 'close' | 'cancel', { from: readonly EventStatus[]; to: EventStatus }> = {
  open: { from: ['draft', 'closed'], to: 'open' },
  close: { from: ['open'], to: 'closed' },
  cancel: { from: ['draft', 'open', 'closed'], to: 'cancelled' },
}

/**
 * The window whose purchases the report counts: from the event's start (what attendees buy on the
 * day counts) to `days` after its end, cut at `now` while it is still open (`partial`; empty
 * before the start); `upTo` is the exclusive end the query uses.
 */
export const followUpWindow = (startsAt: string, endsAt: string, days: number, now: Date) => {
  const end = new Date(new Date(endsAt).getTime() + days * DAY)
  const partial = end.getTime() > now.getTime()
  // Before the event the window is empty: it ends where it starts.
  const early = now.getTime() < new Date(startsAt).getTime()
  return {
    from: startsAt,
    to: partial ? (early ? startsAt : now.toISOString()) : end.toISOString(),
    partial,
    upTo: partial ? (early ? startsAt : new Date(now.getTime() + 1).toISOString()) : end.toISOString(),
  }
}

export interface GroupFigures {
  members: number
  /** members with a sale in the window */
  buyers: number
  /** sales receipts */
  receipts: number
  /** net sales (returns taken off), fen */
  sales: number
  buyRate: number | null
  salesPerMember: number | null
}

/** A group's figures from its members' purchases (members who bought nothing are absent from `purchases`). */
export const groupFigures = (memberIds: readonly string[], purchases: ReadonlyMap<string, { receipts: number; net: number }>): GroupFigures => {
  let buyers = 0
  let receipts = 0
  let sales = 0
  for (const id of memberIds) {
    const p = purchases.get(id)
    if (!p) continue
    if (p.receipts > 0) buyers++
    receipts += p.receipts
    sales += p.net
  }
  const members = memberIds.length
  return { members, buyers, receipts, sales, buyRate: members ? buyers / members : null, salesPerMember: members ? sales / members : null }
}

/** Attended ÷ seats taken (registered and attended), or null with none. */
export const attendanceRate = (attended: number, registered: number): number | null => (registered > 0 ? attended / registered : null)
