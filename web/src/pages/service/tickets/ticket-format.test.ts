import { describe, expect, it } from 'vitest'
import { translator } from '../../../i18n/test-translator.js'
import {
  categoryTree, compensationAllowance, deadlineState, formatMinutes, formatRate, formatSpan, joinMinutes, moveSelection, nextDeadline,
  hoursToTexts, newTicketLink, parseIntervals, photoProblem, takenBy, textsToHours, splitMinutes, weeklyHoursSummary, MAX_PHOTO_BYTES,
} from './ticket-format.js'

const zhUnits = { d: '天', h: '小时', m: '分', s: '秒' }
const now = Date.parse('2026-12-14T02:00:00Z')
const MIN = 60_000

describe('deadlines', () => {
  const open = { status: 'assigned', firstResponseDueAt: '2026-12-14T03:00:00Z', resolutionDueAt: '2026-12-15T03:00:00Z', firstRespondedAt: null, resolvedAt: null }

  it('works towards the first response until there is one, then resolution, then nothing', () => {
    expect(nextDeadline(open)).toEqual({ kind: 'firstResponse', dueAt: '2026-12-14T03:00:00Z' })
    expect(nextDeadline({ ...open, status: 'in_progress', firstRespondedAt: '2026-12-14T02:30:00Z' })).toEqual({ kind: 'resolution', dueAt: '2026-12-15T03:00:00Z' })
    expect(nextDeadline({ ...open, status: 'resolved', firstRespondedAt: '2026-12-14T02:30:00Z', resolvedAt: '2026-12-14T05:00:00Z' })).toBeNull()
  })

  it.each([
    ['2026-12-14T03:00:00Z', null, 'ok', 60 * MIN],
    ['2026-12-14T02:20:00Z', null, 'soon', 20 * MIN],
    ['2026-12-14T02:30:00Z', null, 'soon', 30 * MIN],
    ['2026-12-14T01:59:00Z', null, 'overdue', -1 * MIN],
    ['2026-12-14T01:00:00Z', '2026-12-14T00:50:00Z', 'met', -10 * MIN],
    ['2026-12-14T01:00:00Z', '2026-12-14T01:05:00Z', 'metLate', 5 * MIN],
    [null, null, 'none', 0],
  ] as const)('due %s, done %s: %s', (dueAt, doneAt, tone, ms) => {
    expect(deadlineState(dueAt, doneAt, now, 30 * MIN)).toEqual({ tone, ms })
  })
})

describe('spans in words', () => {
  it.each([
    [0, '0秒'],
    [45_000, '45秒'],
    [12 * MIN + 30_000, '12分30秒'],
    [-(12 * MIN + 30_000), '12分30秒'],
    [3 * 60 * MIN + 5 * MIN + 59_000, '3小时5分'],
    [3 * 60 * MIN, '3小时'],
    [26 * 60 * MIN + 7 * MIN, '1天2小时'],
    [24 * 60 * MIN + 7 * MIN, '1天'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatSpan(ms, zhUnits)).toBe(text)
  })

  it('speaks English with its own units and a space between them', async () => {
    const t = await translator('service', 'en-US', 'tickets')
    const units = { d: t('units.d'), h: t('units.h'), m: t('units.m'), s: t('units.s') }
    expect(t('countdown.overdue', { span: formatSpan(-(90 * MIN), units, ' ') })).toBe('1h 30m overdue')
    const zh = await translator('service', 'zh-CN', 'tickets')
    expect(zh('countdown.left', { span: formatSpan(90 * MIN, zhUnits) })).toBe('剩 1小时30分')
  })

  it.each([[null, '—'], [45.4, '45 分钟'], [90, '1.5 小时'], [600, '10 小时']])('%s minutes → %s', (minutes, text) => {
    expect(formatMinutes(minutes, { m: (n) => `${n} 分钟`, h: (n) => `${n} 小时` })).toBe(text)
  })

  it.each([[null, '—'], [0.9234, '92.3%'], [1, '100.0%'], [0, '0.0%']])('rate %s → %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text)
  })
})

describe('working minutes in an editor', () => {
  it.each([[240, { value: 4, unit: 'h' }], [90, { value: 90, unit: 'm' }], [1, { value: 1, unit: 'm' }], [0, { value: 0, unit: 'm' }]] as const)('%s minutes shown as %j', (minutes, shown) => {
    expect(splitMinutes(minutes)).toEqual(shown)
    expect(joinMinutes(shown.value, shown.unit)).toBe(minutes)
  })
})

