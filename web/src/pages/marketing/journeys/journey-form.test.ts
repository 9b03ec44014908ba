import dayjs from 'dayjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { translator } from '../../../i18n/test-translator.js'
import { stepsChartOption } from './journey-charts.js'
import {
  changedPaths, couponBefore, emptyJourney, firstPlaced, insertStep, journeyActions, laterSteps, moveStep, placeErrors, reasonOf, removeStep, sameDefinition,
  savesNewVersion, toFormValues, toJourneyBody, toStep, toTrigger, type Journey, type StepValues, type TriggerValues,
} from './journey-form.js'
import { outcomesText, problemLines, reasonText, stepText, triggerText, waitText, type Names, type T } from './journey-words.js'

const welcome: StepValues[] = [
  { type: 'coupon', couponTemplateId: 'ctp_new', next: null },
  { type: 'send', channels: ['wechat', 'sms'], templateIds: { wechat: 'mtp_w', sms: 'mtp_s', email: 'mtp_e' }, next: null },
  { type: 'wait', days: 7, hours: 0, next: null },
  { type: 'condition', check: 'bought_since_entry', ifTrue: 5, ifFalse: 4 },
  { type: 'send', channels: ['sms'], templateIds: { sms: 'mtp_r' }, next: null },
  { type: 'end' },
]
const targets = (steps: StepValues[]) => steps.map((s) => [s.type, s.ifTrue ?? null, s.ifFalse ?? null, s.next ?? null])

describe('the builder and the API body', () => {
  it('starts a new journey at registration with a coupon and then a message', () => {
    expect(toJourneyBody({ ...emptyJourney(), name: ' 新会员欢迎 ' })).toEqual({
      name: '新会员欢迎', description: null, trigger: { type: 'registered' },
      steps: [{ type: 'coupon', couponTemplateId: undefined, next: null }, { type: 'send', channels: ['sms'], templateIds: {}, next: null }],
    })
  })

  it.each<[TriggerValues, object]>([
    [{ type: 'registered', daysBefore: 3, tagId: 'tag_x' }, { type: 'registered' }],
    [{ type: 'birthday', daysBefore: 0, daysAhead: 9 }, { type: 'birthday', daysBefore: 0 }],
    [{ type: 'lifecycle', stage: 'dormant' }, { type: 'lifecycle', stage: 'dormant' }],
    [{ type: 'points_expiring', daysAhead: 30 }, { type: 'points_expiring', daysAhead: 30 }],
    [{ type: 'tier_upgrade' }, { type: 'tier_upgrade', tierCode: null }],
    [{ type: 'tier_upgrade', tierCode: 'gold' }, { type: 'tier_upgrade', tierCode: 'gold' }],
    [{ type: 'tag_added', tagId: 'tag_1', segmentId: 'seg_1' }, { type: 'tag_added', tagId: 'tag_1' }],
    [{ type: 'date', date: dayjs('2027-01-28'), segmentId: null }, { type: 'date', date: '2027-01-28', segmentId: null }],
  ])('sends a %j trigger with its own fields only', (v, body) => {
    expect(toTrigger(v)).toEqual(body)
  })

  it.each<[StepValues, object]>([
    [{ type: 'wait', days: 2, hours: null as never, couponTemplateId: 'x' }, { type: 'wait', days: 2, hours: 0, next: null }],
    [{ type: 'condition', check: 'bought_since_entry', tagId: 'tag_1', ifTrue: 3, ifFalse: 2, next: 4 }, { type: 'condition', check: 'bought_since_entry', tagId: null, segmentId: null, ifTrue: 3, ifFalse: 2 }],
    [{ type: 'condition', check: 'has_tag', tagId: 'tag_1', segmentId: 'seg_1', ifTrue: 3, ifFalse: 2 }, { type: 'condition', check: 'has_tag', tagId: 'tag_1', segmentId: null, ifTrue: 3, ifFalse: 2 }],
    [{ type: 'send', channels: ['sms'], templateIds: { sms: 'mtp_s', email: 'mtp_e' }, next: 3 }, { type: 'send', channels: ['sms'], templateIds: { sms: 'mtp_s' }, next: 3 }],
    [{ type: 'tag', action: 'remove', tagId: 'tag_m', days: 3 }, { type: 'tag', action: 'remove', tagId: 'tag_m', next: null }],
    [{ type: 'end', next: 4, days: 1 }, { type: 'end' }],
  ])('sends a %j step with its own fields only, a send the templates of its channels', (v, body) => {
    expect(toStep(v)).toEqual(body)
  })

  it('reads a journey into the builder and back unchanged, a date as the picker\'s day', () => {
    const journey = { name: '春节', description: '年货', trigger: { type: 'date' as const, date: '2027-02-01', segmentId: 'seg_1' }, steps: welcome.map(toStep) }
    const v = toFormValues(journey)
    expect(v.trigger.date!.format('YYYY-MM-DD')).toBe('2027-02-01')
    expect(toJourneyBody(v)).toEqual(journey)
    expect(sameDefinition(toJourneyBody(v), journey)).toBe(true)
  })

  it('tells a changed definition from the same one written with its fields in another order or null for absent', () => {
    const a = { trigger: { type: 'tier_upgrade', tierCode: null }, steps: [{ type: 'wait', days: 1, hours: 0, next: null }] }
    expect(sameDefinition(a, { trigger: { type: 'tier_upgrade' }, steps: [{ next: null, hours: 0, days: 1, type: 'wait' }] })).toBe(true)
    expect(sameDefinition(a, { trigger: { type: 'tier_upgrade' }, steps: [{ type: 'wait', days: 2, hours: 0 }] })).toBe(false)
  })

  it.each([
    ['draft', true, false], ['active', true, true], ['paused', true, true], ['active', false, false],
  ] as const)('makes a new version on saving a %s journey (definition changed: %s): %s', (status, changed, expected) => {
    expect(savesNewVersion(status, changed)).toBe(expected)
  })
})

