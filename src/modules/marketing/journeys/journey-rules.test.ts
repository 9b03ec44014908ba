import { describe, expect, it } from 'vitest'
import {
  activationProblems, birthdaysOn, ceilMinute, isUpgrade, nextStepOf, parseDefinition, referencesOf, successorsOf, triggerDays, waitMs, type Definition, type Step,
} from './journey-rules.js'

const STAGES = ['new', 'active', 'dormant', 'lost', 'returning', 'prospect'] as const

/** The welcome journey: a coupon, a message, a week's wait, a reminder unless the member bought. */
const welcome = [
  { type: 'coupon', couponTemplateId: 'ctp_new' },
  { type: 'send', channels: ['sms', 'wechat'], templateIds: { sms: 'mtp_welcome', wechat: 'mtp_welcome_wx' } },
  { type: 'wait', days: 7 },
  { type: 'condition', check: 'bought_since_entry', ifTrue: 5, ifFalse: 4 },
  { type: 'send', channels: ['sms'], templateIds: { sms: 'mtp_remind' } },
  { type: 'end' },
]

const problemsOf = (trigger: unknown, steps: unknown) => parseDefinition({ trigger, steps }, STAGES).problems

describe('a journey definition', () => {
  it('takes the welcome journey whole, normalised', () => {
    const { definition, problems } = parseDefinition({ trigger: { type: 'registered' }, steps: welcome }, STAGES)
    expect(problems).toEqual([])
    expect(definition!.trigger).toEqual({ type: 'registered' })
    expect(definition!.steps[2]).toEqual({ type: 'wait', days: 7, hours: 0, next: null })
    expect(definition!.steps[3]).toEqual({ type: 'condition', check: 'bought_since_entry', tagId: null, segmentId: null, ifTrue: 5, ifFalse: 4 })
  })

  it.each([
    [{ type: 'registered' }, []],
    [{ type: 'first_purchase' }, []],
    [{ type: 'birthday', daysBefore: 7 }, []],
    [{ type: 'birthday', daysBefore: 0 }, []],
    [{ type: 'birthday' }, ['trigger.daysBefore']],
    [{ type: 'birthday', daysBefore: 61 }, ['trigger.daysBefore']],
    [{ type: 'birthday', daysBefore: 2.5 }, ['trigger.daysBefore']],
    [{ type: 'lifecycle', stage: 'dormant' }, []],
    [{ type: 'lifecycle', stage: '沉睡' }, ['trigger.stage']],
    [{ type: 'points_expiring', daysAhead: 30 }, []],
    [{ type: 'points_expiring', daysAhead: 0 }, ['trigger.daysAhead']],
    [{ type: 'tier_upgrade' }, []],
    [{ type: 'tier_upgrade', tierCode: 'gold' }, []],
    [{ type: 'tier_upgrade', tierCode: '' }, ['trigger.tierCode']],
    [{ type: 'tag_added', tagId: 'tag_x' }, []],
    [{ type: 'tag_added' }, ['trigger.tagId']],
    [{ type: 'date', date: '2026-11-11' }, []],
    [{ type: 'date', date: '2026-11-11', segmentId: 'seg_x' }, []],
    [{ type: 'date', date: '2026-02-30' }, ['trigger.date']],
    [{ type: 'registered', daysBefore: 3 }, ['trigger.daysBefore']],
    [{ type: 'birthday', daysBefore: 3, stage: 'new' }, ['trigger.stage']],
    [{ type: 'anniversary' }, ['trigger.type']],
    [null, ['trigger']],
  ])('trigger %j → problems at %j', (trigger, fields) => {
    expect(problemsOf(trigger, [{ type: 'end' }]).map((p) => p.field)).toEqual(fields)
  })

  it.each([
    ['no steps', [], ['steps']],
    ['not a list', { type: 'end' }, ['steps']],
    ['51 steps', Array.from({ length: 51 }, () => ({ type: 'end' })), ['steps']],
    ['an unknown type', [{ type: 'sms' }], ['steps.0.type']],
    ['a wait of nothing', [{ type: 'wait' }], ['steps.0.days']],
    ['a wait of hours', [{ type: 'wait', hours: 2 }], []],
    ['a negative wait', [{ type: 'wait', days: -1 }], ['steps.0.days']],
    ['a wait too long', [{ type: 'wait', days: 400 }], ['steps.0.days']],
    ['a branch backwards', [{ type: 'wait', days: 1 }, { type: 'condition', check: 'bought_since_entry', ifTrue: 0, ifFalse: 2 }, { type: 'end' }], ['steps.1.ifTrue']],
    ['a branch to itself', [{ type: 'condition', check: 'bought_since_entry', ifTrue: 0, ifFalse: 1 }, { type: 'end' }], ['steps.0.ifTrue']],
    ['a branch past the end', [{ type: 'condition', check: 'bought_since_entry', ifTrue: 1, ifFalse: 9 }, { type: 'end' }], ['steps.0.ifFalse']],
    ['a branch not a number', [{ type: 'condition', check: 'bought_since_entry', ifTrue: 'end', ifFalse: 1 }, { type: 'end' }], ['steps.0.ifTrue']],
    ['a condition without a check', [{ type: 'condition', ifTrue: 1, ifFalse: 1 }, { type: 'end' }], ['steps.0.check']],
    ['has_tag without the tag', [{ type: 'condition', check: 'has_tag', ifTrue: 1, ifFalse: 1 }, { type: 'end' }], ['steps.0.tagId']],
    ['in_segment without the segment', [{ type: 'condition', check: 'in_segment', ifTrue: 1, ifFalse: 1 }, { type: 'end' }], ['steps.0.segmentId']],
    ['a tag on the wrong check', [{ type: 'condition', check: 'in_segment', segmentId: 'seg_x', tagId: 'tag_x', ifTrue: 1, ifFalse: 1 }, { type: 'end' }], ['steps.0.tagId']],
    ['a send without channels', [{ type: 'send', channels: [], templateIds: {} }], ['steps.0.channels']],
    ['a send of an unknown channel', [{ type: 'send', channels: ['fax'], templateIds: {} }], ['steps.0.channels.0']],
    ['a channel without its template', [{ type: 'send', channels: ['sms', 'email'], templateIds: { sms: 'mtp_a' } }], ['steps.0.templateIds.email']],
    ['a template of a channel not chosen', [{ type: 'send', channels: ['sms'], templateIds: { sms: 'mtp_a', push: 'mtp_b' } }], ['steps.0.templateIds.push']],
    ['a channel twice', [{ type: 'send', channels: ['sms', 'sms'], templateIds: { sms: 'mtp_a' } }], ['steps.0.channels']],
    ['a coupon without its template', [{ type: 'coupon' }], ['steps.0.couponTemplateId']],
    ['a tag without its action', [{ type: 'tag', tagId: 'tag_x' }], ['steps.0.action']],
    ['a field of another step type', [{ type: 'coupon', couponTemplateId: 'ctp_x', days: 3 }], ['steps.0.days']],
    ['an end going on', [{ type: 'end', next: 1 }, { type: 'end' }], ['steps.0.next']],
    ['a next going back', [{ type: 'wait', days: 1 }, { type: 'wait', days: 1, next: 0 }], ['steps.1.next']],
    ['a step nothing leads to', [{ type: 'wait', days: 1, next: 2 }, { type: 'end' }, { type: 'end' }], ['steps.1']],
    ['a condition around a step', [{ type: 'condition', check: 'has_tag', tagId: 'tag_x', ifTrue: 2, ifFalse: 1 }, { type: 'coupon', couponTemplateId: 'ctp_x' }, { type: 'end' }], []],
  ])('steps: %s → problems at %j', (_name, steps, fields) => {
    expect(problemsOf({ type: 'registered' }, steps).map((p) => p.field)).toEqual(fields)
  })

  it('reports every problem at once, trigger and steps', () => {
    const problems = problemsOf({ type: 'birthday', daysBefore: -1 }, [{ type: 'wait' }, { type: 'send', channels: ['sms'], templateIds: {} }])
    expect(problems.map((p) => p.field)).toEqual(['trigger.daysBefore', 'steps.0.days', 'steps.1.templateIds.sms'])
    expect(problems[0]!.reason).toMatch(/0 to 60/)
  })

  it('refuses a fixed date already past when activated, not when written', () => {
    const d = parseDefinition({ trigger: { type: 'date', date: '2026-03-01' }, steps: [{ type: 'end' }] }, STAGES).definition!
    expect(activationProblems(d, '2026-03-02')).toEqual([{ field: 'trigger.date', reason: 'in the past' }])
    expect(activationProblems(d, '2026-03-01')).toEqual([])
  })

  it('lists what it names, with the fields', () => {
    const d = parseDefinition({ trigger: { type: 'tag_added', tagId: 'tag_vip' }, steps: [...welcome.slice(0, 5), { type: 'tag', action: 'add', tagId: 'tag_welcomed' }] }, STAGES).definition!
    const refs = referencesOf(d)
    expect(refs.templates.map((t) => t.field)).toEqual(['steps.1.templateIds.sms', 'steps.1.templateIds.wechat', 'steps.4.templateIds.sms'])
    expect(refs.couponTemplates).toEqual([{ field: 'steps.0.couponTemplateId', id: 'ctp_new' }])
    expect(refs.tags).toEqual([{ field: 'trigger.tagId', id: 'tag_vip', manual: false }, { field: 'steps.5.tagId', id: 'tag_welcomed', manual: true }])
  })
})

