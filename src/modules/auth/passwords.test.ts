import { describe, expect, it } from 'vitest'
import { TEST_PASSWORD } from '../../../test/context.js'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js'

describe('passwordProblem', () => {
  it.each([
    ['password', 'a word everyone tries first'],
    ['aaaaaaaa', 'one character repeated'],
    ['Password1', 'a common word with the usual capital and digit'],
    ['P@ssw0rd!', 'the same in l33t'],
    ['qwertyuiop', 'a keyboard row'],
    ['1qaz2wsx', 'a keyboard pattern'],
    ['abcd1234', 'a sequence'],
    ['woaini1314', 'a pinyin phrase and love number'],
    ['shanghai123', 'a city and a sequence'],
  ])('refuses %s (%s) as too easy to guess', (password) => {
    expect(passwordProblem(password, 'desk.li')).toMatch(/^too easy to guess/)
  })

  it.each([
    ['short', 'at least 8 characters'],
    ['x'.repeat(201), 'at most 200 characters'],
    ['31415926535', 'must not be digits only'],
    ['my-desk.li-pass', 'must not contain the username'],
  ])('refuses %s: %s', (password, reason) => {
    expect(passwordProblem(password, 'desk.li')).toBe(reason)
  })

  it.each([
    [TEST_PASSWORD],
    ['Demo#2026'],
    ['Hq#Patron2026'],
    ['correct horse battery staple'],
    ['Another-Horse-7'],
    ['红烧肉要多放糖2026'],
  ])('accepts %s', (password) => {
    expect(passwordProblem(password, 'manager.sh001')).toBeNull()
  })
})

describe('hashPassword', () => {
  it('verifies the password it hashed, and nothing else', async () => {
    const hash = await hashPassword(TEST_PASSWORD)
    expect(hash).toMatch(/^scrypt\$/)
    expect(await verifyPassword(TEST_PASSWORD, hash)).toBe(true)
    expect(await verifyPassword('Corr3ct-Horse!', hash)).toBe(false)
  })
})
