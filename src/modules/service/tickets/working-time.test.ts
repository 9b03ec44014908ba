import { describe, expect, it } from 'vitest'
import { addWorkingMinutes, weeklyHoursProblem, workingMinutesBetween, type WorkCalendar } from './working-time.js'

// Shanghai has no daylight saving: local = UTC+8 all year. Weekdays 09:00–18:00, Saturday
// 10:00–16:00, Sunday closed; 2026-10-01 (Thursday) is a holiday. 2026-03-02 is a Monday.
const cal: WorkCalendar = {
  timezone: 'Asia/Shanghai',
  weekly: {
    mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']],
    sat: [['10:00', '16:00']],
  },
  holidays: ['2026-10-01'],
}
const local = (text: string) => new Date(`${text}:00+08:00`).toISOString()

describe('addWorkingMinutes', () => {
  it.each([
    ['within the day', '2026-03-02T10:00', 60, '2026-03-02T11:00'],
    ['across a night', '2026-03-02T17:30', 60, '2026-03-03T09:30'],
    ['from before opening', '2026-03-02T07:00', 30, '2026-03-02T09:30'],
    ['into Saturday\'s shorter hours', '2026-03-06T17:00', 180, '2026-03-07T12:00'],
    ['across a weekend (Sunday closed)', '2026-03-06T17:00', 480, '2026-03-09T10:00'],
    ['across a holiday', '2026-09-30T17:00', 120, '2026-10-02T10:00'],
    ['a deadline landing exactly at closing stays at closing', '2026-03-02T17:00', 60, '2026-03-02T18:00'],
    ['a whole working day from opening ends at closing', '2026-03-02T09:00', 540, '2026-03-02T18:00'],
    ['zero minutes on a Sunday: the next opening', '2026-03-08T12:00', 0, '2026-03-09T09:00'],
    ['from after closing', '2026-03-02T20:00', 15, '2026-03-03T09:15'],
  ])('%s', (_name, start, minutes, expected) => {
    expect(addWorkingMinutes(local(start), minutes, cal)).toBe(local(expected))
  })

  it('counts real minutes on a daylight-saving day (Berlin, 29 March 2026: 23 hours long)', () => {
    const berlin: WorkCalendar = { timezone: 'Europe/Berlin', weekly: { sun: [['00:00', '24:00']] }, holidays: [] }
    // 00:00 CET is 23:00Z the day before; three real hours later it is 04:00 CEST (02:00Z).
    expect(addWorkingMinutes('2026-03-28T23:00:00.000Z', 180, berlin)).toBe('2026-03-29T02:00:00.000Z')
  })

  it('refuses a calendar without working time instead of looping', () => {
    expect(() => addWorkingMinutes(local('2026-03-02T10:00'), 10, { timezone: 'Asia/Shanghai', weekly: {}, holidays: [] })).toThrow()
  })
})

describe('workingMinutesBetween', () => {
  it.each([
    ['within the day', '2026-03-02T10:00', '2026-03-02T11:30', 90],
    ['across a night', '2026-03-02T17:30', '2026-03-03T09:30', 60],
    ['across a weekend', '2026-03-06T17:00', '2026-03-09T10:00', 480],
    ['across a holiday', '2026-09-30T17:00', '2026-10-02T10:00', 120],
    ['both outside working hours on one night', '2026-03-02T19:00', '2026-03-03T08:00', 0],
    ['backwards', '2026-03-03T10:00', '2026-03-02T10:00', 0],
  ])('%s', (_name, from, to, minutes) => {
    expect(workingMinutesBetween(local(from), local(to), cal)).toBe(minutes)
  })

  it.each([0, 1, 59, 540, 600, 2000, 10_000])('inverts addWorkingMinutes for %i minutes', (minutes) => {
    const start = local('2026-09-28T16:20')
    expect(workingMinutesBetween(start, addWorkingMinutes(start, minutes, cal), cal)).toBe(minutes)
  })
})

describe('weeklyHoursProblem', () => {
  it.each([
    [{ mon: [['09:00', '18:00']] }, null],
    [{ mon: [['18:00', '09:00']] }, 'mon: an interval must start before it ends, within the day'],
    [{ mon: [['09:00', '12:00'], ['11:00', '14:00']] }, 'mon: intervals overlap'],
    [{ funday: [['09:00', '12:00']] }, 'funday is not a weekday (mon … sun)'],
  ] as const)('%j → %s', (weekly, problem) => {
    expect(weeklyHoursProblem(weekly as never)).toBe(problem)
  })
})
