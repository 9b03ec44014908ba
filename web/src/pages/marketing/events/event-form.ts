import dayjs, { type Dayjs } from 'dayjs'
import type { Schemas } from '../../../api/client.js'
import type { paths } from '../../../api/schema.js'
import { fromZoneWallTime, nowInZone, toZoneWallTime } from '../../loyalty/zone-time.js'

// The event form's values and the API's body both ways, an event's time in words, what its status
// lets whom do, and the API's reasons in words. Pure, so each is tested on its own.

export type MemberEvent = Schemas['MemberEvent']
export type Registration = Schemas['EventRegistration']
export type EventStatus = MemberEvent['status']
export type EventKind = MemberEvent['kind']
export type RegistrationStatus = Registration['status']
export type RegistrationChannel = Registration['channel']
export type EventBody = paths['/api/v1/marketing/events']['post']['requestBody']['content']['application/json']
export type EventReport = paths['/api/v1/marketing/events/{id}/report']['get']['responses']['200']['content']['application/json']
export type MemberEventEntry = paths['/api/v1/members/{id}/events']['get']['responses']['200']['content']['application/json']['items'][number]

export const EVENT_KINDS: EventKind[] = ['launch', 'talk', 'panel', 'other']
export const EVENT_STATUSES: EventStatus[] = ['draft', 'open', 'closed', 'cancelled']
export const REGISTRATION_STATUSES: RegistrationStatus[] = ['registered', 'attended', 'cancelled']
export const REGISTRATION_CHANNELS: RegistrationChannel[] = ['desk', 'till', 'member_page', 'campaign']
export const STATUS_COLORS: Record<EventStatus, string> = { draft: 'default', open: 'green', closed: 'blue', cancelled: 'red' }
export const REGISTRATION_COLORS: Record<RegistrationStatus, string> = { registered: 'blue', attended: 'green', cancelled: 'default' }
export const KIND_COLORS: Record<EventKind, string> = { launch: 'magenta', talk: 'cyan', panel: 'gold', other: 'default' }

/** Field names follow the API's, so its field errors land on them; times are the pickers' wall times in the chain's zone. */
export interface EventFormValues {
  title: string
  kind: EventKind
  storeId?: string
  startsAt?: Dayjs | null
  endsAt?: Dayjs | null
  capacity?: number | null
  segmentId?: string | null
  campaignId?: string | null
  description?: string | null
}

/** A new event: a talk, a week from now at 14:00 to 16:00 in the chain's zone, 30 seats. */
export const emptyEvent = (tz: string, now = new Date()): EventFormValues => {
  const start = nowInZone(tz, now).add(7, 'day').hour(14).minute(0)
  return { title: '', kind: 'talk', startsAt: start, endsAt: start.add(2, 'hour'), capacity: 30, segmentId: null, campaignId: null, description: null }
}

export const toFormValues = (e: MemberEvent, tz: string): EventFormValues => ({
  title: e.title, kind: e.kind, storeId: e.storeId, startsAt: toZoneWallTime(e.startsAt, tz), endsAt: toZoneWallTime(e.endsAt, tz), capacity: e.capacity,
  segmentId: e.segmentId, campaignId: e.campaignId, description: e.description,
})

/** The body of a create (and of a change, with the version read). */
export const toEventBody = (v: EventFormValues, tz: string): EventBody => ({
  title: v.title.trim(),
  kind: v.kind,
  storeId: v.storeId ?? '',
  startsAt: v.startsAt ? fromZoneWallTime(v.startsAt, tz) : '',
  endsAt: v.endsAt ? fromZoneWallTime(v.endsAt, tz) : '',
  capacity: v.capacity ?? 0,
  segmentId: v.segmentId ?? null,
  campaignId: v.campaignId ?? null,
  description: v.description?.trim() || null,
})

/** An event's time in the chain's zone: one day shows its date once (2026-04-10 14:00–16:00). */
export const eventTimeText = (e: Pick<MemberEvent, 'startsAt' | 'endsAt'>, tz: string): string => {
  const s = dayjs(e.startsAt).tz(tz)
  const end = dayjs(e.endsAt).tz(tz)
  return s.format('YYYY-MM-DD') === end.format('YYYY-MM-DD')
    ? `${s.format('YYYY-MM-DD HH:mm')}–${end.format('HH:mm')}`
    : `${s.format('YYYY-MM-DD HH:mm')} – ${end.format('YYYY-MM-DD HH:mm')}`
}

export type EventAction = 'edit' | 'open' | 'close' | 'cancel'

/** What the signed-in user may do to an event now (the server checks each again). */
export const eventActions = (status: EventStatus, manage: boolean): EventAction[] => {
  if (!manage || status === 'cancelled') return []
  const out: EventAction[] = ['edit']
  if (status === 'draft' || status === 'closed') out.push('open')
  if (status === 'open') out.push('close')
  out.push('cancel')
  return out
}

/**
 * Words for the API's reasons that the form can say in the user's language (keys of
 * marketing:events.form.reasons); other reasons show as sent.
 */
export const reasonKey = (reason: string): string | null => {
  if (reason === 'after the start') return 'after'
  if (/^at most \d+ days after the start$/.test(reason)) return 'tooLong'
  if (reason === 'not found') return 'notFound'
  if (/^below the seats taken/.test(reason)) return 'belowSeats'
  if (reason === 'members have registered at this store') return 'storeLocked'
  if (reason === 'a time (ISO-8601)') return 'time'
  return null
}
