// Kysely table types of member events (migration 2026_12_16_0920). Times ISO-8601 UTC.

export const EVENT_KINDS = ['launch', 'talk', 'panel', 'other'] as const
export type EventKind = (typeof EVENT_KINDS)[number]
/** draft: being prepared; open: taking registrations; closed: registration over (check-in goes on); cancelled. */
export const EVENT_STATUSES = ['draft', 'open', 'closed', 'cancelled'] as const
export type EventStatus = (typeof EVENT_STATUSES)[number]
/** Where a registration was taken: the service desk, the till, the member's own page, a reply to the invitation. */
export const REGISTRATION_CHANNELS = ['desk', 'till', 'member_page', 'campaign'] as const
export type RegistrationChannel = (typeof REGISTRATION_CHANNELS)[number]
export const REGISTRATION_STATUSES = ['registered', 'cancelled', 'attended'] as const
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number]

export interface MemberEventsTable {
  id: string
  title: string
  kind: EventKind
  description: string | null
  store_id: string
  starts_at: string
  ends_at: string
  capacity: number
  /** registrations registered or attended: changed only with them, in one transaction */
  seats_taken: number
  /** the audience: a segment the invitation goes to */
  segment_id: string | null
  /** the invitation campaign, whose sent messages are the report's invited */
  campaign_id: string | null
  status: EventStatus
  version: number
  created_by: string | null
  created_at: string
  updated_by: string | null
  updated_at: string
}

export interface EventRegistrationsTable {
  id: string
  event_id: string
  member_id: string
  channel: RegistrationChannel
  status: RegistrationStatus
  registered_at: string
  /** a staff member's id, or a till's key id */
  registered_by: string | null
  cancelled_at: string | null
  checked_in_at: string | null
  checked_in_by: string | null
}

export interface MemberEventsTables {
  member_events: MemberEventsTable
  event_registrations: EventRegistrationsTable
}