describe('where a member goes next', () => {
  const steps = parseDefinition({ trigger: { type: 'registered' }, steps: welcome }, STAGES).definition!.steps
  it.each([
    [0, undefined, 1],
    [1, undefined, 2],
    [2, undefined, 3],
    [3, true, 5],
    [3, false, 4],
    [4, undefined, 5],
    [5, undefined, null],
  ])('after step %i (answer %s) → %s', (i, answer, next) => {
    expect(nextStepOf(steps, i, answer)).toBe(next)
  })

  it.each([
    ['the last step ends', [{ type: 'wait', days: 1, hours: 0, next: null }], 0, []],
    ['next skips ahead', [{ type: 'wait', days: 1, hours: 0, next: 2 }, { type: 'end' }, { type: 'end' }], 0, [2]],
    ['a condition to both', [{ type: 'condition', check: 'has_tag', tagId: 't', segmentId: null, ifTrue: 2, ifFalse: 1 }, { type: 'end' }, { type: 'end' }], 0, [2, 1]],
    ['a condition to one', [{ type: 'condition', check: 'has_tag', tagId: 't', segmentId: null, ifTrue: 1, ifFalse: 1 }, { type: 'end' }], 0, [1]],
    ['an end nowhere', [{ type: 'end' }, { type: 'end' }], 0, []],
  ] as Array<[string, Step[], number, number[]]>)('%s', (_name, s, i, expected) => {
    expect(successorsOf(s, i)).toEqual(expected)
  })

  it.each([
    [{ type: 'wait', days: 7, hours: 0, next: null }, 7 * 86_400_000],
    [{ type: 'wait', days: 0, hours: 3, next: null }, 3 * 3_600_000],
    [{ type: 'wait', days: 1, hours: 12, next: null }, 36 * 3_600_000],
  ] as const)('%j waits %i ms', (step, ms) => {
    expect(waitMs(step)).toBe(ms)
  })
})

