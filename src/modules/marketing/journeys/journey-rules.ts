import type { ErrorDetail } from '../../../shared/errors.js'
import { addDays, isLocalDate } from '../../../shared/time.js'
import { CHANNELS, type Channel } from '../channels/channels.table.js'
import { STEP_TYPES, TRIGGER_TYPES, type StepType, type TriggerType } from './journeys.table.js'

// Journeys' pure rules: a journey's definition (its trigger and its steps), checked whole with the
// field of every problem; where a step leads; which days a daily trigger takes. No I/O, no clock.

export const MAX_STEPS = 50
export const MAX_WAIT_DAYS = 365
export const MAX_WAIT_HOURS = 24 * 30
export const MAX_BIRTHDAY_DAYS_BEFORE = 60
export const MAX_POINTS_DAYS_AHEAD = 365
/** A daily trigger also takes the days its job missed (a worker down), this many back, never before the journey was active. */
export const LOOKBACK_DAYS = 2
export const CONDITION_CHECKS = ['bought_since_entry', 'has_tag', 'in_segment'] as const
export type ConditionCheck = (typeof CONDITION_CHECKS)[number]
export const TAG_ACTIONS = ['add', 'remove'] as const
export type TagAction = (typeof TAG_ACTIONS)[number]

export type Trigger =
  | { type: 'registered' }
  | { type: 'first_purchase' }
  /** `daysBefore` the birthday (0: on the day) */
  | { type: 'birthday'; daysBefore: number }
  /** entering a lifecycle stage (the insight's: new, active, dormant, lost, returning, prospect) */
  | { type: 'lifecycle'; stage: string }
  /** points of a lot expire in `daysAhead` days */
  | { type: 'points_expiring'; daysAhead: number }
  /** an upgrade, to any tier or to this one */
  | { type: 'tier_upgrade'; tierCode: string | null }
  | { type: 'tag_added'; tagId: string }
  /** on a local date, every active member or a segment's */
  | { type: 'date'; date: string; segmentId: string | null }

/** `next`: the step after this one when not the following (forward only); null: the following, or the end after the last. */
export type Step =
  | { type: 'wait'; days: number; hours: number; next: number | null }
  | { type: 'condition'; check: ConditionCheck; tagId: string | null; segmentId: string | null; ifTrue: number; ifFalse: number }
  | { type: 'send'; channels: Channel[]; templateIds: Partial<Record<Channel, string>>; next: number | null }
  | { type: 'coupon'; couponTemplateId: string; next: number | null }
  | { type: 'tag'; action: TagAction; tagId: string; next: number | null }
  | { type: 'end' }

export interface Definition {
  trigger: Trigger
  steps: Step[]
}

