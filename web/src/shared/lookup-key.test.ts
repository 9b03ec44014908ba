import { describe, expect, it } from 'vitest'
import { lookupKey, nameQuery } from './lookup-key.js'

describe('what a search box entry is', () => {
  it.each([
    ['13812345678', { phone: '13812345678' }],
    ['+86 138 1234 5678', { phone: '13812345678' }],
    ['8613812345678', { phone: '13812345678' }],
    ['8084 5500 6096 6013', { cardNo: '8084550060966013' }],
    ['440303198903239084', { idNumber: '440303198903239084' }],
    ['11010519491231002x', { idNumber: '11010519491231002X' }],
    [' li@example.cn ', { email: 'li@example.cn' }],
  ])('%s is %o', (raw, key) => {
    expect(lookupKey(raw)).toEqual(key)
  })

  it.each(['', '1381234567', '7084550060966013', 'abc', '44030319890323908'])('%s is none of them', (raw) => {
    expect(lookupKey(raw)).toBeNull()
  })
})

describe('a name in the search box', () => {
  it.each([
    ['王小明', '王小明'],
    [' 欧阳 娜娜 ', '欧阳 娜娜'],
    ['迪丽热巴·迪力木拉提', '迪丽热巴·迪力木拉提'],
    ["Mary O'Neil", "Mary O'Neil"],
  ])('%s is searched as the name %s', (raw, name) => {
    expect(nameQuery(raw)).toBe(name)
    expect(lookupKey(raw)).toBeNull()
  })

  it.each(['', '   ', '13812345678', '王1', 'li@example.cn', '-王', '王'.repeat(51)])('%s is not a name', (raw) => {
    expect(nameQuery(raw)).toBeNull()
  })
})
