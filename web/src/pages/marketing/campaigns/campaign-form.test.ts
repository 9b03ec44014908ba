import { describe, expect, it } from 'vitest'
import { everyDay, upliftChartOption } from './campaign-charts.js'
import {
  campaignActions, emptyCampaign, fieldPath, funnelOf, isLive, nextHour, reasonKey, stepFields, stepOfField, toCampaignBody, toFormValues, type Campaign,
} from './campaign-form.js'

const TZ = 'Asia/Shanghai'

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'cmp_1', name: '双十一', description: null, status: 'draft', segmentId: 'seg_1', audienceMode: 'dynamic', snapshotId: null, excludeSegmentIds: [],
  channels: ['wechat', 'sms'], templateIds: { wechat: 'mtp_w', sms: 'mtp_s' }, couponTemplateId: 'ctp_1', scheduleKind: 'at', sendAt: '2026-12-10T02:00:00.000Z',
  recurrence: null, repeatUntil: null, ratePerMinute: 500, holdoutPct: 20, attributionDays: 7, version: 3, createdBy: 'usr_a', createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z', submittedBy: null, approvedBy: null, approvedAt: null, nextRunAt: null, ...over,
})

describe('the campaign form and the API body', () => {
  it('starts a new campaign sent on submitting, 10% held out, 14 days measured', () => {
    expect(toCampaignBody({ ...emptyCampaign(), name: ' 周末促销 ', segmentId: 'seg_1', templateIds: { sms: 'mtp_s' } }, TZ)).toEqual({
      name: '周末促销', description: null, segmentId: 'seg_1', audienceMode: 'dynamic', snapshotId: null, excludeSegmentIds: [], channels: ['sms'],
      templateIds: { sms: 'mtp_s' }, couponTemplateId: null, scheduleKind: 'now', sendAt: null, recurrence: null, repeatUntil: null,
      ratePerMinute: 1000, holdoutPct: 10, attributionDays: 14,
    })
  })

  it('reads a campaign into the form and back unchanged, times as wall times in the chain\'s zone', () => {
    const c = campaign()
    const v = toFormValues(c, TZ)
    expect(v.sendAt!.format('YYYY-MM-DD HH:mm')).toBe('2026-12-10 10:00')
    const body = toCampaignBody(v, TZ)
    expect(body).toMatchObject({ sendAt: '2026-12-10T02:00:00.000Z', channels: ['wechat', 'sms'], templateIds: { wechat: 'mtp_w', sms: 'mtp_s' }, holdoutPct: 20, couponTemplateId: 'ctp_1' })
  })

  it('sends only what the chosen kinds use: no time for a send now, no repeat for a single send, no snapshot for a dynamic audience', () => {
    const v = { ...toFormValues(campaign({ scheduleKind: 'recurring', recurrence: 'weekly', repeatUntil: '2027-01-10T02:00:00.000Z' }), TZ), snapshotId: 'sns_1' }
    expect(toCampaignBody({ ...v, scheduleKind: 'now' }, TZ)).toMatchObject({ sendAt: null, recurrence: null, repeatUntil: null, snapshotId: null })
    expect(toCampaignBody({ ...v, scheduleKind: 'at' }, TZ)).toMatchObject({ sendAt: '2026-12-10T02:00:00.000Z', recurrence: null, repeatUntil: null })
    expect(toCampaignBody(v, TZ)).toMatchObject({ recurrence: 'weekly', repeatUntil: '2027-01-10T02:00:00.000Z' })
    expect(toCampaignBody({ ...v, audienceMode: 'snapshot' }, TZ).snapshotId).toBe('sns_1')
  })

  it('leaves out the template of a channel removed, and the target segment from the exclusions', () => {
    const v = { ...toFormValues(campaign(), TZ), channels: ['sms' as const], excludeSegmentIds: ['seg_1', 'seg_2'] }
    expect(toCampaignBody(v, TZ)).toMatchObject({ channels: ['sms'], templateIds: { sms: 'mtp_s' }, excludeSegmentIds: ['seg_2'] })
  })

  it('proposes the next whole hour in the chain\'s zone for a scheduled send', () => {
    expect(nextHour(TZ, new Date('2026-12-06T19:30:00Z')).format('YYYY-MM-DD HH:mm')).toBe('2026-12-07 04:00')
  })
})

describe('the API\'s field errors on the form', () => {
  it.each([
    ['name', 0], ['excludeSegmentIds.1', 0], ['snapshotId', 0], ['channels', 1], ['templateIds.sms', 1], ['couponTemplateId', 2], ['sendAt', 3], ['holdoutPct', 3], ['unknown', 3],
  ])('%s is on step %i', (field, step) => {
    expect(stepOfField(field)).toBe(step)
  })

  it.each([
    ['templateIds.sms', ['templateIds', 'sms']], ['excludeSegmentIds.2', ['excludeSegmentIds']], ['sendAt', ['sendAt']],
  ])('%s lands on the form field %j', (field, path) => {
    expect(fieldPath(field)).toEqual(path)
  })

  it('validates a step\'s own fields, the templates of the channels chosen', () => {
    expect(stepFields(1, ['wechat', 'sms'])).toEqual([['channels'], ['templateIds', 'wechat'], ['templateIds', 'sms']])
    expect(stepFields(2, [])).toEqual([['couponTemplateId']])
  })

  it.each([
    ['not found', 'notFound'], ['in the past', 'inPast'], ['a email template', 'otherChannel'], ['the coupon template is paused', 'couponInactive'], ['whole days from 1 to 90', null],
  ])('says "%s" in words (%s)', (reason, key) => {
    expect(reasonKey(reason)).toBe(key)
  })
})