/** The fields each trigger and step takes besides `type` (any other is a problem). */
const TRIGGER_FIELDS: Record<TriggerType, readonly string[]> = {
  registered: [], first_purchase: [], birthday: ['daysBefore'], lifecycle: ['stage'], points_expiring: ['daysAhead'], tier_upgrade: ['tierCode'], tag_added: ['tagId'],
  date: ['date', 'segmentId'],
}
const STEP_FIELDS: Record<StepType, readonly string[]> = {
  wait: ['days', 'hours', 'next'], condition: ['check', 'tagId', 'segmentId', 'ifTrue', 'ifFalse'], send: ['channels', 'templateIds', 'next'],
  coupon: ['couponTemplateId', 'next'], tag: ['action', 'tagId', 'next'], end: [],
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
const isId = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= 64

/** A trigger's own problems (`path` prefixes the fields); `stages` are the lifecycle stages. */
export const parseTrigger = (input: unknown, stages: readonly string[], path = 'trigger'): { trigger: Trigger | null; problems: ErrorDetail[] } => {
  const problems: ErrorDetail[] = []
  if (!isObject(input)) return { trigger: null, problems: [{ field: path, reason: 'a trigger' }] }
  const type = input.type as TriggerType
  if (!TRIGGER_TYPES.includes(type)) return { trigger: null, problems: [{ field: `${path}.type`, reason: `one of ${TRIGGER_TYPES.join(', ')}` }] }
  for (const k of Object.keys(input)) {
    if (k !== 'type' && !TRIGGER_FIELDS[type].includes(k) && input[k] !== undefined && input[k] !== null) problems.push({ field: `${path}.${k}`, reason: `not for a ${type} trigger` })
  }
  let trigger: Trigger | null = null
  switch (type) {
    case 'registered': case 'first_purchase':
      trigger = { type }
      break
    case 'birthday':
      if (!isWhole(input.daysBefore, 0, MAX_BIRTHDAY_DAYS_BEFORE)) problems.push({ field: `${path}.daysBefore`, reason: `whole days from 0 to ${MAX_BIRTHDAY_DAYS_BEFORE}` })
      else trigger = { type, daysBefore: input.daysBefore }
      break
    case 'lifecycle':
      if (typeof input.stage !== 'string' || !stages.includes(input.stage)) problems.push({ field: `${path}.stage`, reason: `one of ${stages.join(', ')}` })
      else trigger = { type, stage: input.stage }
      break
    case 'points_expiring':
      if (!isWhole(input.daysAhead, 1, MAX_POINTS_DAYS_AHEAD)) problems.push({ field: `${path}.daysAhead`, reason: `whole days from 1 to ${MAX_POINTS_DAYS_AHEAD}` })
      else trigger = { type, daysAhead: input.daysAhead }
      break
    case 'tier_upgrade':
      if (input.tierCode !== undefined && input.tierCode !== null && !isId(input.tierCode)) problems.push({ field: `${path}.tierCode`, reason: 'a tier code, or none for any upgrade' })
      else trigger = { type, tierCode: (input.tierCode as string | null | undefined) ?? null }
      break
    case 'tag_added':
      if (!isId(input.tagId)) problems.push({ field: `${path}.tagId`, reason: 'a tag' })
      else trigger = { type, tagId: input.tagId }
      break
    case 'date':
      if (!isLocalDate(input.date)) problems.push({ field: `${path}.date`, reason: 'a date YYYY-MM-DD' })
      if (input.segmentId !== undefined && input.segmentId !== null && !isId(input.segmentId)) problems.push({ field: `${path}.segmentId`, reason: 'a segment, or none for every member' })
      if (!problems.length) trigger = { type, date: input.date as string, segmentId: (input.segmentId as string | null | undefined) ?? null }
      break
  }
  return { trigger: problems.length ? null : trigger, problems }
}

/** A forward target of step `i` among `n` steps, or a problem. */
const target = (v: unknown, i: number, n: number, field: string, problems: ErrorDetail[]): number | null => {
  if (!isWhole(v, 0, MAX_STEPS)) {
    problems.push({ field, reason: 'a step number' })
    return null
  }
  if (v <= i) problems.push({ field, reason: 'a later step (a journey only goes forward, so each step happens once)' })
  else if (v >= n) problems.push({ field, reason: `no step ${v}: the steps are 0 to ${n - 1}` })
  return v
}

const optionalNext = (s: Record<string, unknown>, i: number, n: number, path: string, problems: ErrorDetail[]): number | null =>
  s.next === undefined || s.next === null ? null : target(s.next, i, n, `${path}.next`, problems)

/** One step's own problems, and the step. */
const parseStep = (input: unknown, i: number, n: number): { step: Step | null; problems: ErrorDetail[] } => {
  const path = `steps.${i}`
  const problems: ErrorDetail[] = []
  if (!isObject(input)) return { step: null, problems: [{ field: path, reason: 'a step' }] }
  const type = input.type as StepType
  if (!STEP_TYPES.includes(type)) return { step: null, problems: [{ field: `${path}.type`, reason: `one of ${STEP_TYPES.join(', ')}` }] }
  for (const k of Object.keys(input)) {
    if (k !== 'type' && !STEP_FIELDS[type].includes(k) && input[k] !== undefined && input[k] !== null) problems.push({ field: `${path}.${k}`, reason: `not for a ${type} step` })
  }
  let step: Step | null = null
  switch (type) {
    case 'wait': {
      const days = input.days ?? 0
      const hours = input.hours ?? 0
      if (!isWhole(days, 0, MAX_WAIT_DAYS)) problems.push({ field: `${path}.days`, reason: `whole days from 0 to ${MAX_WAIT_DAYS}` })
      if (!isWhole(hours, 0, MAX_WAIT_HOURS)) problems.push({ field: `${path}.hours`, reason: `whole hours from 0 to ${MAX_WAIT_HOURS}` })
      if (isWhole(days, 0, MAX_WAIT_DAYS) && isWhole(hours, 0, MAX_WAIT_HOURS) && days + hours === 0) problems.push({ field: `${path}.days`, reason: 'a wait of at least an hour' })
      const next = optionalNext(input, i, n, path, problems)
      if (!problems.length) step = { type, days: days as number, hours: hours as number, next }
      break
    }
    case 'condition': {
      const check = input.check as ConditionCheck
      if (!CONDITION_CHECKS.includes(check)) problems.push({ field: `${path}.check`, reason: `one of ${CONDITION_CHECKS.join(', ')}` })
      if (check === 'has_tag' && !isId(input.tagId)) problems.push({ field: `${path}.tagId`, reason: 'the tag asked about' })
      if (check !== 'has_tag' && input.tagId != null) problems.push({ field: `${path}.tagId`, reason: 'only for has_tag' })
      if (check === 'in_segment' && !isId(input.segmentId)) problems.push({ field: `${path}.segmentId`, reason: 'the segment asked about' })
      if (check !== 'in_segment' && input.segmentId != null) problems.push({ field: `${path}.segmentId`, reason: 'only for in_segment' })
      const ifTrue = target(input.ifTrue, i, n, `${path}.ifTrue`, problems)
      const ifFalse = target(input.ifFalse, i, n, `${path}.ifFalse`, problems)
      if (!problems.length) step = { type, check, tagId: (input.tagId as string | undefined) ?? null, segmentId: (input.segmentId as string | undefined) ?? null, ifTrue: ifTrue!, ifFalse: ifFalse! }
      break
    }
    case 'send': {
      const channels = input.channels
      const templateIds = isObject(input.templateIds) ? input.templateIds : {}
      if (!Array.isArray(channels) || channels.length === 0) problems.push({ field: `${path}.channels`, reason: 'at least one channel, in order of preference' })
      else {
        if (new Set(channels).size !== channels.length) problems.push({ field: `${path}.channels`, reason: 'a channel twice' })
        for (const [k, ch] of channels.entries()) {
          if (!CHANNELS.includes(ch as Channel)) problems.push({ field: `${path}.channels.${k}`, reason: `one of ${CHANNELS.join(', ')}` })
          else if (!isId(templateIds[ch as Channel])) problems.push({ field: `${path}.templateIds.${ch as string}`, reason: 'a template for each channel chosen' })
        }
      }
      if (input.templateIds !== undefined && !isObject(input.templateIds)) problems.push({ field: `${path}.templateIds`, reason: 'a template per channel' })
      for (const ch of Object.keys(templateIds)) {
        if (!Array.isArray(channels) || !channels.includes(ch)) problems.push({ field: `${path}.templateIds.${ch}`, reason: 'a template of a channel not chosen' })
      }
      const next = optionalNext(input, i, n, path, problems)
      if (!problems.length) step = { type, channels: channels as Channel[], templateIds: templateIds as Partial<Record<Channel, string>>, next }
      break
    }
    case 'coupon': {
      if (!isId(input.couponTemplateId)) problems.push({ field: `${path}.couponTemplateId`, reason: 'a coupon template' })
      const next = optionalNext(input, i, n, path, problems)
      if (!problems.length) step = { type, couponTemplateId: input.couponTemplateId as string, next }
      break
    }
    case 'tag': {
      if (!TAG_ACTIONS.includes(input.action as TagAction)) problems.push({ field: `${path}.action`, reason: `one of ${TAG_ACTIONS.join(', ')}` })
      if (!isId(input.tagId)) problems.push({ field: `${path}.tagId`, reason: 'a manual tag' })
      const next = optionalNext(input, i, n, path, problems)
      if (!problems.length) step = { type, action: input.action as TagAction, tagId: input.tagId as string, next }
      break
    }
    case 'end':
      step = problems.length ? null : { type }
      break
  }
  return { step: problems.length ? null : step, problems }
}

/**
 * The steps step `i` may lead to. A step goes on to the following one unless it says `next`;
 * a condition to `ifTrue` or `ifFalse`; an end, and the last step, to none.
 */
export const successorsOf = (steps: readonly Step[], i: number): number[] => {
  const s = steps[i]
  if (!s || s.type === 'end') return []
  if (s.type === 'condition') return [...new Set([s.ifTrue, s.ifFalse])]
  if (s.next !== null) return [s.next]
  return i + 1 < steps.length ? [i + 1] : []
}

/** Where a member goes after step `i` (a condition: by its answer); null: the journey is over for them. */
export const nextStepOf = (steps: readonly Step[], i: number, answer?: boolean): number | null => {
  const s = steps[i]
  if (!s) return null
  if (s.type === 'condition') return answer ? s.ifTrue : s.ifFalse
  return successorsOf(steps, i)[0] ?? null
}

/** How long a wait step waits, ms. */
export const waitMs = (step: Extract<Step, { type: 'wait' }>): number => (step.days * 24 + step.hours) * 3_600_000

/**
 * A journey's trigger and steps, checked whole: every problem with its field (`trigger.stage`,
 * `steps.3.ifFalse`, `steps.1.templateIds.sms`). Branches go forward only, so a member passes
 * each step at most once and every journey ends; every step must be reachable from the first.
 */
export const parseDefinition = (input: { trigger: unknown; steps: unknown }, stages: readonly string[]): { definition: Definition | null; problems: ErrorDetail[] } => {
  const { trigger, problems } = parseTrigger(input.trigger, stages)
  const raw = input.steps
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push({ field: 'steps', reason: 'at least one step' })
    return { definition: null, problems }
  }
  if (raw.length > MAX_STEPS) {
    problems.push({ field: 'steps', reason: `at most ${MAX_STEPS} steps` })
    return { definition: null, problems }
  }
  const steps: Step[] = []
  for (const [i, s] of raw.entries()) {
    const parsed = parseStep(s, i, raw.length)
    problems.push(...parsed.problems)
    if (parsed.step) steps.push(parsed.step)
  }
  if (steps.length === raw.length) {
    const reached = new Set<number>([0])
    for (let i = 0; i < steps.length; i++) if (reached.has(i)) for (const j of successorsOf(steps, i)) reached.add(j)
    for (let i = 0; i < steps.length; i++) if (!reached.has(i)) problems.push({ field: `steps.${i}`, reason: 'no step leads here' })
  }
  return { definition: problems.length || !trigger ? null : { trigger, steps }, problems }
}

