import { describe, expect, it } from 'vitest'
import { render } from './output.js'

const out = {
  json: { classes: [{ name: '重要价值客户', members: 12 }] },
  tables: [{ title: 'RFM', columns: ['class', 'members', 'share'], rows: [['重要价值客户', 12, '60.0%'], ['一般挽留客户', 8, null]] as Array<Array<string | number | null>> }],
}

describe('analytics report output', () => {
  it('prints exactly one JSON document for --format json', () => {
    expect(JSON.parse(render(out, 'json'))).toEqual(out.json)
  })
  it('prints csv with quoting, empty cells for missing values', () => {
    const csv = render({ json: null, tables: [{ columns: ['a', 'b'], rows: [['x,y', null], ['say "hi"', 3]] }] }, 'csv')
    expect(csv).toBe('a,b\n"x,y",\n"say ""hi""",3\n')
  })
  it('aligns a table, counting Chinese characters as two columns and right-aligning numbers', () => {
    const lines = render(out, 'table').split('\n')
    expect(lines[0]).toBe('RFM')
    expect(lines[1]).toBe('class         members  share')
    expect(lines[3]).toBe('重要价值客户       12  60.0%')
    expect(lines[4]).toBe('一般挽留客户        8  —')
  })
})