describe('the steps in order', () => {
  it('moves a step and every "go to" follows the step it named', () => {
    const moved = moveStep(welcome, 4, 1)
    expect(moved.map((s) => s.type)).toEqual(['coupon', 'send', 'send', 'wait', 'condition', 'end'])
    expect(moved[1]!.templateIds).toEqual({ sms: 'mtp_r' })
    // the condition (now step 4) still goes to the end (5) and the reminder (now 1): backwards, for the form to flag
    expect(targets(moved)[4]).toEqual(['condition', 5, 1, null])
  })

  it('removes a step: pointers at it are dropped to be chosen again, later ones shift down', () => {
    const removed = removeStep(welcome, 4)
    expect(targets(removed)).toEqual([['coupon', null, null, null], ['send', null, null, null], ['wait', null, null, null], ['condition', 4, null, null], ['end', null, null, null]])
    const jumped = removeStep([{ type: 'send', channels: ['sms'], templateIds: {}, next: 2 }, { type: 'wait', days: 1 }, { type: 'end' }], 2)
    expect(jumped[0]!.next).toBeNull()
  })

  it('inserts a step: pointers at it and after shift up', () => {
    const inserted = insertStep(welcome, 3, { type: 'tag', action: 'add', tagId: 'tag_m', next: null })
    expect(targets(inserted)[4]).toEqual(['condition', 6, 5, null])
    expect(inserted[3]!.type).toBe('tag')
  })

  it.each([[6, 0, [1, 2, 3, 4, 5]], [6, 3, [4, 5]], [6, 5, []], [1, 0, []]])('offers the steps after step %i of %i', (n, i, later) => {
    expect(laterSteps(n, i)).toEqual(later)
  })

  it('previews a message with the coupon of the last coupon step before it', () => {
    expect(couponBefore(welcome, 1)).toBe('ctp_new')
    expect(couponBefore(welcome, 4)).toBe('ctp_new')
    expect(couponBefore(welcome, 0)).toBeNull()
    expect(couponBefore([{ type: 'coupon', couponTemplateId: 'a' }, { type: 'coupon', couponTemplateId: 'b' }, { type: 'send' }], 2)).toBe('b')
  })
})

