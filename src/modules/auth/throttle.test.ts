import { describe, expect, it } from 'vitest'
import { ADDRESS_LIMITS, PAIR_LIMITS, USER_LIMITS, afterFailure, delayFor, isKnown, lockMsFor, lockedFor, type ThrottleState } from './throttle.js'

const START = '2026-03-02T02:00:00.000Z'
const at = (minutes: number, seconds = 0) => new Date(Date.parse(START) + minutes * 60_000 + seconds * 1000)
const state = (failures: number, lockedUntil: string | null = null): ThrottleState => ({ failures, windowStartedAt: START, lockedUntil })
const HOUR = 60
const DAY = 24 * HOUR

describe('delayFor', () => {
  it.each([
    [0, 0],
    [2, 0],
    [3, 250],
    [4, 500],
    [5, 1000],
    [6, 2000],
    [7, 4000],
    [50, 4000],
  ])('delays a user and address pair with %i failures in the window by %i ms', (failures, ms) => {
    expect(delayFor(state(failures), PAIR_LIMITS, at(1))).toBe(ms)
  })

  it.each([
    [9, 0],
    [10, 250],
    [11, 500],
  ])('delays a user across addresses, or an address across users, with %i failures by %i ms', (failures, ms) => {
    expect(delayFor(state(failures), USER_LIMITS, at(1))).toBe(ms)
    expect(delayFor(state(failures), ADDRESS_LIMITS, at(1))).toBe(ms)
  })

  it.each([
    ['no record', undefined, at(0), 0],
    ['inside the window', state(4), at(23 * HOUR), 500],
    ['when the window (a day) ends', state(4), at(DAY), 0],
  ])('%s', (_label, s, now, ms) => {
    expect(delayFor(s, PAIR_LIMITS, now)).toBe(ms)
  })
})

describe('lockMsFor', () => {
  it.each([
    [4, 0],
    [5, 60_000],
    [6, 120_000],
    [7, 240_000],
    [8, 480_000],
    [9, 900_000],
    [1000, 900_000],
  ])('after %i failures of a pair locks for %i ms (doubling, at most 15 minutes)', (failures, ms) => {
    expect(lockMsFor(failures, PAIR_LIMITS)).toBe(ms)
  })

  it.each([
    ['a user across addresses', USER_LIMITS, 20],
    ['an address across users', ADDRESS_LIMITS, 30],
  ])('locks %s only after %i failures', (_label, limits, lockAfter) => {
    expect(lockMsFor(lockAfter - 1, limits)).toBe(0)
    expect(lockMsFor(lockAfter, limits)).toBe(60_000)
  })
})

describe('lockedFor', () => {
  it.each([
    ['no record', undefined, at(0), 0],
    ['no lock', state(2), at(0), 0],
    ['a lock 15 minutes away', state(5, at(15).toISOString()), at(0), 900],
    ['a lock 90 s away', state(5, at(15).toISOString()), at(13, 30), 90],
    ['a lock ending now', state(5, at(15).toISOString()), at(15), 0],
  ])('gives the seconds left for %s', (_label, s, now, seconds) => {
    expect(lockedFor(s, now)).toBe(seconds)
  })
})

describe('afterFailure', () => {
  it.each([
    ['the first failure starts a window', undefined, at(3), { failures: 1, windowStartedAt: at(3).toISOString(), lockedUntil: null }],
    ['a failure in the window counts on', state(2), at(5), { failures: 3, windowStartedAt: START, lockedUntil: null }],
    ['the 5th failure locks for a minute', state(4), at(5), { failures: 5, windowStartedAt: START, lockedUntil: at(6).toISOString() }],
    ['a failure after the lock locks for twice as long', state(5, at(6).toISOString()), at(7), { failures: 6, windowStartedAt: START, lockedUntil: at(9).toISOString() }],
    ['a failure a day later starts afresh', state(9, at(30).toISOString()), at(DAY), { failures: 1, windowStartedAt: at(DAY).toISOString(), lockedUntil: null }],
  ])('%s', (_label, s, now, expected) => {
    expect(afterFailure(s, PAIR_LIMITS, now)).toEqual(expected)
  })
})

describe('isKnown', () => {
  it.each([
    ['never signed in from there', undefined, false],
    ['signed in a day ago', at(-DAY).toISOString(), true],
    ['signed in 29 days ago', at(-29 * DAY).toISOString(), true],
    ['signed in 30 days ago', at(-30 * DAY).toISOString(), false],
  ])('an address the user %s is known: %s', (_label, last, known) => {
    expect(isKnown(last, at(0))).toBe(known)
  })
})
