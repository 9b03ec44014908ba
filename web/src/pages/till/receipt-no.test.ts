import { describe, expect, it } from 'vitest'
import { attemptFor, cleanTillId, localStamp, mustCheckPrevious, newTillId, outcomeUnknown, receiptNumber } from './receipt-no.js'

describe('receipt numbers of the console till', () => {
  it.each([
    ['2026-03-02T02:04:05.000Z', 'Asia/Shanghai', '20260302100405'],
    ['2026-12-31T16:30:00.000Z', 'Asia/Shanghai', '20270101003000'],
    ['2026-03-02T00:00:09.000Z', 'UTC', '20260302000009'],
  ])('%s in %s is %s', (iso, tz, stamp) => {
    expect(localStamp(new Date(iso), tz)).toBe(stamp)
  })

  it('is M, the local time and a four-character suffix the server accepts', () => {
    const no = receiptNumber(new Date('2026-03-02T02:04:05.000Z'), 'Asia/Shanghai', () => 0.5)
    expect(no).toMatch(/^M20260302100405[0-9A-Z]{4}$/)
    expect(no).toMatch(/^[A-Za-z0-9][A-Za-z0-9_\-./#]{0,63}$/)
  })

  it('differs between two sales in the same second', () => {
    const at = new Date('2026-03-02T02:04:05.000Z')
    const seq = [0, 0.1, 0.2, 0.3, 0.9, 0.8, 0.7, 0.6]
    let i = 0
    const random = () => seq[i++ % seq.length]!
    expect(receiptNumber(at, 'Asia/Shanghai', random)).not.toBe(receiptNumber(at, 'Asia/Shanghai', random))
  })
})

describe('retrying a sale', () => {
  const first = new Date('2026-03-02T02:04:05.000Z')
  const later = new Date('2026-03-02T02:04:40.000Z')

  it('keeps the number and time while the sale is the same, so a retry cannot post twice', () => {
    const a = attemptFor(null, 'basket-1', first, 'Asia/Shanghai')
    const b = attemptFor(a, 'basket-1', later, 'Asia/Shanghai')
    expect(b).toBe(a)
    expect(b.businessAt).toBe('2026-03-02T02:04:05.000Z')
  })

  it('takes a new number once the sale changed', () => {
    const a = attemptFor(null, 'basket-1', first, 'Asia/Shanghai', () => 0)
    const b = attemptFor(a, 'basket-2', later, 'Asia/Shanghai', () => 0)
    expect(b.receiptNo).toBe('M202603021004400000')
    expect(b.businessAt).toBe(later.toISOString())
  })
})

describe('a try whose answer was lost', () => {
  const at = new Date('2026-03-02T02:04:05.000Z')

  it('may have been posted when no answer came or the server failed, not when the server refused it', () => {
    expect([undefined, 0, 500, 502, 504].map(outcomeUnknown)).toEqual([true, true, true, true, true])
    expect([400, 401, 403, 409, 422].map(outcomeUnknown)).toEqual([false, false, false, false, false])
  })

  it('is looked up before a changed sale takes a new number, and only then', () => {
    const lost = { ...attemptFor(null, 'basket-1', at, 'Asia/Shanghai'), uncertain: true }
    expect(mustCheckPrevious(lost, attemptFor(lost, 'basket-2', at, 'Asia/Shanghai'))).toBe(true)
    // The same sale again keeps the number: the server answers a resend with the first result.
    expect(mustCheckPrevious(lost, attemptFor(lost, 'basket-1', at, 'Asia/Shanghai'))).toBe(false)
    const refused = attemptFor(null, 'basket-1', at, 'Asia/Shanghai')
    expect(mustCheckPrevious(refused, attemptFor(refused, 'basket-2', at, 'Asia/Shanghai'))).toBe(false)
    expect(mustCheckPrevious(null, attemptFor(null, 'basket-2', at, 'Asia/Shanghai'))).toBe(false)
  })
})

describe('the till number of a browser', () => {
  it('starts as WEB- and three characters, and keeps to what the API takes', () => {
    expect(newTillId(() => 0)).toBe('WEB-000')
    expect(newTillId()).toMatch(/^WEB-[0-9A-Z]{3}$/)
    expect(cleanTillId(' 收银 3号 POS-03 ')).toBe('3POS-03')
    expect(cleanTillId('x'.repeat(40))).toHaveLength(32)
  })
})
