import type { Channel } from '../channels/channels.table.js'

// Kysely table types of campaigns (migration 2026_12_16_0900). JSON is text, times ISO-8601 UTC.

export const CAMPAIGN_STATUSES = ['draft', 'pending_approval', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]
export const AUDIENCE_MODES = ['dynamic', 'snapshot'] as const
export type AudienceMode = (typeof AUDIENCE_MODES)[number]
export const SCHEDULE_KINDS = ['now', 'at', 'recurring'] as const
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number]
export const RECURRENCES = ['daily', 'weekly', 'monthly'] as const
export type Recurrence = (typeof RECURRENCES)[number]
export const RUN_STATUSES = ['preparing', 'sending', 'paused', 'done', 'cancelled'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]
/** A recipient's group: messaged, the campaign's random holdout, or the chain-wide holdout. */
export const RECIPIENT_GROUPS = ['target', 'holdout', 'chain_holdout'] as const
export type RecipientGroup = (typeof RECIPIENT_GROUPS)[number]
export const RECIPIENT_STATUSES = ['pending', 'sent', 'failed', 'skipped', 'held_out'] as const
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number]
/** Why a recipient got nothing. */
export const SKIP_REASONS = ['cap', 'no_channel', 'coupon', 'erased', 'cancelled'] as const
export type SkipReason = (typeof SKIP_REASONS)[number]

export interface CampaignsTable {
  id: string
  name: string
  description: string | null
  status: CampaignStatus
  segment_id: string
  audience_mode: AudienceMode
  /** snapshot mode: the segment's frozen list the campaign goes to */
  snapshot_id: string | null
  /** JSON array of segment ids whose members are left out */
  exclude_segment_ids: string
  /** JSON array of channels in order of preference (the first the member agreed to and can be reached on) */
  channels: string
  /** JSON object channel → message template id */
  template_ids: string
  coupon_template_id: string | null
  schedule_kind: ScheduleKind
  /** 'at' and 'recurring': the first send */
  send_at: string | null
  recurrence: Recurrence | null
  /** recurring: no run starts after this */
  repeat_until: string | null
  /** messages a minute */
  rate_per_minute: number
  /** percent (0–50) of the eligible audience drawn at random and not messaged */
  holdout_pct: number
  /** days after a send in which purchases are counted in the report */
  attribution_days: number
  version: number
  created_by: string | null
  created_at: string
  updated_by: string | null
  updated_at: string
  submitted_by: string | null
  approved_by: string | null
  approved_at: string | null
  next_run_at: string | null
}

export interface CampaignRunsTable {
  id: string
  campaign_id: string
  /** the time this run was due (a recurring campaign runs once per due time) */
  due_at: string
  status: RunStatus
  started_at: string
  prepared_at: string | null
  finished_at: string | null
  /** the members of the segment, before exclusions */
  audience: number
  excluded: number
  no_consent: number
  chain_holdout: number
  holdout: number
  targets: number
  error: string | null
}

export interface CampaignRecipientsTable {
  run_id: string
  member_id: string
  grp: RecipientGroup
  status: RecipientStatus
  channel: Channel | null
  reason: SkipReason | null
  message_id: string | null
  coupon_id: string | null
  updated_at: string | null
}

export interface CampaignsTables {
  campaigns: CampaignsTable
  campaign_runs: CampaignRunsTable
  campaign_recipients: CampaignRecipientsTable
}
