import { describe, expect, it } from 'vitest'
import { idBody, newId } from './ids.js'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const randomPart = (body: string) => [...body.slice(10)].reduce((n, c) => n * 32n + BigInt(ALPHABET.indexOf(c)), 0n)

describe('ids', () => {
  it('keep the prefix and the 26 characters of a ULID', () => {
    expect(newId('mem')).toMatch(/^mem_[0-9a-hjkmnp-tv-z]{26}$/)
  })

  it('sort by creation, also within one millisecond', () => {
    const at = Date.now() + 10_000
    const ids = Array.from({ length: 1000 }, () => idBody(at))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(1000)
  })

  it('do not tell their neighbours: ids of one millisecond are far apart, not one apart', () => {
    const at = Date.now() + 20_000
    const ids = Array.from({ length: 1000 }, () => idBody(at))
    for (let i = 1; i < ids.length; i++) {
      if (ids[i]!.slice(0, 10) !== ids[i - 1]!.slice(0, 10)) continue
      // A monotonic ULID adds one; a guess within 2^24 of the previous id would find this one
      // with a chance of 2^-40, so the gap is far beyond any guessing distance.
      expect(randomPart(ids[i]!) - randomPart(ids[i - 1]!)).toBeGreaterThan(1n << 24n)
    }
  })
})
