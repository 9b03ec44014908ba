import { describe, expect, it } from 'vitest'
import { isLotExpired, ledgerCause, signedPoints } from './loyalty-format.js'

describe('points and quantities on the member page', () => {
  it.each([[120, '+120'], [-30, '-30'], [0, '0'], [12500, '+12,500']])('%i points read %s', (points, text) => {
    expect(signedPoints(points)).toBe(text)
  })

  it.each([
    [{ kind: 'earn', receiptId: 'rct_1', reference: null }, { kind: 'receipt', receiptId: 'rct_1' }],
    [{ kind: 'reversal', receiptId: 'rct_2', reference: 'rct_1' }, { kind: 'receipt', receiptId: 'rct_2' }],
    [{ kind: 'merge', receiptId: null, reference: 'mem_9' }, { kind: 'member', memberId: 'mem_9' }],
    [{ kind: 'expire', receiptId: null, reference: 'lot_3' }, { kind: 'lot', lotId: 'lot_3' }],
    [{ kind: 'adjust', receiptId: null, reference: null }, { kind: 'none' }],
  ])('an entry %o was caused by %o', (entry, cause) => {
    expect(ledgerCause(entry)).toEqual(cause)
  })

  it('counts a lot as expired only after its expiry date', () => {
    expect(isLotExpired('2026-03-01', '2026-03-02')).toBe(true)
    expect(isLotExpired('2026-03-02', '2026-03-02')).toBe(false)
  })
})