describe('what a campaign lets whom do', () => {
  const manager = { userId: 'usr_a', manage: true, approve: false }
  const admin = { userId: 'usr_b', manage: true, approve: true }
  const analyst = { userId: 'usr_c', manage: false, approve: false }
  it.each([
    ['draft', 0, manager, ['edit', 'submit', 'cancel', 'test']],
    ['pending_approval', 0, manager, ['withdraw', 'cancel', 'test']],
    ['pending_approval', 0, admin, ['approve', 'reject', 'cancel', 'test']],
    ['scheduled', 0, manager, ['withdraw', 'pause', 'cancel', 'test']],
    ['scheduled', 1, manager, ['pause', 'cancel', 'test']],
    ['running', 1, manager, ['pause', 'cancel', 'test']],
    ['paused', 1, manager, ['resume', 'cancel', 'test']],
    ['completed', 1, manager, ['test']],
    ['cancelled', 1, analyst, []],
    ['running', 1, analyst, []],
  ] as const)('%s with %i runs', (status, runs, who, actions) => {
    expect(campaignActions({ status, submittedBy: 'usr_a' }, runs, who)).toEqual(actions)
  })

  it('lets only the submitter take back a campaign waiting for approval', () => {
    expect(campaignActions({ status: 'pending_approval', submittedBy: 'usr_a' }, 0, { userId: 'usr_d', manage: true, approve: false })).toEqual(['cancel', 'test'])
  })

  it('never offers its submitter the approval, even an administrator', () => {
    expect(campaignActions({ status: 'pending_approval', submittedBy: 'usr_b' }, 0, admin)).toEqual(['withdraw', 'cancel', 'test'])
  })

  it('keeps reading a campaign while it sends or is about to', () => {
    const now = Date.parse('2026-12-07T02:00:00Z')
    expect(isLive({ status: 'running', nextRunAt: null }, [{ status: 'sending' }], now)).toBe(true)
    expect(isLive({ status: 'scheduled', nextRunAt: '2026-12-07T02:00:00.000Z' }, [], now)).toBe(true)
    expect(isLive({ status: 'scheduled', nextRunAt: '2026-12-07T05:00:00.000Z' }, [], now)).toBe(false)
    expect(isLive({ status: 'paused', nextRunAt: null }, [{ status: 'paused' }], now)).toBe(false)
    expect(isLive({ status: 'completed', nextRunAt: null }, [{ status: 'done' }], now)).toBe(false)
  })
})

describe('a run and its report', () => {
  it('shows the audience step by step to the members messaged', () => {
    const f = funnelOf({ audience: 100, excluded: 10, noConsent: 20, chainHoldout: 0, holdout: 14, targets: 56 })
    expect(f.map((x) => [x.key, x.count, x.left])).toEqual([
      ['audience', 100, 100], ['excluded', 10, 90], ['noConsent', 20, 70], ['chainHoldout', 0, 70], ['holdout', 14, 56], ['targets', 56, 56],
    ])
  })

  it('draws the cumulative sales per member in yuan from 0 at the send, messaged against the holdout', () => {
    const o = upliftChartOption([{ date: '2026-12-07', target: 1250, holdout: 1000 }, { date: '2026-12-08', target: 3333, holdout: 2000 }], { target: '发送对象', holdout: '对照组', axis: '元/人', start: '发送时' })
    expect(o.xAxis.data).toEqual(['发送时', '12-07', '12-08'])
    expect(o.series.map((s) => [s.name, s.data])).toEqual([['发送对象', [0, 12.5, 33.33]], ['对照组', [0, 10, 20]]])
  })

  it('shows every day of the window so far, a day without sales keeping the totals before it', () => {
    const days = everyDay([{ date: '2026-12-08', target: 500, holdout: 300 }, { date: '2026-12-10', target: 900, holdout: 400 }], '2026-12-07', '2026-12-11')
    expect(days).toEqual([
      { date: '2026-12-07', target: 0, holdout: 0 }, { date: '2026-12-08', target: 500, holdout: 300 }, { date: '2026-12-09', target: 500, holdout: 300 },
      { date: '2026-12-10', target: 900, holdout: 400 }, { date: '2026-12-11', target: 900, holdout: 400 },
    ])
    expect(everyDay([], '2026-12-31', '2027-01-01').map((d) => d.date)).toEqual(['2026-12-31', '2027-01-01'])
  })
})

