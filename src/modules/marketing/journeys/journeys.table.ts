// Kysely table types of journeys (migration 2026_12_16_0910). JSON is text, times ISO-8601 UTC.

export const JOURNEY_STATUSES = ['draft', 'active', 'paused', 'archived'] as const
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number]
export const TRIGGER_TYPES = ['registered', 'first_purchase', 'birthday', 'lifecycle', 'points_expiring', 'tier_upgrade', 'tag_added', 'date'] as const
export type TriggerType = (typeof TRIGGER_TYPES)[number]
export const STEP_TYPES = ['wait', 'condition', 'send', 'coupon', 'tag', 'end'] as const
export type StepType = (typeof STEP_TYPES)[number]
export const ENROLMENT_STATUSES = ['active', 'done', 'exited'] as const
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number]
/** Why a member left a journey before its end. */
export const EXIT_REASONS = ['archived', 'member_inactive'] as const
export type ExitReason = (typeof EXIT_REASONS)[number]
/**
 * What a step did: waited; a condition's answer; a message sent, failed at the provider, or not
 * sent (the cap, no channel the member agreed to and can be reached on); a coupon issued or not
 * (budget spent, template paused); a tag added or removed, or not (the tag archived); the end.
 */
export const STEP_OUTCOMES = ['waited', 'yes', 'no', 'sent', 'failed', 'skipped_cap', 'skipped_no_channel', 'issued', 'skipped_coupon', 'tagged', 'skipped_tag', 'ended'] as const
export type StepOutcome = (typeof STEP_OUTCOMES)[number]

export interface JourneysTable {
  id: string
  name: string
  description: string | null
  status: JourneyStatus
  /** the current version: the one new members enter */
  version: number
  /** the current version's trigger type, to find the journeys an event concerns */
  trigger_type: TriggerType
  /** bumped by every change: a change carries the revision read (optimistic locking) */
  revision: number
  /** when the journey last became active: it takes members whose trigger happened since */
  active_since: string | null
  created_by: string | null
  created_at: string
  updated_by: string | null
  updated_at: string
}

/** A journey's definition as it was at each version; a version once active never changes. */
export interface JourneyVersionsTable {
  journey_id: string
  version: number
  /** JSON of the trigger */
  trigger: string
  /** JSON array of the steps */
  steps: string
  created_by: string | null
  created_at: string
}

/** A member inside a journey (an enrolment): the version entered, where they are, when next. */
export interface JourneyMembersTable {
  id: string
  journey_id: string
  version: number
  member_id: string
  /** '' for a trigger that happens once per member; else which time (a birthday's year, an expiry date, a tag event) */
  occurrence: string
  current_step: number
  status: EnrolmentStatus
  exit_reason: ExitReason | null
  /** when the current step is due; null once done or exited */
  next_at: string | null
  entered_at: string
  updated_at: string
}

/**
 * Each step of an enrolment, done once: the row is inserted before the step is done (the claim),
 * so a second worker finds it and does nothing; a claim whose worker died is taken over after
 * its lease, the step's effects being idempotent by key (the coupon's issue key, the message's
 * dedupe key).
 */
export interface JourneyStepsLogTable {
  enrolment_id: string
  step_index: number
  step_type: StepType
  status: 'claimed' | 'done'
  claimed_by: string
  claimed_at: string
  done_at: string | null
  outcome: StepOutcome | null
  /** the step it went on to; null: the journey ended there */
  next_step: number | null
  channel: string | null
  message_id: string | null
  coupon_id: string | null
}

/** The lifecycle stage the journeys last saw a member in: entering another is a trigger. */
export interface JourneyLifecycleSeenTable {
  member_id: string
  stage: string
  seen_on: string
}

export interface JourneysTables {
  journeys: JourneysTable
  journey_versions: JourneyVersionsTable
  journey_members: JourneyMembersTable
  journey_steps_log: JourneyStepsLogTable
  journey_lifecycle_seen: JourneyLifecycleSeenTable
}
