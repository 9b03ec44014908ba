import type { TFunction } from 'i18next'
import { reasonOf, type StepOutcome, type StepValues, type Trigger } from './journey-form.js'

// A journey in words: its trigger, each step, what a step did; and the API's reasons. Pure
// functions of the words (marketing:journeys) and the names of what a journey points at.

export type T = TFunction<'marketing', 'journeys'>

/** The names of what a journey points at, by id (null: not found, or not visible to this user). */
export interface Names {
  tag: (id: string) => string | null
  segment: (id: string) => string | null
  tier: (code: string) => string | null
  coupon: (id: string) => string | null
  stage: (code: string) => string | null
  channel: (channel: string) => string
}

/** A trigger in words: 会员生日前 3 天, 会员进入“沉睡客户”阶段时, 2026-12-24 当天，全部有效会员. */
export const triggerText = (t: T, trigger: Trigger, names: Names): string => {
  const unknown = t('unknown')
  switch (trigger.type) {
    case 'registered': return t('triggerText.registered')
    case 'first_purchase': return t('triggerText.first_purchase')
    case 'birthday': return trigger.daysBefore ? t('triggerText.birthday', { n: trigger.daysBefore }) : t('triggerText.birthdayToday')
    case 'lifecycle': return t('triggerText.lifecycle', { stage: names.stage(trigger.stage ?? '') ?? trigger.stage ?? unknown })
    case 'points_expiring': return t('triggerText.points_expiring', { n: trigger.daysAhead ?? 0 })
    case 'tier_upgrade': return trigger.tierCode ? t('triggerText.tier_upgrade', { tier: names.tier(trigger.tierCode) ?? trigger.tierCode }) : t('triggerText.tierAny')
    case 'tag_added': return t('triggerText.tag_added', { tag: names.tag(trigger.tagId ?? '') ?? unknown })
    case 'date': return trigger.segmentId
      ? t('triggerText.dateSegment', { date: trigger.date ?? '', segment: names.segment(trigger.segmentId) ?? unknown })
      : t('triggerText.dateAll', { date: trigger.date ?? '' })
  }
}

/** How long a wait waits: 2 天 3 小时. */
export const waitText = (t: T, days: number, hours: number): string =>
  [days ? t('stepText.days', { n: days }) : '', hours || !days ? t('stepText.hours', { n: hours }) : ''].filter(Boolean).join(' ')

/** A step in words, with the step numbers as people count them (from 1): 条件判断…？是 → 第 6 步，否 → 第 5 步. */
export const stepText = (t: T, s: StepValues, names: Names): string => {
  const unknown = t('unknown')
  const then = typeof s.next === 'number' ? t('stepText.then', { n: s.next + 1 }) : ''
  switch (s.type) {
    case 'wait': return t('stepText.wait', { time: waitText(t, s.days ?? 0, s.hours ?? 0) }) + then
    case 'condition': {
      const check = s.check === 'has_tag' ? t('checks.has_tag', { tag: names.tag(s.tagId ?? '') ?? unknown })
        : s.check === 'in_segment' ? t('checks.in_segment', { segment: names.segment(s.segmentId ?? '') ?? unknown })
          : t('checks.bought_since_entry')
      return t('stepText.condition', { check, yes: (s.ifTrue ?? -1) + 1, no: (s.ifFalse ?? -1) + 1 })
    }
    case 'send': return t('stepText.send', { channels: (s.channels ?? []).map(names.channel).join(' → ') }) + then
    case 'coupon': return t('stepText.coupon', { coupon: names.coupon(s.couponTemplateId ?? '') ?? unknown }) + then
    case 'tag': return t(s.action === 'remove' ? 'stepText.tagRemove' : 'stepText.tagAdd', { tag: names.tag(s.tagId ?? '') ?? unknown }) + then
    case 'end': return t('stepText.end')
  }
}

/** What a step did, counted, in words: 已发送 12 · 超出发送频次，未发 2 (the API's order). */
export const outcomesText = (t: T, outcomes: Partial<Record<StepOutcome, number>>): string =>
  Object.entries(outcomes).filter(([, n]) => n).map(([o, n]) => `${t(`outcomes.${o as StepOutcome}`)} ${n!.toLocaleString('en-US')}`).join(' · ')

/** The API's reason for a field in the user's language (as sent when the console has no words for it). */
export const reasonText = (t: T, reason: string): string => {
  const r = reasonOf(reason)
  return r ? t(`reasons.${r.key}` as 'reasons.notFound', r.values ?? {}) : reason
}

/** Where a problem the API names is, in words: 第 3 步, 触发条件, 名称. */
export const whereText = (t: T, field: string): string => {
  const [top, second] = field.split('.')
  if (top === 'steps' && second !== undefined && /^\d+$/.test(second)) return t('stepNo', { n: Number(second) + 1 })
  if (top === 'trigger') return t('detail.where.trigger')
  if (top === 'steps') return t('detail.where.steps')
  return t('detail.where.name')
}

/** The API's problems with a journey as lines to read (activating one whose template was archived since): 第 2 步：该模板已归档. */
export const problemLines = (t: T, details: ReadonlyArray<{ field: string; reason: string }>): string[] =>
  details.map((d) => t('detail.problem', { where: whereText(t, d.field), reason: reasonText(t, d.reason) }))
