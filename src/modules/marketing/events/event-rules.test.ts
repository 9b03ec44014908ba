import { describe, expect, it } from 'vitest'
import { attendanceRate, eventProblems, followUpWindow, groupFigures, type EventFields } from './event-rules.js'

const base: EventFields = {
  title: '顾客座谈会', kind: 'panel', description: null, storeId: 'sto_1', startsAt: '2026-04-10T06:00:00.000Z', endsAt: '2026-04-10T08:00:00.000Z',
  capacity: 20, segmentId: null, campaignId: null,
}

describe('an event\'s fields', () => {
  it('accepts a well-formed event', () => {
    expect(eventProblems(base)).toEqual([])
  })

  it.each([
    ['a blank title', { title: '  ' }, 'title'],
    ['a title of 101 characters', { title: '座'.repeat(101) }, 'title'],
    ['an unknown kind', { kind: 'party' as never }, 'kind'],
    ['no store', { storeId: '' }, 'storeId'],
    ['a start that is no time', { startsAt: 'next friday' }, 'startsAt'],
    ['an impossible date', { endsAt: '2026-04-31T08:00:00Z' }, 'endsAt'],
    ['a time without a zone', { startsAt: '2026-04-10T06:00:00' }, 'startsAt'],
    ['an end before the start', { endsAt: '2026-04-10T05:00:00.000Z' }, 'endsAt'],
    ['an end at the start', { endsAt: base.startsAt }, 'endsAt'],
    ['an event of 32 days', { endsAt: '2026-05-12T06:00:00.000Z' }, 'endsAt'],
    ['no seats', { capacity: 0 }, 'capacity'],
    ['a part of a seat', { capacity: 2.5 }, 'capacity'],
    ['a description of 2001 characters', { description: '字'.repeat(2001) }, 'description'],
  ] as const)('refuses %s on its field', (_name, change, field) => {
    expect(eventProblems({ ...base, ...change }).map((p) => p.field)).toEqual([field])
  })

  it('refuses a capacity below the seats taken, and takes one equal to them', () => {
    expect(eventProblems({ ...base, capacity: 5 }, 6)).toEqual([{ field: 'capacity', reason: 'below the seats taken (6)' }])
    expect(eventProblems({ ...base, capacity: 6 }, 6)).toEqual([])
  })
})

describe('the follow-up window', () => {
  it.each([
    ['still open: cut at now, the exclusive end a millisecond later', '2026-04-15T00:00:00.000Z', { to: '2026-04-15T00:00:00.000Z', partial: true, upTo: '2026-04-15T00:00:00.001Z' }],
    ['over: from the start to 14 days after the end', '2026-05-01T00:00:00.000Z', { to: '2026-04-24T08:00:00.000Z', partial: false, upTo: '2026-04-24T08:00:00.000Z' }],
    ['not started: empty, ending at the start', '2026-04-01T00:00:00.000Z', { to: '2026-04-10T06:00:00.000Z', partial: true, upTo: '2026-04-10T06:00:00.000Z' }],
  ])('%s', (_name, now, expected) => {
    expect(followUpWindow(base.startsAt, base.endsAt, 14, new Date(now))).toEqual({ from: base.startsAt, ...expected })
  })
})

describe('the report\'s figures', () => {
  it('counts buyers, receipts and net sales of a group; members who bought nothing count as members only', () => {
    const purchases = new Map([['a', { receipts: 2, net: 15_000 }], ['b', { receipts: 0, net: -3_000 }], ['x', { receipts: 9, net: 99_000 }]])
    expect(groupFigures(['a', 'b', 'c'], purchases)).toEqual({ members: 3, buyers: 1, receipts: 2, sales: 12_000, buyRate: 1 / 3, salesPerMember: 4_000 })
    expect(groupFigures([], purchases)).toEqual({ members: 0, buyers: 0, receipts: 0, sales: 0, buyRate: null, salesPerMember: null })
  })

  it.each([[3, 4, 0.75], [0, 4, 0], [0, 0, null]])('attendance of %i out of %i is %s', (attended, registered, rate) => {
    expect(attendanceRate(attended, registered)).toBe(rate)
  })
})
