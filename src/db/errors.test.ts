import { describe, expect, it } from 'vitest'
import { isDataError, isUniqueViolation } from './errors.js'

const withCode = (code: string) => Object.assign(new Error(code), { code })

describe('isDataError', () => {
  it.each([
    ['22021', 'PostgreSQL: a NUL or invalid byte in text'],
    ['22P02', 'PostgreSQL: text that is not a number'],
    ['22003', 'PostgreSQL: a number out of range'],
    ['22007', 'PostgreSQL: a bad date'],
    ['22008', 'PostgreSQL: a date out of range'],
    ['54000', 'PostgreSQL: a value too large for an index'],
    ['SQLITE_TOOBIG', 'SQLite: a value too large'],
    ['SQLITE_MISMATCH', 'SQLite: a datatype mismatch'],
  ])('takes %s (%s) for the client\'s fault', (code) => {
    expect(isDataError(withCode(code))).toBe(true)
    expect(isDataError(new Error('wrapped', { cause: withCode(code) }))).toBe(true)
  })

  it.each([
    ['23505', 'a unique violation (a conflict, handled by the services)'],
    ['40001', 'a serialization failure'],
    ['08006', 'a lost connection'],
    ['SQLITE_BUSY', 'a busy database'],
    ['SQLITE_RANGE', 'a bad parameter index (our bug)'],
  ])('does not take %s (%s) for one', (code) => {
    expect(isDataError(withCode(code))).toBe(false)
  })

  it('does not take an error without a code, or no error, for one', () => {
    expect(isDataError(new Error('boom'))).toBe(false)
    expect(isDataError(null)).toBe(false)
    expect(isDataError(undefined)).toBe(false)
  })
})

describe('isUniqueViolation', () => {
  it('recognises either engine and the column', () => {
    expect(isUniqueViolation(Object.assign(withCode('23505'), { constraint: 'staff_users_username_key' }), 'username')).toBe(true)
    expect(isUniqueViolation(withCode('SQLITE_CONSTRAINT_UNIQUE'))).toBe(true)
    expect(isUniqueViolation(withCode('22021'))).toBe(false)
  })
})
