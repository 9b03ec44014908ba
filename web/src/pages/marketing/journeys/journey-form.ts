import dayjs, { type Dayjs } from 'dayjs'
import type { Schemas } from '../../../api/client.js'
import type { paths } from '../../../api/schema.js'
import type { Channel } from '../marketing-words.js'

// The journey builder's values and the API's body, both ways; the steps moved, added and removed
// with the step numbers that point at them kept right; where the API's field errors go. Pure,
// so each is tested on its own.

export type Journey = Schemas['Journey']
export type JourneyStatus = Journey['status']
export type Trigger = Schemas['JourneyTrigger']
export type TriggerType = Trigger['type']
export type Step = Schemas['JourneyStep']
export type StepType = Step['type']
export type ConditionCheck = NonNullable<Step['check']>
export type JourneyDetail = paths['/api/v1/marketing/journeys/{id}']['get']['responses']['200']['content']['application/json']
export type JourneyVersion = JourneyDetail['versions'][number]
export type StepStats = JourneyVersion['stats'][number]
export type StepOutcome = keyof StepStats['outcomes']
export type JourneyMember = paths['/api/v1/marketing/journeys/{id}/members']['get']['responses']['200']['content']['application/json']['items'][number]
export type EnrolmentStatus = JourneyMember['status']
export type MemberJourney = paths['/api/v1/members/{id}/journeys']['get']['responses']['200']['content']['application/json']['items'][number]
export type JourneyBody = paths['/api/v1/marketing/journeys']['post']['requestBody']['content']['application/json']

export const JOURNEY_STATUSES: JourneyStatus[] = ['draft', 'active', 'paused', 'archived']
export const STATUS_COLORS: Record<JourneyStatus, string> = { draft: 'default', active: 'green', paused: 'orange', archived: 'default' }
export const TRIGGER_TYPES: TriggerType[] = ['registered', 'first_purchase', 'birthday', 'lifecycle', 'points_expiring', 'tier_upgrade', 'tag_added', 'date']
export const STEP_TYPES: StepType[] = ['wait', 'condition', 'send', 'coupon', 'tag', 'end']
export const CONDITION_CHECKS: ConditionCheck[] = ['bought_since_entry', 'has_tag', 'in_segment']
export const LIFECYCLE_STAGES = ['new', 'active', 'returning', 'dormant', 'lost', 'prospect'] as const
export const ENROLMENT_STATUSES: EnrolmentStatus[] = ['active', 'done', 'exited']
export const ENROLMENT_COLORS: Record<EnrolmentStatus, string> = { active: 'processing', done: 'green', exited: 'default' }
/** The API's limits (journey-rules.ts), so the inputs stop where the server would refuse. */
export const LIMITS = { steps: 50, waitDays: 365, waitHours: 720, birthdayDaysBefore: 60, pointsDaysAhead: 365 } as const

/** The builder's trigger: the API's fields, the date as the picker's day. */
export interface TriggerValues {
  type: TriggerType
  daysBefore?: number | null
  stage?: string | null
  daysAhead?: number | null
  tierCode?: string | null
  tagId?: string | null
  date?: Dayjs | null
  segmentId?: string | null
}

/** A step in the builder holds every field; only its type's go to the API. */
export type StepValues = Omit<Step, 'channels' | 'templateIds'> & { channels?: Channel[]; templateIds?: Partial<Record<Channel, string>> }

export interface JourneyFormValues {
  name: string
  description?: string | null
  trigger: TriggerValues
  steps: StepValues[]
}

/** A new step of a kind, with what it starts with: a day's wait, SMS first, a tag added. */
export const newStep = (type: StepType): StepValues => {
  switch (type) {
    case 'wait': return { type, days: 1, hours: 0, next: null }
    case 'condition': return { type, check: 'bought_since_entry' }
    case 'send': return { type, channels: ['sms'], templateIds: {}, next: null }
    case 'coupon': return { type, next: null }
    case 'tag': return { type, action: 'add', next: null }
    case 'end': return { type }
  }
}

/** A new journey: a welcome at registration, a coupon and then a message that names it. */
export const emptyJourney = (): JourneyFormValues => ({
  name: '', description: null, trigger: { type: 'registered' }, steps: [newStep('coupon'), newStep('send')],
})

