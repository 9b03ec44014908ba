import { describe, expect, it } from 'vitest'
import { ADDRESS_LIMITS, USER_LIMITS, afterFailure, delayFor, lockedFor, withoutAttempt, type ThrottleState } from './throttle.js'

const START = '2026-03-02T02:00:00.000Z'
const at = (minutes: number, seconds = 0) => new Date(Date.parse(START) + minutes * 60_000 + seconds * 1000)
const state = (failures: number, lockedUntil: string | null = null): ThrottleState => ({ failures, windowStartedAt: START, lockedUntil })

describe('delayFor', () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 250],
    [4, 500],
    [5, 1000],
    [6, 2000],
    [7, 4000],
    [8, 4000],
    [50, 4000],
  ])('delays a user with %i failures in the window by %i ms', (failures, ms) => {
    expect(delayFor(state(failures), USER_LIMITS, at(1))).toBe(ms)
  })

  it.each([
    [9, 0],
    [10, 250],
    [11, 500],
  ])('delays an address with %i failures by %i ms', (failures, ms) => {
    expect(delayFor(state(failures), ADDRESS_LIMITS, at(1))).toBe(ms)
  })

  it.each([
    ['no record', undefined, at(0), 0],
    ['inside the window', state(4), at(14, 59), 500],
    ['when the window ends', state(4), at(15), 0],
    ['after the window', state(4), at(20), 0],
  ])('%s', (_label, s, now, ms) => {
    expect(delayFor(s, USER_LIMITS, now)).toBe(ms)
  })
})

describe('lockedFor', () => {
  it.each([
    ['no record', undefined, at(0), 0],
    ['no lock', state(2), at(0), 0],
    ['a lock 15 minutes away', state(5, at(15).toISOString()), at(0), 900],
    ['a lock 90 s away', state(5, at(15).toISOString()), at(13, 30), 90],
    ['a lock ending now', state(5, at(15).toISOString()), at(15), 0],
    ['a lock that has ended', state(5, at(15).toISOString()), at(16), 0],
  ])('gives the seconds left for %s', (_label, s, now, seconds) => {
    expect(lockedFor(s, now)).toBe(seconds)
  })
})

describe('afterFailure', () => {
  it.each([
    ['the first failure starts a window', undefined, at(3), { failures: 1, windowStartedAt: at(3).toISOString(), lockedUntil: null }],
    ['a failure in the window counts on', state(2), at(5), { failures: 3, windowStartedAt: START, lockedUntil: null }],
    ['the 5th failure locks for 15 minutes', state(4), at(5), { failures: 5, windowStartedAt: START, lockedUntil: at(20).toISOString() }],
    ['a failure after a lock locks again while the window lasts', state(5, at(1).toISOString()), at(2), { failures: 6, windowStartedAt: START, lockedUntil: at(17).toISOString() }],
    ['a failure after the window starts a new one', state(4), at(16), { failures: 1, windowStartedAt: at(16).toISOString(), lockedUntil: null }],
    ['a failure just as the window ends starts a new one', state(5, at(15).toISOString()), at(15), { failures: 1, windowStartedAt: at(15).toISOString(), lockedUntil: null }],
  ])('%s', (_label, s, now, expected) => {
    expect(afterFailure(s, USER_LIMITS, now)).toEqual(expected)
  })

  it.each([
    ['a user', USER_LIMITS, 5],
    ['an address', ADDRESS_LIMITS, 30],
  ])('locks %s after %i failures in one window', (_label, limits, lockAfter) => {
    let s: ThrottleState | undefined
    for (let i = 1; i < lockAfter; i++) {
      s = afterFailure(s, limits, at(0, i))
      expect(s.lockedUntil).toBeNull()
    }
    s = afterFailure(s, limits, at(1))
    expect(s).toEqual({ failures: lockAfter, windowStartedAt: at(0, 1).toISOString(), lockedUntil: at(16).toISOString() })
  })
})

describe('withoutAttempt', () => {
  const lock = at(15).toISOString()
  it.each([
    ['takes back one failure', state(3), state(2)],
    ['lifts the lock the attempt caused', state(5, lock), state(4)],
    ['keeps a lock other failures caused', state(6, lock), state(5, lock)],
    ['never goes below zero', state(0), state(0)],
  ])('%s', (_label, s, expected) => {
    expect(withoutAttempt(s, USER_LIMITS)).toEqual(expected)
  })
})
