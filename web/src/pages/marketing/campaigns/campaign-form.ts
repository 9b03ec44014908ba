import type { Dayjs } from 'dayjs'
import type { Schemas } from '../../../api/client.js'
import type { paths } from '../../../api/schema.js'
import { fromZoneWallTime, nowInZone, toZoneWallTime } from '../../loyalty/zone-time.js'
import type { Channel } from '../marketing-words.js'

// The campaign form's values and the API's body, both ways; which step a field is on; what a
// campaign's status lets whom do. Pure, so each is tested on its own.

export type Campaign = Schemas['Campaign']
export type CampaignRun = Schemas['CampaignRun']
export type CampaignStatus = Campaign['status']
export type CampaignDetail = paths['/api/v1/marketing/campaigns/{id}']['get']['responses']['200']['content']['application/json']
export type CampaignReport = paths['/api/v1/marketing/campaigns/{id}/report']['get']['responses']['200']['content']['application/json']
export type Recipient = paths['/api/v1/marketing/campaigns/{id}/recipients']['get']['responses']['200']['content']['application/json']['items'][number]
export type CampaignBody = paths['/api/v1/marketing/campaigns']['post']['requestBody']['content']['application/json']
export type ScheduleKind = Campaign['scheduleKind']
export type Recurrence = NonNullable<Campaign['recurrence']>
export type AudienceMode = Campaign['audienceMode']

export const CAMPAIGN_STATUSES: CampaignStatus[] = ['draft', 'pending_approval', 'scheduled', 'running', 'paused', 'completed', 'cancelled']
export const STATUS_COLORS: Record<CampaignStatus, string> = {
  draft: 'default', pending_approval: 'gold', scheduled: 'blue', running: 'processing', paused: 'orange', completed: 'green', cancelled: 'red',
}
export const SCHEDULE_KINDS: ScheduleKind[] = ['now', 'at', 'recurring']
export const RECURRENCES: Recurrence[] = ['daily', 'weekly', 'monthly']

/** Field names follow the API's, so its field errors land on them; times are the pickers' wall times in the chain's zone. */
export interface CampaignFormValues {
  name: string
  description?: string | null
  segmentId?: string
  audienceMode: AudienceMode
  snapshotId?: string | null
  excludeSegmentIds?: string[]
  channels: Channel[]
  templateIds: Partial<Record<Channel, string>>
  couponTemplateId?: string | null
  scheduleKind: ScheduleKind
  sendAt?: Dayjs | null
  recurrence?: Recurrence | null
  repeatUntil?: Dayjs | null
  ratePerMinute: number
  holdoutPct: number
  attributionDays: number
}

/** A new campaign: the first channel SMS, sent on submitting, 1,000 a minute, 10% held out, 14 days measured. */
export const emptyCampaign = (): CampaignFormValues => ({
  name: '', description: null, audienceMode: 'dynamic', snapshotId: null, excludeSegmentIds: [], channels: ['sms'], templateIds: {},
  couponTemplateId: null, scheduleKind: 'now', sendAt: null, recurrence: null, repeatUntil: null, ratePerMinute: 1000, holdoutPct: 10, attributionDays: 14,
})

export const toFormValues = (c: Campaign, tz: string): CampaignFormValues => ({
  name: c.name, description: c.description, segmentId: c.segmentId, audienceMode: c.audienceMode, snapshotId: c.snapshotId, excludeSegmentIds: c.excludeSegmentIds,
  channels: c.channels, templateIds: c.templateIds, couponTemplateId: c.couponTemplateId, scheduleKind: c.scheduleKind,
  sendAt: c.sendAt ? toZoneWallTime(c.sendAt, tz) : null, recurrence: c.recurrence, repeatUntil: c.repeatUntil ? toZoneWallTime(c.repeatUntil, tz) : null,
  ratePerMinute: c.ratePerMinute, holdoutPct: c.holdoutPct, attributionDays: c.attributionDays,
})

/** The body of a create (and of a change, with the version read): only what the chosen kinds use, the rest null. */
export const toCampaignBody = (v: CampaignFormValues, tz: string): CampaignBody => {
  const scheduled = v.scheduleKind !== 'now'
  const recurring = v.scheduleKind === 'recurring'
  return {
    name: v.name.trim(),
    description: v.description?.trim() || null,
    segmentId: v.segmentId ?? '',
    audienceMode: v.audienceMode,
    snapshotId: v.audienceMode === 'snapshot' ? v.snapshotId ?? null : null,
    excludeSegmentIds: (v.excludeSegmentIds ?? []).filter((id) => id !== v.segmentId),
    channels: v.channels,
    templateIds: Object.fromEntries(v.channels.filter((c) => v.templateIds?.[c]).map((c) => [c, v.templateIds[c]])),
    couponTemplateId: v.couponTemplateId ?? null,
    scheduleKind: v.scheduleKind,
    sendAt: scheduled && v.sendAt ? fromZoneWallTime(v.sendAt, tz) : null,
    recurrence: recurring ? v.recurrence ?? null : null,
    repeatUntil: recurring && v.repeatUntil ? fromZoneWallTime(v.repeatUntil, tz) : null,
    ratePerMinute: v.ratePerMinute,
    holdoutPct: v.holdoutPct,
    attributionDays: v.attributionDays,
  }
}

/** The time a new scheduled send starts from: the next whole hour in the chain's zone. */
export const nextHour = (tz: string, now = new Date()): Dayjs => nowInZone(tz, now).add(1, 'hour').minute(0)