describe('the API\'s field errors', () => {
  const v = { trigger: { type: 'birthday' as const, daysBefore: 90 }, steps: welcome }

  it('puts each on its field, a step\'s whole-step problem on the step, and the rest above the steps', () => {
    const placed = placeErrors([
      { field: 'name', reason: 'another journey has this name' },
      { field: 'trigger.daysBefore', reason: 'whole days from 0 to 60' },
      { field: 'trigger.stage', reason: 'not for a birthday trigger' },
      { field: 'steps.1.templateIds.sms', reason: 'the template is archived' },
      { field: 'steps.1.channels.0', reason: 'one of sms, email, wechat, push' },
      { field: 'steps.3.ifFalse', reason: 'a later step (a journey only goes forward, so each step happens once)' },
      { field: 'steps.4', reason: 'no step leads here' },
      { field: 'steps.5.next', reason: 'not for a end step' },
      { field: 'steps', reason: 'at most 50 steps' },
    ], v)
    expect(placed.fields).toEqual([
      { name: ['name'], reason: 'another journey has this name' },
      { name: ['trigger', 'daysBefore'], reason: 'whole days from 0 to 60' },
      { name: ['steps', 1, 'templateIds', 'sms'], reason: 'the template is archived' },
      { name: ['steps', 1, 'channels'], reason: 'one of sms, email, wechat, push' },
      { name: ['steps', 3, 'ifFalse'], reason: 'a later step (a journey only goes forward, so each step happens once)' },
    ])
    expect([...placed.steps]).toEqual([[4, ['no step leads here']], [5, ['not for a end step']]])
    expect(placed.other).toEqual(['not for a birthday trigger', 'at most 50 steps'])
    expect(firstPlaced(placed)).toEqual(['name'])
  })

  it('scrolls to the earliest step with a problem, a field of it or the step itself', () => {
    expect(firstPlaced(placeErrors([{ field: 'steps.3.ifTrue', reason: 'x' }, { field: 'steps.2', reason: 'no step leads here' }], v))).toEqual(['steps', 2])
    expect(firstPlaced(placeErrors([{ field: 'steps.3.ifTrue', reason: 'x' }, { field: 'trigger.daysBefore', reason: 'y' }], v))).toEqual(['trigger', 'daysBefore'])
    expect(firstPlaced(placeErrors([{ field: 'revision', reason: 'z' }], v))).toBeNull()
  })

  it.each([
    ['no step 7: the steps are 0 to 5', { key: 'noSuchStep', values: { n: 8, last: 6 } }],
    ['whole hours from 0 to 720', { key: 'wholeHours', values: { min: 0, max: 720 } }],
    ['a wechat template', { key: 'otherChannel' }],
    ['the coupon template is paused', { key: 'couponInactive' }],
    ['something new', null],
  ])('knows the reason "%s"', (reason, expected) => {
    expect(reasonOf(reason)).toEqual(expected)
  })

  it('clears the server\'s error on exactly the field edited', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(changedPaths({ steps: [, { days: 3 }] })).toEqual([['steps', 1, 'days']])
    // eslint-disable-next-line no-sparse-arrays
    expect(changedPaths({ steps: [, , { templateIds: { sms: 'mtp' } }] })).toEqual([['steps', 2, 'templateIds', 'sms']])
    expect(changedPaths({ steps: [{ channels: ['sms', 'email'] }] })).toEqual([['steps', 0, 'channels']])
    expect(changedPaths({ name: '新', trigger: { date: dayjs('2027-01-01') } })).toEqual([['name'], ['trigger', 'date']])
  })
})

describe('what a journey\'s status allows', () => {
  it.each([
    ['draft', ['edit', 'activate', 'archive']], ['active', ['edit', 'pause', 'archive']], ['paused', ['edit', 'activate', 'archive']], ['archived', []],
  ] as const)('a %s journey: %j', (status, actions) => {
    expect(journeyActions(status, true)).toEqual(actions)
    expect(journeyActions(status, false)).toEqual([])
  })
})