export const toFormValues = (j: Pick<Journey, 'name' | 'description' | 'trigger' | 'steps'>): JourneyFormValues => ({
  name: j.name,
  description: j.description,
  trigger: { ...j.trigger, date: j.trigger.date ? dayjs(j.trigger.date, 'YYYY-MM-DD') : null },
  steps: j.steps.map((s) => ({ ...s })),
})

/** The trigger's own fields only (the API refuses another type's). */
export const toTrigger = (v: TriggerValues): Trigger => {
  switch (v.type) {
    case 'registered': case 'first_purchase': return { type: v.type }
    case 'birthday': return { type: v.type, daysBefore: v.daysBefore ?? undefined }
    case 'lifecycle': return { type: v.type, stage: v.stage ?? undefined }
    case 'points_expiring': return { type: v.type, daysAhead: v.daysAhead ?? undefined }
    case 'tier_upgrade': return { type: v.type, tierCode: v.tierCode ?? null }
    case 'tag_added': return { type: v.type, tagId: v.tagId ?? undefined }
    case 'date': return { type: v.type, date: v.date ? v.date.format('YYYY-MM-DD') : undefined, segmentId: v.segmentId ?? null }
  }
}

/** A step's own fields only; a send's templates of the channels chosen. */
export const toStep = (s: StepValues): Step => {
  const next = s.next ?? null
  switch (s.type) {
    case 'wait': return { type: s.type, days: s.days ?? 0, hours: s.hours ?? 0, next }
    case 'condition': return {
      type: s.type, check: s.check, tagId: s.check === 'has_tag' ? s.tagId ?? undefined : null, segmentId: s.check === 'in_segment' ? s.segmentId ?? undefined : null,
      ifTrue: s.ifTrue ?? undefined, ifFalse: s.ifFalse ?? undefined,
    }
    case 'send': {
      const channels = s.channels ?? []
      return { type: s.type, channels, templateIds: Object.fromEntries(channels.filter((c) => s.templateIds?.[c]).map((c) => [c, s.templateIds![c]])), next }
    }
    case 'coupon': return { type: s.type, couponTemplateId: s.couponTemplateId, next }
    case 'tag': return { type: s.type, action: s.action, tagId: s.tagId ?? undefined, next }
    case 'end': return { type: s.type }
  }
}

export const toJourneyBody = (v: JourneyFormValues): JourneyBody => ({
  name: v.name.trim(),
  description: v.description?.trim() || null,
  trigger: toTrigger(v.trigger),
  steps: v.steps.map(toStep),
})

// ---- the steps' order ----------------------------------------------------------------------------

/** Every step number a step points at, renumbered by `map` (undefined: the pointer is dropped). */
const renumber = (steps: readonly StepValues[], map: (j: number) => number | undefined): StepValues[] =>
  steps.map((s) => {
    const out = { ...s }
    for (const k of ['ifTrue', 'ifFalse', 'next'] as const) {
      const j = s[k]
      if (typeof j !== 'number') continue
      const to = map(j)
      if (k === 'next') out.next = to ?? null
      else out[k] = to
    }
    return out
  })

/**
 * Step `from` moved to place `to`: the others shift, and every "go to step n" follows its step.
 * A jump that now points backwards is left for the form to flag (a journey only goes forward).
 */
export const moveStep = (steps: readonly StepValues[], from: number, to: number): StepValues[] => {
  if (from === to || from < 0 || to < 0 || from >= steps.length || to >= steps.length) return [...steps]
  const order = steps.map((_, i) => i)
  order.splice(to, 0, order.splice(from, 1)[0]!)
  const place = new Map(order.map((old, i) => [old, i]))
  return renumber(order.map((old) => steps[old]!), (j) => place.get(j))
}

/** Step `at` removed: pointers at it are dropped (to be chosen again), later ones shift down. */
export const removeStep = (steps: readonly StepValues[], at: number): StepValues[] =>
  renumber(steps.filter((_, i) => i !== at), (j) => (j === at ? undefined : j > at ? j - 1 : j))

/** A step inserted at `at`: later pointers shift up. */
export const insertStep = (steps: readonly StepValues[], at: number, step: StepValues): StepValues[] => {
  const shifted = renumber(steps, (j) => (j >= at ? j + 1 : j))
  return [...shifted.slice(0, at), step, ...shifted.slice(at)]
}

/** The steps step `i` may go to: the later ones. */
export const laterSteps = (count: number, i: number): number[] => Array.from({ length: Math.max(0, count - i - 1) }, (_, k) => i + 1 + k)

