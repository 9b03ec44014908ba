import { describe, expect, it } from 'vitest'
import {
  NPS_COLORS, bandShare, csatOf, distributionOption, formatNps, formatPct, matrixOption, npsGroupsOption, npsOf, npsScoreColors, satisfactionTrendOption, scoreBuckets, wordsOption,
} from './survey-charts.js'

describe('NPS and CSAT', () => {
  it('splits 0–10 scores into promoters (9–10), passives (7–8) and detractors (0–6)', () => {
    expect(npsOf([10, 9, 8, 7, 6, 0])).toEqual({ answers: 6, promoters: 2, passives: 2, detractors: 2, score: 0 })
    expect(npsOf([10, 10, 10, 3])).toMatchObject({ score: 50 })
    expect(npsOf([0, 5, 9])).toMatchObject({ score: -33.3 })
    expect(npsOf([])).toMatchObject({ answers: 0, score: null })
  })

  it('counts 4 and 5 as satisfied and gives the mean rating', () => {
    expect(csatOf([5, 4, 3, 1])).toEqual({ answers: 4, satisfied: 2, rate: 50, mean: 3.25 })
    expect(csatOf([5, 5, 2])).toMatchObject({ rate: 66.7, mean: 4 })
    expect(csatOf([])).toEqual({ answers: 0, satisfied: 0, rate: null, mean: null })
  })

  it.each([[42, '+42'], [-8.5, '-8.5'], [0, '0'], [null, '—'], [33.33, '+33.3']])('shows an NPS of %s as %s', (nps, text) => {
    expect(formatNps(nps)).toBe(text)
  })

  it.each([[50, '50.0%'], [83.33, '83.3%'], [null, '—']])('shows a percentage of %s as %s', (pct, text) => {
    expect(formatPct(pct)).toBe(text)
  })

  it('gives each band its share of the NPS answers', () => {
    expect(bandShare(1, { answers: 3 })).toBe(33.3)
    expect(bandShare(0, { answers: 0 })).toBeNull()
  })
})

describe('charts', () => {
  it('plots NPS and CSAT as the API gives them and the responses as bars on a second axis', () => {
    const o = satisfactionTrendOption(
      [{ period: '2026-10', responses: 4, nps: { score: 25 }, csat: { rate: 75 } }, { period: '2026-11', responses: 0, nps: { score: null }, csat: { rate: null } }],
      { nps: 'NPS', csat: 'CSAT', responses: '回答数' },
    )
    expect(o.xAxis.data).toEqual(['2026-10', '2026-11'])
    expect(o.series.map((s) => s.data)).toEqual([[25, null], [75, null], [4, 0]])
    expect(o.series[2]!.yAxisIndex).toBe(1)
  })

  it('stacks each group as shares of detractors, passives and promoters with its NPS, leaving out groups without answers', () => {
    const o = npsGroupsOption([
      { name: '徐汇店', nps: { answers: 4, promoters: 2, passives: 1, detractors: 1, score: 25 } },
      { name: '空店', nps: { answers: 0, promoters: 0, passives: 0, detractors: 0, score: null } },
    ], { promoters: '推荐者', passives: '被动者', detractors: '贬损者', nps: 'NPS' })
    expect(o.yAxis.data).toEqual(['徐汇店  NPS +25'])
    expect(o.series.map((s) => [s.name, s.data, s.itemStyle.color])).toEqual([
      ['贬损者', [25], NPS_COLORS.detractors], ['被动者', [25], NPS_COLORS.passives], ['推荐者', [50], NPS_COLORS.promoters],
    ])
  })

  it('fills every score of a rating, colours NPS scores by band and labels each bar', () => {
    const buckets = scoreBuckets([{ value: 10, count: 3 }, { value: 0, count: 1 }], 0, 10)
    expect(buckets).toHaveLength(11)
    expect(buckets[0]).toEqual({ label: '0', count: 1 })
    expect(buckets[5]).toEqual({ label: '5', count: 0 })
    const colors = npsScoreColors()
    expect([colors[6], colors[7], colors[9]]).toEqual([NPS_COLORS.detractors, '#faad14', NPS_COLORS.promoters])
    const o = distributionOption(buckets, { colors, count: '人数' })
    expect(o.xAxis).toMatchObject({ type: 'category' })
    expect(o.series[0]!.data[10]).toEqual({ value: 3, itemStyle: { color: NPS_COLORS.promoters } })
    expect(o.tooltip.formatter([{ name: '10', value: 3 }])).toBe('10<br/>人数: 3 (75%)')
    const choices = distributionOption([{ label: '朋友', count: 2 }], { horizontal: true, count: '人数' })
    expect(choices.yAxis).toMatchObject({ type: 'category', data: ['朋友'], inverse: true })
  })

  it('shows the most frequent words first, at most `top`', () => {
    const o = wordsOption([{ word: '排队', count: 2 }, { word: '新鲜', count: 5 }, { word: '停车', count: 2 }, { word: '价格', count: 1 }], { count: '次数' }, 3)
    expect(o.yAxis.data).toEqual(['新鲜', '停车', '排队'])
    expect(o.series[0]!.data).toEqual([5, 2, 2])
  })

  it('plots a matrix question by each row\'s mean', () => {
    const o = matrixOption([{ label: '商品质量', mean: 4.5 }, { label: '购物环境', mean: null }], { average: '平均分' })
    expect(o.yAxis.data).toEqual(['商品质量', '购物环境'])
    expect(o.series[0]!.data).toEqual([4.5, null])
  })
})