describe('a journey in words', () => {
  let zh: T
  let en: T
  beforeAll(async () => {
    zh = await translator('marketing', 'zh-CN', 'journeys')
    en = await translator('marketing', 'en-US', 'journeys')
  })
  const names: Names = {
    tag: (id) => ({ tag_m: '母婴人群' })[id] ?? null, segment: (id) => ({ seg_1: '高价值客户' })[id] ?? null, tier: (c) => ({ gold: '金卡' })[c] ?? null,
    coupon: (id) => ({ ctp_new: '新人 10 元券' })[id] ?? null, stage: (s) => ({ dormant: '沉睡客户' })[s] ?? null, channel: (c) => ({ sms: '短信', wechat: '微信' })[c] ?? c,
  }

  it.each<[Journey['trigger'], string]>([
    [{ type: 'registered' }, '会员注册时'],
    [{ type: 'birthday', daysBefore: 3 }, '会员生日前 3 天'],
    [{ type: 'birthday', daysBefore: 0 }, '会员生日当天'],
    [{ type: 'lifecycle', stage: 'dormant' }, '会员进入“沉睡客户”阶段时'],
    [{ type: 'points_expiring', daysAhead: 30 }, '会员有积分将在 30 天后到期时'],
    [{ type: 'tier_upgrade', tierCode: 'gold' }, '会员升级到“金卡”时'],
    [{ type: 'tier_upgrade', tierCode: null }, '会员升级时'],
    [{ type: 'tag_added', tagId: 'tag_gone' }, '会员被打上标签“（已删除）”时'],
    [{ type: 'date', date: '2027-01-28', segmentId: 'seg_1' }, '2027-01-28 当天，客群“高价值客户”的会员'],
    [{ type: 'date', date: '2027-01-28', segmentId: null }, '2027-01-28 当天，全部有效会员'],
  ])('says the trigger %j as "%s"', (trigger, text) => {
    expect(triggerText(zh, trigger, names)).toBe(text)
  })

  it('says each step, counting steps from 1 as people do', () => {
    expect(welcome.map((s) => stepText(zh, s, names))).toEqual([
      '发放“新人 10 元券”', '发送消息：微信 → 短信', '等待 7 天', '进入旅程后有消费？是 → 第 6 步，否 → 第 5 步', '发送消息：短信', '旅程结束',
    ])
    expect(stepText(zh, { type: 'tag', action: 'add', tagId: 'tag_m', next: 4 }, names)).toBe('添加标签“母婴人群”，然后到第 5 步')
    expect(stepText(en, { type: 'condition', check: 'in_segment', segmentId: 'seg_1', ifTrue: 2, ifFalse: 3 }, names)).toBe('In the segment “高价值客户”? Yes → step 3, no → step 4')
  })

  it.each([[0, 5, '5 小时'], [2, 0, '2 天'], [1, 12, '1 天 12 小时']])('says a wait of %i days %i hours as "%s"', (d, h, text) => {
    expect(waitText(zh, d, h)).toBe(text)
  })

  it('says what a step did, counted, and the API\'s reasons in the user\'s language', () => {
    expect(outcomesText(zh, { sent: 12, skipped_cap: 2, failed: 0 })).toBe('已发送 12 · 超出发送频次，未发 2')
    expect(reasonText(zh, 'no step leads here')).toBe('没有步骤通向这里：请让前面某一步跳到这里，或删除这一步')
    expect(reasonText(en, 'whole days from 0 to 60')).toBe('Whole days from 0 to 60')
    expect(reasonText(zh, 'a reason nobody wrote words for')).toBe('a reason nobody wrote words for')
    expect(problemLines(zh, [{ field: 'steps.1.templateIds.sms', reason: 'the template is archived' }, { field: 'trigger.date', reason: 'in the past' }]))
      .toEqual(['第 2 步：该模板已归档', '触发条件：日期已过，请选择今天或以后的日期'])
  })
})

describe('the steps chart', () => {
  it('draws a bar per step in step order, passed, waiting and left stacked', () => {
    const o = stepsChartOption(
      [{ index: 0, at: 0, done: 10, exited: 0 }, { index: 1, at: 3, done: 6, exited: 1 }],
      ['第 1 步 发优惠券', '第 2 步 等待'], { done: '已通过', at: '在此等待', exited: '在此退出' },
    )
    expect(o.yAxis).toMatchObject({ type: 'category', inverse: true, data: ['第 1 步 发优惠券', '第 2 步 等待'] })
    expect(o.series.map((s) => [s.name, s.stack, s.data])).toEqual([['已通过', 'members', [10, 6]], ['在此等待', 'members', [0, 3]], ['在此退出', 'members', [0, 1]]])
  })
})
