import type { ContactPreference, EscalationStep, Severity, TeamKind, TicketChannel, TicketEventKind, TicketKind, TicketStatus } from './ticket-rules.js'

// Kysely table types of the service desk (migration 2026_12_14_0900). Booleans are 0/1 integers,
// JSON is text, times ISO-8601 UTC.

export interface ServiceTeamsTable {
  id: string
  name: string
  kind: TeamKind
  store_id: string | null
  lead_user_id: string | null
  /** JSON WeeklyHours, or null: the desk's default hours */
  working_hours: string | null
  active: number
  created_at: string
  updated_at: string
}

export interface ServiceTeamMembersTable {
  team_id: string
  user_id: string
  added_at: string
}

export interface ServiceCategoriesTable {
  id: string
  parent_id: string | null
  name: string
  name_en: string | null
  sort: number
  active: number
  created_at: string
  updated_at: string
}

export interface ServiceSlaPoliciesTable {
  id: string
  category_id: string | null
  /** category_id or '*' (the default): unique with severity on both engines, where nulls are distinct */
  category_key: string
  severity: Severity
  first_response_minutes: number
  resolution_minutes: number
  remind_before_minutes: number
  updated_by: string | null
  updated_at: string
}

export interface ServiceSettingsTable {
  key: string
  value: string
  updated_by: string | null
  updated_at: string
}

export interface TicketCountersTable {
  day: string
  last: number
}

export interface TicketsTable {
  id: string
  ticket_no: string
  kind: TicketKind
  member_id: string | null
  contact_name_enc: string | null
  contact_name_masked: string | null
  contact_phone_enc: string | null
  contact_phone_masked: string | null
  store_id: string
  category_id: string
  severity: Severity
  channel: TicketChannel
  description: string
  receipt_id: string | null
  product_id: string | null
  preferred_contact: ContactPreference
  status: TicketStatus
  team_id: string | null
  assignee_id: string | null
  first_response_due_at: string | null
  resolution_due_at: string | null
  /** when the reminder before each deadline is due (remind_before working minutes ahead) */
  first_response_remind_at: string | null
  resolution_remind_at: string | null
  first_response_reminded_at: string | null
  resolution_reminded_at: string | null
  first_response_breached_at: string | null
  resolution_breached_at: string | null
  first_responded_at: string | null
  resolved_at: string | null
  closed_at: string | null
  escalation_level: number
  escalated_to: EscalationStep | null
  escalated_user_id: string | null
  escalated_at: string | null
  outcome: string | null
  reopen_count: number
  /** working minutes from intake to the first response / the (last) resolution, written when they happen */
  first_response_minutes: number | null
  resolution_minutes: number | null
  version: number
  /** the local date of intake (what reports group by) */
  business_date: string
  created_by: string | null
  created_at: string
  updated_at: string
}

export interface TicketEventsTable {
  id: string
  ticket_id: string
  kind: TicketEventKind
  actor_id: string | null
  actor_name: string | null
  body: string | null
  channel: string | null
  /** JSON object */
  data: string
  at: string
}

export interface TicketPhotosTable {
  id: string
  ticket_id: string
  content_type: string
  size: number
  /** base64 of the image: one format on both engines; API processes keep no files */
  data: string
  uploaded_by: string | null
  created_at: string
}

export interface TicketCompensationsTable {
  id: string
  ticket_id: string
  member_id: string
  kind: 'points' | 'coupon'
  points: number | null
  coupon_template_id: string | null
  coupon_id: string | null
  face_value: number | null
  ledger_entry_id: string | null
  status: 'pending' | 'granted'
  request_key: string
  note: string | null
  granted_by: string | null
  created_at: string
}

export interface TicketFollowupsTable {
  id: string
  ticket_id: string
  store_id: string
  due_at: string
  assignee_id: string | null
  done_at: string | null
  done_by: string | null
  reached: number | null
  satisfaction: number | null
  comment: string | null
  created_at: string
}

export interface TicketsTables {
  service_teams: ServiceTeamsTable
  service_team_members: ServiceTeamMembersTable
  service_categories: ServiceCategoriesTable
  service_sla_policies: ServiceSlaPoliciesTable
  service_settings: ServiceSettingsTable
  ticket_counters: TicketCountersTable
  tickets: TicketsTable
  ticket_events: TicketEventsTable
  ticket_photos: TicketPhotosTable
  ticket_compensations: TicketCompensationsTable
  ticket_followups: TicketFollowupsTable
}