/** What is wrong with a definition being activated on `today` (a fixed date already past). */
export const activationProblems = (d: Definition, today: string): ErrorDetail[] =>
  d.trigger.type === 'date' && d.trigger.date < today ? [{ field: 'trigger.date', reason: 'in the past' }] : []

/** The ids a definition names, with their fields, for the service to check they exist. */
export const referencesOf = (d: Definition) => {
  const templates: Array<{ field: string; id: string; channel: Channel }> = []
  const couponTemplates: Array<{ field: string; id: string }> = []
  const tags: Array<{ field: string; id: string; manual: boolean }> = []
  const segments: Array<{ field: string; id: string }> = []
  if (d.trigger.type === 'tag_added') tags.push({ field: 'trigger.tagId', id: d.trigger.tagId, manual: false })
  if (d.trigger.type === 'date' && d.trigger.segmentId) segments.push({ field: 'trigger.segmentId', id: d.trigger.segmentId })
  for (const [i, s] of d.steps.entries()) {
    if (s.type === 'send') for (const ch of s.channels) templates.push({ field: `steps.${i}.templateIds.${ch}`, id: s.templateIds[ch]!, channel: ch })
    if (s.type === 'coupon') couponTemplates.push({ field: `steps.${i}.couponTemplateId`, id: s.couponTemplateId })
    if (s.type === 'tag') tags.push({ field: `steps.${i}.tagId`, id: s.tagId, manual: true })
    if (s.type === 'condition' && s.tagId) tags.push({ field: `steps.${i}.tagId`, id: s.tagId, manual: false })
    if (s.type === 'condition' && s.segmentId) segments.push({ field: `steps.${i}.segmentId`, id: s.segmentId })
  }
  return { templates, couponTemplates, tags, segments, tierCode: d.trigger.type === 'tier_upgrade' ? d.trigger.tierCode : null }
}