/** The form's steps, in order, with the fields each holds (the API's names, before any dot). */
export const STEPS = ['audience', 'channels', 'coupon', 'schedule'] as const
export type Step = (typeof STEPS)[number]
const STEP_FIELDS: Record<Step, string[]> = {
  audience: ['name', 'description', 'segmentId', 'audienceMode', 'snapshotId', 'excludeSegmentIds'],
  channels: ['channels', 'templateIds'],
  coupon: ['couponTemplateId'],
  schedule: ['scheduleKind', 'sendAt', 'recurrence', 'repeatUntil', 'ratePerMinute', 'holdoutPct', 'attributionDays'],
}

/** The step (its index) a field the API names is on; the last step for one it does not know. */
export const stepOfField = (field: string): number => {
  const top = field.split('.')[0]!
  const i = STEPS.findIndex((s) => STEP_FIELDS[s].includes(top))
  return i < 0 ? STEPS.length - 1 : i
}

/** The form's path of a field the API names: `templateIds.sms` is a field of its own; `excludeSegmentIds.2` is the one select. */
export const fieldPath = (field: string): string[] => {
  const [top, sub] = field.split('.') as [string, string | undefined]
  return top === 'templateIds' && sub ? [top, sub] : [top]
}

/** The fields of a step, as form paths (the templates of the channels chosen). */
export const stepFields = (step: number, channels: readonly Channel[]): string[][] => {
  const s = STEPS[step]!
  return STEP_FIELDS[s].flatMap((f) => (f === 'templateIds' ? channels.map((c) => ['templateIds', c]) : [[f]]))
}

/**
 * Words for the API's reasons that the form can say in the user's language (keys of
 * marketing:campaigns.reasons); other reasons show by the field's own key, or as sent.
 */
const REASONS: Record<string, string> = {
  'not found': 'notFound',
  'in the past': 'inPast',
  'the template is archived': 'archived',
  'a template for each channel chosen': 'templateRequired',
  'the target segment itself': 'excludeSelf',
  'not a snapshot of this segment': 'snapshotOther',
  'a snapshot of the segment, for a snapshot audience': 'snapshotRequired',
  'a time after the first send': 'untilAfterFirst',
  'a time (ISO-8601) for a scheduled send': 'timeRequired',
  'another campaign has this name': 'nameTaken',
  'passed while the campaign waited for approval; withdraw it and set a new time': 'inPast',
}
export const reasonKey = (reason: string): string | null => {
  if (REASONS[reason]) return REASONS[reason]
  if (/^a (sms|email|wechat|push) template$/.test(reason)) return 'otherChannel'
  if (/^the coupon template is /.test(reason)) return 'couponInactive'
  return null
}

export type CampaignAction = 'edit' | 'submit' | 'approve' | 'reject' | 'withdraw' | 'pause' | 'resume' | 'cancel' | 'test'

/**
 * What the signed-in user may do to a campaign now: a draft is edited, tested and submitted; a
 * submitted one is approved or rejected by someone else who may approve (only its submitter may
 * take it back); a scheduled one not yet started goes back to a draft; a sending one pauses; a paused
 * one resumes; anything not finished is cancelled. The server checks each again.
 */
export const campaignActions = (c: Pick<Campaign, 'status' | 'submittedBy'>, runs: number, who: { userId: string | null; manage: boolean; approve: boolean }): CampaignAction[] => {
  const out: CampaignAction[] = []
  const mine = who.userId !== null && c.submittedBy === who.userId
  if (c.status === 'draft' && who.manage) out.push('edit', 'submit')
  if (c.status === 'pending_approval') {
    if (who.approve && !mine) out.push('approve', 'reject')
    else if (mine && who.manage) out.push('withdraw')
  }
  if (c.status === 'scheduled' && runs === 0 && who.manage) out.push('withdraw')
  if ((c.status === 'scheduled' || c.status === 'running') && who.manage) out.push('pause')
  if (c.status === 'paused' && who.manage) out.push('resume')
  if (c.status !== 'completed' && c.status !== 'cancelled' && who.manage) out.push('cancel')
  if (who.manage) out.push('test')
  return out
}

/** Whether the page should read the campaign every few seconds: it is sending, or due within two minutes (or overdue). */
export const isLive = (c: Pick<Campaign, 'status' | 'nextRunAt'>, runs: ReadonlyArray<Pick<CampaignRun, 'status'>>, now = Date.now()): boolean =>
  c.status === 'running' || runs.some((r) => r.status === 'preparing' || r.status === 'sending')
  || (c.status === 'scheduled' && c.nextRunAt !== null && Date.parse(c.nextRunAt) - now < 120_000)

export type FunnelKey = 'audience' | 'excluded' | 'noConsent' | 'chainHoldout' | 'holdout' | 'targets'

/** A run's audience step by step: who was left out at each step, and who remained to be sent to. */
export const funnelOf = (r: Pick<CampaignRun, FunnelKey>): Array<{ key: FunnelKey; count: number; left: number }> => {
  let left = r.audience
  return (['audience', 'excluded', 'noConsent', 'chainHoldout', 'holdout', 'targets'] as const).map((key) => {
    if (key !== 'audience' && key !== 'targets') left -= r[key]
    return { key, count: r[key], left: key === 'targets' ? r.targets : left }
  })
}
