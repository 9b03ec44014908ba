import type { WeeklyHours } from './working-time.js'

// The desk's rules that need no database: limits, the ticket number, the settings' defaults,
// the escalation chain and what a follow-up's satisfaction means.

export const TICKET_KINDS = ['complaint', 'request'] as const
export const TICKET_STATUSES = ['new', 'assigned', 'in_progress', 'resolved', 'closed'] as const
export const SEVERITIES = ['low', 'normal', 'high', 'critical'] as const
export const CHANNELS = ['desk', 'phone', 'till', 'api', 'member_page'] as const
export const CONTACT_PREFS = ['phone', 'sms', 'email', 'wechat', 'none'] as const
export const TEAM_KINDS = ['store', 'desk', 'purchasing', 'food_safety', 'legal', 'other'] as const
export const ESCALATION_STEPS = ['team_lead', 'store_manager', 'region', 'hq'] as const
export const EVENT_KINDS = [
  'created', 'assigned', 'reassigned', 'taken', 'note', 'reply', 'status', 'reminder', 'escalated', 'compensation', 'resolved',
  'follow_up_due', 'follow_up', 'reopened', 'closed', 'photo',
] as const

export type TicketKind = (typeof TICKET_KINDS)[number]
export type TicketStatus = (typeof TICKET_STATUSES)[number]
export type Severity = (typeof SEVERITIES)[number]
export type TicketChannel = (typeof CHANNELS)[number]
export type ContactPreference = (typeof CONTACT_PREFS)[number]
export type TeamKind = (typeof TEAM_KINDS)[number]
export type EscalationStep = (typeof ESCALATION_STEPS)[number]
export type DeadlineKind = 'first_response' | 'resolution'
export type TicketEventKind = (typeof EVENT_KINDS)[number]

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024
export const MAX_PHOTOS = 6
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const
export const MAX_DESCRIPTION = 2000
/** A satisfaction at or below this on the follow-up call reopens the ticket; above it closes it. */
export const REOPEN_AT_OR_BELOW = 2

export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress']
export const isOpen = (status: TicketStatus): boolean => OPEN_STATUSES.includes(status)

/** TS-20261206-0042: the intake's local date and its number that day (4 digits, more past 9999). */
export const ticketNo = (localDate: string, seq: number): string => `TS-${localDate.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`

/** The hours a team works when it sets none: a supermarket's, every day. */
export const DEFAULT_WORKING_HOURS: WeeklyHours = Object.fromEntries(
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => [d, [['08:00', '22:00']]]),
) as WeeklyHours

export interface CompensationLimit {
  /** goodwill points per ticket; null: no limit */
  maxPoints: number | null
  /** coupon face value (fen) per ticket; null: no limit */
  maxCouponValue: number | null
}

export interface DeskSettings {
  escalationChain: EscalationStep[]
  followUpDays: number
  dueSoonMinutes: number
  /** by role; a role not listed may not compensate (the system may, without limit) */
  compensationLimits: Record<string, CompensationLimit>
  holidays: string[]
  workingHours: WeeklyHours
}

export const DEFAULT_SETTINGS: DeskSettings = {
  escalationChain: ['team_lead', 'store_manager', 'region', 'hq'],
  followUpDays: 3,
  dueSoonMinutes: 120,
  compensationLimits: {
    service_agent: { maxPoints: 500, maxCouponValue: 2000 },
    store_manager: { maxPoints: 2000, maxCouponValue: 10000 },
    hq_admin: { maxPoints: null, maxCouponValue: null },
  },
  holidays: [],
  workingHours: DEFAULT_WORKING_HOURS,
}

/** Stored settings over the defaults: a field missing from an older value takes its default. */
export const settingsFrom = (stored: Partial<DeskSettings> | null | undefined): DeskSettings => ({ ...DEFAULT_SETTINGS, ...(stored ?? {}) })

/** The step a ticket escalates to at `level` (1-based), the last step again beyond the chain. */
export const escalationStepAt = (chain: readonly EscalationStep[], level: number): EscalationStep =>
  chain[Math.min(Math.max(level, 1), chain.length) - 1] ?? 'hq'

/** The default SLA (category null) per severity, in working minutes (as the migration seeds them). */
export const DEFAULT_POLICIES: Array<{ severity: Severity; firstResponseMinutes: number; resolutionMinutes: number; remindBeforeMinutes: number }> = [
  { severity: 'critical', firstResponseMinutes: 30, resolutionMinutes: 240, remindBeforeMinutes: 10 },
  { severity: 'high', firstResponseMinutes: 60, resolutionMinutes: 480, remindBeforeMinutes: 15 },
  { severity: 'normal', firstResponseMinutes: 240, resolutionMinutes: 1680, remindBeforeMinutes: 30 },
  { severity: 'low', firstResponseMinutes: 480, resolutionMinutes: 4200, remindBeforeMinutes: 60 },
]

/** The coupon face value (fen) a template stands for, or null when it names none (a percentage without a cap, a free item). */
export const couponFaceValue = (t: { kind: string; value: number; maxDiscount: number | null }): number | null =>
  t.kind === 'amount' || t.kind === 'threshold' ? t.value : t.maxDiscount

/** Median of numbers (null for none). */
export const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length)

/** Rounds to 2 decimals (report figures). */
export const round2 = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100)