/**
 * The coupon template the message of step `i` would name: the last coupon step before it (a
 * coupon step's coupon is what the next message's {{couponCode}} is).
 */
export const couponBefore = (steps: readonly StepValues[], i: number): string | null => {
  for (let j = Math.min(i, steps.length) - 1; j >= 0; j--) {
    const s = steps[j]!
    if (s.type === 'coupon' && s.couponTemplateId) return s.couponTemplateId
  }
  return null
}

// ---- the API's field errors --------------------------------------------------------------------

/** The fields the builder shows for a step of each type (an error on another goes on the step). */
const STEP_FIELDS: Record<StepType, readonly string[]> = {
  wait: ['days', 'hours', 'next'], condition: ['check', 'tagId', 'segmentId', 'ifTrue', 'ifFalse'], send: ['channels', 'templateIds', 'next'],
  coupon: ['couponTemplateId', 'next'], tag: ['action', 'tagId', 'next'], end: [],
}
const TRIGGER_FIELDS: Record<TriggerType, readonly string[]> = {
  registered: [], first_purchase: [], birthday: ['daysBefore'], lifecycle: ['stage'], points_expiring: ['daysAhead'], tier_upgrade: ['tierCode'], tag_added: ['tagId'],
  date: ['date', 'segmentId'],
}

export interface Placed {
  /** errors on the builder's fields, by form path */
  fields: Array<{ name: Array<string | number>; reason: string }>
  /** errors about a whole step (no step leads here), by step */
  steps: Map<number, string[]>
  /** the rest (at least one step), shown above the steps */
  other: string[]
}

/**
 * Where each of the API's field errors goes: `steps.2.ifFalse` on that field of step 2,
 * `steps.1.templateIds.sms` on the SMS template, `steps.1.channels.0` on the channels,
 * `steps.3` (no step leads here) on the step, `trigger.daysBefore` on the trigger's field.
 */
export const placeErrors = (details: ReadonlyArray<{ field: string; reason: string }>, v: Pick<JourneyFormValues, 'trigger' | 'steps'>): Placed => {
  const out: Placed = { fields: [], steps: new Map(), other: [] }
  const onStep = (i: number, reason: string) => out.steps.set(i, [...(out.steps.get(i) ?? []), reason])
  for (const { field, reason } of details) {
    const parts = field.split('.')
    const [top, second, third, fourth] = parts
    if ((top === 'name' || top === 'description') && parts.length === 1) out.fields.push({ name: [top], reason })
    else if (top === 'trigger' && second && (second === 'type' || TRIGGER_FIELDS[v.trigger.type]?.includes(second))) out.fields.push({ name: ['trigger', second], reason })
    else if (top === 'steps' && second !== undefined && /^\d+$/.test(second) && Number(second) < v.steps.length) {
      const i = Number(second)
      const type = v.steps[i]!.type
      if (third === 'templateIds' && fourth) out.fields.push({ name: ['steps', i, 'templateIds', fourth], reason })
      else if (third && STEP_FIELDS[type].includes(third)) out.fields.push({ name: ['steps', i, third], reason })
      else onStep(i, reason)
    } else out.other.push(reason)
  }
  return out
}

/** The first form path or step an error was placed on, to scroll to. */
export const firstPlaced = (p: Placed): Array<string | number> | null => {
  const steps = [...p.steps.keys()]
  const firstStep = steps.length ? Math.min(...steps) : Infinity
  const rank = (name: Array<string | number>) => (name[0] === 'steps' ? 1000 + Number(name[1]) : name[0] === 'trigger' ? 100 : 0)
  const sorted = [...p.fields].sort((a, b) => rank(a.name) - rank(b.name))
  const f = sorted[0]
  if (f && (f.name[0] !== 'steps' || Number(f.name[1]) <= firstStep)) return f.name
  return Number.isFinite(firstStep) ? ['steps', firstStep] : f?.name ?? null
}

/**
 * Words for the API's reasons (keys of marketing:journeys.reasons, with their values); a reason
 * the console has no words for shows as sent.
 */