/**
 * The days whose trigger a daily job takes today: today, and up to LOOKBACK_DAYS before it that
 * a missed run left, but none before the journey became active (its members are those whose
 * trigger came after).
 */
export const triggerDays = (today: string, activeSinceDate: string): string[] => {
  const out: string[] = []
  for (let k = LOOKBACK_DAYS; k >= 0; k--) {
    const d = addDays(today, -k)
    if (d >= activeSinceDate) out.push(d)
  }
  return out
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/** The birthdays (MM-DD) falling on a date: a 29 February birthday is kept on the 28th in other years. */
export const birthdaysOn = (date: string): string[] => {
  const md = date.slice(5)
  return md === '02-28' && !isLeap(Number(date.slice(0, 4))) ? ['02-28', '02-29'] : [md]
}

/** The minute an instant falls in, rounded up (the wake-up job of a wait is one per minute for everyone). */
export const ceilMinute = (instant: Date): string => new Date(Math.ceil(instant.getTime() / 60_000) * 60_000).toISOString()

/** Whether a tier change is an upgrade: the loyalty rules' own, or a manual change to a higher rank. */
export const isUpgrade = (reason: string, fromRank: number | null, toRank: number | null): boolean => {
  if (reason === 'upgrade') return true
  if (reason !== 'manual' || toRank === null) return false
  return fromRank === null || toRank > fromRank
}
