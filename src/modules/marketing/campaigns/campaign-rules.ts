import { TZDate } from '@date-fns/tz'
import { addDays, addMonths, addWeeks } from 'date-fns'
import type { ErrorDetail } from '../../../shared/errors.js'
import { CHANNELS, type Channel } from '../channels/channels.table.js'
import { RECURRENCES, SCHEDULE_KINDS, AUDIENCE_MODES, type AudienceMode, type Recurrence, type ScheduleKind } from './campaigns.table.js'

// Campaigns' pure rules: the campaign's fields, pressure (quiet hours), recurrence, the chain-wide
// holdout and the report's statistics. No I/O, no clock.

export const MAX_HOLDOUT_PCT = 50
export const MAX_RATE_PER_MINUTE = 100_000
export const MAX_ATTRIBUTION_DAYS = 90

export interface CampaignFields {
  name: string
  description: string | null
  segmentId: string
  audienceMode: AudienceMode
  snapshotId: string | null
  excludeSegmentIds: string[]
  channels: Channel[]
  templateIds: Partial<Record<Channel, string>>
  couponTemplateId: string | null
  scheduleKind: ScheduleKind
  sendAt: string | null
  recurrence: Recurrence | null
  repeatUntil: string | null
  ratePerMinute: number
  holdoutPct: number
  attributionDays: number
}

const isInstant = (v: string) => !Number.isNaN(new Date(v).getTime())

/** Every problem of a campaign's fields at once (the field and the reason); `now` for schedule checks. */
export const campaignProblems = (c: CampaignFields, now: Date): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  if (c.name.trim().length === 0 || c.name.length > 100) out.push({ field: 'name', reason: 'from 1 to 100 characters' })
  if (c.description !== null && c.description.length > 1000) out.push({ field: 'description', reason: 'at most 1000 characters' })
  if (!c.segmentId) out.push({ field: 'segmentId', reason: 'a segment' })
  if (!AUDIENCE_MODES.includes(c.audienceMode)) out.push({ field: 'audienceMode', reason: `one of ${AUDIENCE_MODES.join(', ')}` })
  if (c.audienceMode === 'snapshot' && !c.snapshotId) out.push({ field: 'snapshotId', reason: 'a snapshot of the segment, for a snapshot audience' })
  if (c.audienceMode === 'dynamic' && c.snapshotId) out.push({ field: 'snapshotId', reason: 'only for a snapshot audience' })
  if (c.excludeSegmentIds.includes(c.segmentId)) out.push({ field: 'excludeSegmentIds', reason: 'the target segment itself' })
  if (new Set(c.excludeSegmentIds).size !== c.excludeSegmentIds.length) out.push({ field: 'excludeSegmentIds', reason: 'a segment twice' })
  if (c.excludeSegmentIds.length > 10) out.push({ field: 'excludeSegmentIds', reason: 'at most 10' })
  if (c.channels.length === 0) out.push({ field: 'channels', reason: 'at least one channel' })
  if (new Set(c.channels).size !== c.channels.length) out.push({ field: 'channels', reason: 'a channel twice' })
  for (const ch of c.channels) {
    if (!CHANNELS.includes(ch)) out.push({ field: 'channels', reason: `unknown channel ${String(ch)}` })
    else if (!c.templateIds[ch]) out.push({ field: `templateIds.${ch}`, reason: 'a template for each channel chosen' })
  }
  for (const ch of Object.keys(c.templateIds)) {
    if (!c.channels.includes(ch as Channel)) out.push({ field: `templateIds.${ch}`, reason: 'a template of a channel not chosen' })
  }
  if (!SCHEDULE_KINDS.includes(c.scheduleKind)) out.push({ field: 'scheduleKind', reason: `one of ${SCHEDULE_KINDS.join(', ')}` })
  if (c.scheduleKind === 'now') {
    if (c.sendAt !== null) out.push({ field: 'sendAt', reason: 'not for a send now' })
  } else if (c.sendAt === null || !isInstant(c.sendAt)) out.push({ field: 'sendAt', reason: 'a time (ISO-8601) for a scheduled send' })
  if (c.scheduleKind === 'recurring') {
    if (!c.recurrence || !RECURRENCES.includes(c.recurrence)) out.push({ field: 'recurrence', reason: `one of ${RECURRENCES.join(', ')}` })
    if (c.repeatUntil !== null && (!isInstant(c.repeatUntil) || (c.sendAt && isInstant(c.sendAt) && new Date(c.repeatUntil) <= new Date(c.sendAt)))) {
      out.push({ field: 'repeatUntil', reason: 'a time after the first send' })
    }
  } else {
    if (c.recurrence !== null) out.push({ field: 'recurrence', reason: 'only for a recurring campaign' })
    if (c.repeatUntil !== null) out.push({ field: 'repeatUntil', reason: 'only for a recurring campaign' })
  }
  if (c.scheduleKind === 'at' && c.sendAt && isInstant(c.sendAt) && new Date(c.sendAt) <= now) out.push({ field: 'sendAt', reason: 'in the past' })
  if (!Number.isInteger(c.ratePerMinute) || c.ratePerMinute < 1 || c.ratePerMinute > MAX_RATE_PER_MINUTE) out.push({ field: 'ratePerMinute', reason: `a whole number from 1 to ${MAX_RATE_PER_MINUTE}` })
  if (!Number.isInteger(c.holdoutPct) || c.holdoutPct < 0 || c.holdoutPct > MAX_HOLDOUT_PCT) out.push({ field: 'holdoutPct', reason: `a whole percent from 0 to ${MAX_HOLDOUT_PCT}` })
  if (!Number.isInteger(c.attributionDays) || c.attributionDays < 1 || c.attributionDays > MAX_ATTRIBUTION_DAYS) out.push({ field: 'attributionDays', reason: `whole days from 1 to ${MAX_ATTRIBUTION_DAYS}` })
  return out
}