describe('the daily triggers', () => {
  it.each([
    ['2026-03-10', '2026-01-01', ['2026-03-08', '2026-03-09', '2026-03-10']],
    ['2026-03-10', '2026-03-10', ['2026-03-10']],
    ['2026-03-10', '2026-03-09', ['2026-03-09', '2026-03-10']],
    ['2026-03-01', '2026-02-20', ['2026-02-27', '2026-02-28', '2026-03-01']],
  ])('today %s, active since %s → the days %j', (today, since, days) => {
    expect(triggerDays(today, since)).toEqual(days)
  })

  it.each([
    ['2026-05-20', ['05-20']],
    ['2027-02-28', ['02-28', '02-29']],
    ['2028-02-28', ['02-28']],
    ['2028-02-29', ['02-29']],
    ['2100-02-28', ['02-28', '02-29']],
  ])('birthdays on %s: %j', (date, mds) => {
    expect(birthdaysOn(date)).toEqual(mds)
  })

  it.each([
    ['2026-03-09T02:00:00.000Z', '2026-03-09T02:00:00.000Z'],
    ['2026-03-09T02:00:00.001Z', '2026-03-09T02:01:00.000Z'],
    ['2026-03-09T02:00:59.999Z', '2026-03-09T02:01:00.000Z'],
  ])('the wake-up minute of %s is %s', (at, minute) => {
    expect(ceilMinute(new Date(at))).toBe(minute)
  })

  it.each([
    ['upgrade', null, null, true],
    ['downgrade', 2, 1, false],
    ['initial', null, 1, false],
    ['manual', 1, 2, true],
    ['manual', 2, 1, false],
    ['manual', null, 1, true],
    ['manual', 1, null, false],
  ] as const)('a %s from rank %s to %s is an upgrade: %s', (reason, from, to, up) => {
    expect(isUpgrade(reason, from, to)).toBe(up)
  })
})

// The definition's type is what the service stores: a parsed definition round-trips through JSON.
it('keeps a parsed definition through JSON', () => {
  const d = parseDefinition({ trigger: { type: 'birthday', daysBefore: 7 }, steps: welcome }, STAGES).definition!
  const again = parseDefinition(JSON.parse(JSON.stringify(d)) as Definition, STAGES)
  expect(again.definition).toEqual(d)
})