describe('weekly hours', () => {
  it.each([
    ['09:00-18:00', [['09:00', '18:00']]],
    ['9:00-12:00, 13:00–18:00', [['09:00', '12:00'], ['13:00', '18:00']]],
    ['00:00-24:00', [['00:00', '24:00']]],
    ['', []],
    ['18:00-09:00', null],
    ['09:00', null],
    ['25:00-26:00', null],
  ] as const)('%j reads as %j', (text, intervals) => {
    expect(parseIntervals(text)).toEqual(intervals)
  })

  it('sums a week up in runs of days with the same hours, closed days left out', () => {
    const day = { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' } as const
    const week = {
      mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']],
      sat: [['10:00', '16:00']],
    } as Parameters<typeof weeklyHoursSummary>[0]
    expect(weeklyHoursSummary(week, (d) => day[d], '；')).toBe('周一–周五 09:00-18:00；周六 10:00-16:00')
    expect(weeklyHoursSummary(null, (d) => day[d])).toBe('')
  })

  it('goes to an editor\'s texts and back, a malformed day refusing the whole week', () => {
    const week = { mon: [['09:00', '12:00'], ['13:00', '18:00']], sun: [['00:00', '24:00']] } as Parameters<typeof hoursToTexts>[0]
    const texts = hoursToTexts(week)
    expect(texts).toMatchObject({ mon: '09:00-12:00, 13:00-18:00', tue: '', sun: '00:00-24:00' })
    expect(textsToHours(texts)).toEqual(week)
    expect(textsToHours({ ...texts, wed: '9-5' })).toBeNull()
  })
})

describe('compensation within the role\'s limit', () => {
  const limits = { service_agent: { maxPoints: 500, maxCouponValue: 2000 }, hq_admin: { maxPoints: null, maxCouponValue: null } }
  const granted = [{ kind: 'points', points: 200, faceValue: null }, { kind: 'coupon', points: null, faceValue: 1500 }] as const

  it('leaves what the limit allows less what the ticket already had', () => {
    expect(compensationAllowance(limits, 'service_agent', granted)).toEqual({ points: 300, couponValue: 500 })
    expect(compensationAllowance(limits, 'service_agent', [...granted, { kind: 'points', points: 900, faceValue: null }])).toEqual({ points: 0, couponValue: 500 })
  })

  it('has no limit for a role without one, and none at all for a role not listed', () => {
    expect(compensationAllowance(limits, 'hq_admin', granted)).toEqual({ points: null, couponValue: null })
    expect(compensationAllowance(limits, 'cashier', [])).toBeNull()
    expect(compensationAllowance(undefined, 'hq_admin', [])).toBeNull()
  })
})

describe('photos checked before the upload', () => {
  it.each([
    [{ type: 'image/png', size: 1000 }, null],
    [{ type: 'image/jpeg', size: MAX_PHOTO_BYTES }, null],
    [{ type: 'image/jpeg', size: MAX_PHOTO_BYTES + 1 }, 'tooLarge'],
    [{ type: 'application/pdf', size: 1000 }, 'badType'],
    [{ type: 'image/svg+xml', size: 1000 }, 'badType'],
  ] as const)('%j → %s', (file, problem) => {
    expect(photoProblem(file)).toBe(problem)
  })
})

describe('the queue by keyboard', () => {
  it.each([
    [-1, 'j', 3, 0], [0, 'j', 3, 1], [2, 'j', 3, 2], [2, 'ArrowDown', 3, 2],
    [-1, 'k', 3, 0], [2, 'k', 3, 1], [0, 'ArrowUp', 3, 0], [1, 'x', 3, 1], [1, 'j', 0, -1],
  ])('at %s, %s with %s rows → %s', (index, key, rows, next) => {
    expect(moveSelection(index, key, rows)).toBe(next)
  })
})

describe('the category tree', () => {
  const c = (id: string, parentId: string | null, name: string, sort = 0, active = true, nameEn: string | null = null) => ({ id, parentId, name, nameEn, sort, active })

  it('nests children under parents by sort, leaves inactive ones out and names them in English when asked', () => {
    const list = [c('b', null, '食品安全', 2), c('a', null, '商品质量', 1, true, 'Quality'), c('a2', 'a', '过期', 2), c('a1', 'a', '破损', 1), c('x', 'a', '停用', 0, false)]
    expect(categoryTree(list, false)).toEqual([
      { value: 'a', title: '商品质量', children: [{ value: 'a1', title: '破损' }, { value: 'a2', title: '过期' }] },
      { value: 'b', title: '食品安全' },
    ])
    expect(categoryTree(list, true)[0]!.title).toBe('Quality')
    expect(categoryTree(list, false, true)[0]!.children!.map((n) => n.value)).toEqual(['x', 'a1', 'a2'])
  })

  it('puts a child whose parent is inactive at the top rather than losing it', () => {
    expect(categoryTree([c('p', null, '旧', 0, false), c('k', 'p', '子')], false)).toEqual([{ value: 'k', title: '子' }])
  })
})

describe('a ticket someone else took', () => {
  it.each([
    [{ code: 'TICKET_TAKEN', details: [{ field: 'assigneeId', reason: '王芳 has this ticket' }] }, '王芳'],
    [{ code: 'TICKET_TAKEN', details: [{ field: 'assigneeId', reason: 'someone has this ticket' }] }, null],
    [{ code: 'TICKET_NOT_OPEN', details: [] }, null],
    [new Error('x'), null],
  ])('%j → %s', (err, name) => {
    expect(takenBy(err)).toBe(name)
  })
})

describe('the intake form prefilled', () => {
  it.each([
    [{}, '/service/tickets/new'],
    [{ memberId: 'mem_1' }, '/service/tickets/new?memberId=mem_1'],
    [{ memberId: null, receiptId: 'rcp_1', storeId: 'sto_1' }, '/service/tickets/new?receiptId=rcp_1&storeId=sto_1'],
    [{ memberId: 'mem_1', receiptId: 'rcp 1&x', storeId: undefined }, '/service/tickets/new?memberId=mem_1&receiptId=rcp+1%26x'],
  ])('links %j to %s', (prefill, link) => {
    expect(newTicketLink(prefill)).toBe(link)
  })
})