/** 'HH:MM' → minutes after midnight, or null. */
export const minutesOf = (hhmm: string): number | null => {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm)
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

/**
 * Quiet hours: when `at` falls inside [start, end) in the chain's zone (a window may cross
 * midnight, as 21:00–08:00 does), the instant they end; else null. Equal start and end: none.
 */
export const quietUntil = (at: Date, timezone: string, start: string, end: string): Date | null => {
  const s = minutesOf(start)
  const e = minutesOf(end)
  if (s === null || e === null || s === e) return null
  const local = new TZDate(at.getTime(), timezone)
  const m = local.getHours() * 60 + local.getMinutes()
  const inside = s < e ? m >= s && m < e : m >= s || m < e
  if (!inside) return null
  const endDay = s < e || m < e ? local : addDays(local, 1)
  const until = new TZDate(endDay.getFullYear(), endDay.getMonth(), endDay.getDate(), Math.floor(e / 60), e % 60, 0, 0, timezone)
  return new Date(until.getTime())
}

/**
 * The next due time of a recurring campaign after `after`: the first send's local time of day,
 * every day, week or month (a month's 31st falls on its last day), in the chain's zone.
 */
export const nextDue = (firstAt: string, recurrence: Recurrence, after: Date, timezone: string): Date => {
  const first = new TZDate(new Date(firstAt).getTime(), timezone)
  const step = (n: number): Date => {
    const d = recurrence === 'daily' ? addDays(first, n) : recurrence === 'weekly' ? addWeeks(first, n) : addMonths(first, n)
    return new Date(d.getTime())
  }
  if (first.getTime() > after.getTime()) return new Date(first.getTime())
  // Jump near the answer, then walk: a campaign years old does not loop once per day since.
  const days = (after.getTime() - first.getTime()) / 86_400_000
  let n = Math.max(0, Math.floor(recurrence === 'daily' ? days : recurrence === 'weekly' ? days / 7 : days / 31) - 1)
  while (step(n).getTime() <= after.getTime()) n++
  return step(n)
}

// Crockford's base32 in ascending order, as member ids are written: text order is number order.
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz'

/**
 * The chain-wide holdout: the members whose id ends in two base32 digits (random bits of the id)
 * below this bound, `pct` percent of 1,024 buckets. Stable: a member stays in or out for good.
 * Returns the two-character bound the last two characters are compared with, or null for none.
 */
export const chainHoldoutBound = (pct: number): string | null => {
  const buckets = Math.round((Math.max(0, Math.min(pct, MAX_HOLDOUT_PCT)) / 100) * 1024)
  if (buckets === 0) return null
  return BASE32[Math.floor(buckets / 32)]! + BASE32[buckets % 32]!
}

export const inChainHoldout = (memberId: string, pct: number): boolean => {
  const bound = chainHoldoutBound(pct)
  return bound !== null && memberId.slice(-2) < bound
}

export interface GroupFigures {
  members: number
  buyers: number
  /** net sales (fen) in the window, summed over the group's members */
  sales: number
  /** the sum of each member's net sales squared (fen²), for the variance */
  salesSquares: number
}

export interface Uplift {
  /** share of members who bought, target and holdout */
  buyRateTarget: number | null
  buyRateHoldout: number | null
  salesPerMemberTarget: number | null
  salesPerMemberHoldout: number | null
  /** (sales per target member − sales per holdout member) × target members, fen, with its 95% interval */
  incrementalSales: number | null
  incrementalLow: number | null
  incrementalHigh: number | null
}

const variance = (g: GroupFigures): number => {
  if (g.members < 2) return 0
  const mean = g.sales / g.members
  return Math.max(0, (g.salesSquares - g.members * mean * mean) / (g.members - 1))
}

/**
 * What a campaign earned against its holdout: the difference of mean sales per member times the
 * target members, and its 95% interval from the two groups' sample variances (Welch: the
 * standard error of a difference of means, √(s²ₜ/nₜ + s²ₕ/nₕ)). No holdout: no uplift.
 */
export const uplift = (target: GroupFigures, holdout: GroupFigures): Uplift => {
  const rate = (g: GroupFigures) => (g.members > 0 ? g.buyers / g.members : null)
  const perMember = (g: GroupFigures) => (g.members > 0 ? g.sales / g.members : null)
  const base = { buyRateTarget: rate(target), buyRateHoldout: rate(holdout), salesPerMemberTarget: perMember(target), salesPerMemberHoldout: perMember(holdout) }
  if (target.members === 0 || holdout.members === 0) return { ...base, incrementalSales: null, incrementalLow: null, incrementalHigh: null }
  const diff = target.sales / target.members - holdout.sales / holdout.members
  const se = Math.sqrt(variance(target) / target.members + variance(holdout) / holdout.members)
  const z = 1.959964
  return {
    ...base,
    incrementalSales: Math.round(diff * target.members),
    incrementalLow: Math.round((diff - z * se) * target.members),
    incrementalHigh: Math.round((diff + z * se) * target.members),
  }
}
