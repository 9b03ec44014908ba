import { describe, expect, it } from 'vitest'
import { newRequestKey } from './request-key.js'

describe('newRequestKey', () => {
  it('makes a key of 32 hex digits from the random bytes, as the API\'s patterns allow', () => {
    expect(newRequestKey((b) => b.fill(171))).toBe('ab'.repeat(16))
    const key = newRequestKey()
    expect(key).toMatch(/^[0-9a-f]{32}$/)
    expect(newRequestKey()).not.toBe(key)
  })
})
