import { describe, expect, it } from 'vitest'
import { parseScan } from './scan.js'

describe('what the cashier scanned or typed', () => {
  it.each([
    ['PATRON:8084550060966013', { cardNo: '8084550060966013' }],
    ['patron:8084550060966013\n', { cardNo: '8084550060966013' }],
    ['8084550060966013', { cardNo: '8084550060966013' }],
    ['8084 5500 6096 6013', { cardNo: '8084550060966013' }],
    ['13812345678', { phone: '13812345678' }],
    [' 138-1234-5678 ', { phone: '13812345678' }],
    ['+86 138 1234 5678', { phone: '13812345678' }],
    ['8613812345678', { phone: '13812345678' }],
    ['PM1:8084550060966013:1796000000:AbCdEfGhIjKlMnOp', { qrToken: 'PM1:8084550060966013:1796000000:AbCdEfGhIjKlMnOp' }],
    [' pm1:8084550060966013:1796000000:AbCdEfGhIjKlMnOp\n', { qrToken: 'PM1:8084550060966013:1796000000:AbCdEfGhIjKlMnOp' }],
  ])('%j is %o', (raw, key) => {
    expect(parseScan(raw)).toEqual(key)
  })

  it.each(['', '   ', '1381234567', 'PATRON:', 'PATRON:808455006096601', 'PATRON:13812345678', '80845500609660131', 'abc'])('%j is neither a card nor a phone', (raw) => {
    expect(parseScan(raw)).toBeNull()
  })
})