const REASONS: Record<string, string> = {
  'not found': 'notFound',
  'the template is archived': 'templateArchived',
  'a service template: a journey sends marketing': 'serviceTemplate',
  'the tag is archived': 'tagArchived',
  'a rule tag follows its rule: a step adds or removes manual tags only': 'ruleTag',
  'the segment is archived': 'segmentArchived',
  'no such tier': 'noTier',
  'in the past': 'inPast',
  'no step leads here': 'unreachable',
  'a later step (a journey only goes forward, so each step happens once)': 'laterStep',
  'a step number': 'stepRequired',
  'a template for each channel chosen': 'templateRequired',
  'a template of a channel not chosen': 'templateRequired',
  'a channel twice': 'channelTwice',
  'at least one channel, in order of preference': 'channelsRequired',
  'a wait of at least an hour': 'waitTooShort',
  'a coupon template': 'couponRequired',
  'a manual tag': 'tagRequired',
  'the tag asked about': 'tagRequired',
  'a tag': 'tagRequired',
  'the segment asked about': 'segmentRequired',
  'a date YYYY-MM-DD': 'dateRequired',
  'another journey has this name': 'nameTaken',
  'at least one step': 'stepsRequired',
  'from 1 to 100 characters': 'nameLength',
}
export const reasonOf = (reason: string): { key: string; values?: Record<string, string | number> } | null => {
  if (REASONS[reason]) return { key: REASONS[reason] }
  let m: RegExpMatchArray | null
  if ((m = /^no step (\d+): the steps are 0 to (\d+)$/.exec(reason))) return { key: 'noSuchStep', values: { n: Number(m[1]) + 1, last: Number(m[2]) + 1 } }
  if ((m = /^whole days from (\d+) to (\d+)$/.exec(reason))) return { key: 'wholeDays', values: { min: Number(m[1]), max: Number(m[2]) } }
  if ((m = /^whole hours from (\d+) to (\d+)$/.exec(reason))) return { key: 'wholeHours', values: { min: Number(m[1]), max: Number(m[2]) } }
  if ((m = /^at most (\d+) steps$/.exec(reason))) return { key: 'tooManySteps', values: { max: Number(m[1]) } }
  if (/^a (sms|email|wechat|push) template$/.test(reason)) return { key: 'otherChannel' }
  if (/^the coupon template is /.test(reason)) return { key: 'couponInactive' }
  if (/^one of /.test(reason)) return { key: 'choose' }
  return null
}

// ---- what a journey's status lets one do -------------------------------------------------------

export type JourneyAction = 'edit' | 'activate' | 'pause' | 'archive'

/** A draft or a paused journey is activated; an active one paused; anything not archived is edited and archived. The server checks each again. */
export const journeyActions = (status: JourneyStatus, manage: boolean): JourneyAction[] => {
  if (!manage || status === 'archived') return []
  return [
    'edit',
    ...(status === 'draft' || status === 'paused' ? ['activate' as const] : []),
    ...(status === 'active' ? ['pause' as const] : []),
    'archive',
  ]
}

const canonical = (x: unknown): unknown => {
  if (Array.isArray(x)) return x.map(canonical)
  if (x && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== null).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]))
  }
  return x
}

/** Whether two definitions are the same journey (fields in any order, absent and null alike). */
export const sameDefinition = (a: { trigger: unknown; steps: unknown }, b: { trigger: unknown; steps: unknown }): boolean =>
  JSON.stringify(canonical({ trigger: a.trigger, steps: a.steps })) === JSON.stringify(canonical({ trigger: b.trigger, steps: b.steps }))

/**
 * Whether saving makes a new version: a journey that has been active keeps the version its
 * members entered, so a changed trigger or steps become the next one; a draft is changed in place.
 */
export const savesNewVersion = (status: JourneyStatus, changed: boolean): boolean => changed && (status === 'active' || status === 'paused')

/**
 * The form paths an onValuesChange touched (`{ steps: [, { days: 3 }] }` → `steps.1.days`), so
 * the server's errors on them are cleared: a list of values (a send's channels) is one field.
 */
export const changedPaths = (changed: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> => {
  if (Array.isArray(changed)) {
    if (!changed.some((x) => x && typeof x === 'object')) return [prefix]
    return changed.flatMap((x, i) => (x === undefined ? [] : changedPaths(x, [...prefix, i])))
  }
  if (changed && typeof changed === 'object' && !('$d' in changed)) {
    return Object.entries(changed).flatMap(([k, x]) => changedPaths(x, [...prefix, k]))
  }
  return prefix.length ? [prefix] : []
}
