import { describe, expect, it } from 'vitest'
import { defaultIssueKey, fileLine, isKeyLike, MAX_KEY_LENGTH, parseKeyList } from './key-list.js'

describe('an uploaded member list', () => {
  it('takes the first column of each line and skips a header of column names', () => {
    const list = parseKeyList('\uFEFF手机号,姓名\r\n13800000001,张三\r\n\r\n"8000000000000017",李四\nmem_abc123\n  EXT-001 ;x\n')
    expect(list.header).toBe('手机号')
    expect(list.keys).toEqual(['13800000001', '8000000000000017', 'mem_abc123', 'EXT-001'])
    expect(list.lineOf).toEqual([2, 4, 5, 6])
    expect(list.rejected).toEqual([])
  })

  it('keeps a first line that is a member', () => {
    const list = parseKeyList('13800000001\n13800000002')
    expect(list.header).toBeNull()
    expect(list.keys).toEqual(['13800000001', '13800000002'])
  })

  it('reads tab-separated lines and leaves out keys too long to send', () => {
    const long = '1'.repeat(MAX_KEY_LENGTH + 1)
    const list = parseKeyList(`phone\tname\n13800000001\tA\n${long}\n`)
    expect(list.keys).toEqual(['13800000001'])
    expect(list.rejected).toEqual([{ line: 3, value: long.slice(0, MAX_KEY_LENGTH) }])
  })

  it('maps the server\'s line (counting keys sent) back to the file line', () => {
    const list = parseKeyList('phone\n13800000001\n\n13800000002')
    expect(fileLine(list, 2)).toBe(4)
    expect(fileLine(list, 9)).toBe(9)
  })

  it.each([['13800000001', true], ['mem_01', true], ['EXT-7', true], ['phone', false], ['会员卡号', false], ['card_no', false]])('%j is a key: %s', (cell, yes) => {
    expect(isKeyLike(cell)).toBe(yes)
  })

  it('proposes an issue key from the day and the file name', () => {
    expect(defaultIssueKey('2026-12-03', 'vip list.csv')).toBe('bulk-20261203-vip_list')
    expect(defaultIssueKey('2026-12-03', '.txt')).toBe('bulk-20261203-list')
    expect(defaultIssueKey('2026-12-03', `${'x'.repeat(200)}.csv`)).toHaveLength(100)
  })
})
