import { describe, expect, it } from 'vitest'
import {
  ageGenderOption, levelMatrix, preferenceOption,
  classSharesOption, flowMatrix, formatShare, lifecycleSankeyOption, lifecycleTrendOption, paretoOption, quadrantOption, rfHeatmapOption,
} from './charts.js'

describe('insight chart options', () => {
  it.each([
    [0.1234, '12.3%'],
    [1, '100.0%'],
    [0, '0.0%'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('formats the share %s as %s', (share, text) => {
    expect(formatShare(share)).toBe(text)
  })

  it('lays the R×F heat map out as 25 cells, F across and R up, missing cells as 0, the tooltip with the average M', () => {
    const option = rfHeatmapOption(
      [{ r: 5, f: 1, members: 40, avgMonetary: 12_345 }, { r: 1, f: 5, members: 7, avgMonetary: 99_900 }],
      { r: '最近购买 R', f: '购买频次 F', members: '会员数', avgM: '平均消费 M' },
    )
    const data = option.series[0]!.data
    expect(data).toHaveLength(25)
    expect(data.find((d) => d.value[0] === 0 && d.value[1] === 4)).toEqual({ value: [0, 4, 40], avgMonetary: 12_345 })
    expect(data.find((d) => d.value[0] === 4 && d.value[1] === 0)!.value[2]).toBe(7)
    expect(data.filter((d) => d.value[2] === 0)).toHaveLength(23)
    expect(option.visualMap.max).toBe(40)
    expect(option.tooltip.formatter({ data: data.find((d) => d.value[2] === 40)! })).toBe('R 5 · F 1<br/>会员数: 40<br/>平均消费 M: ¥123.45')
    expect(option.tooltip.formatter({ data: data[0]! })).toBe('R 1 · F 1<br/>会员数: 0<br/>平均消费 M: —')
  })

  it('gives each class its share of members and of spend, in percent', () => {
    const option = classSharesOption(
      [{ label: '重要价值客户', members: 25, spend: 7_000 }, { label: '一般挽留客户', members: 75, spend: 3_000 }],
      { memberShare: '会员占比', spendShare: '消费占比' },
    )
    expect(option.xAxis.data).toEqual(['重要价值客户', '一般挽留客户'])
    expect(option.series.map((s) => [s.name, s.data])).toEqual([['会员占比', [25, 75]], ['消费占比', [70, 30]]])
  })

  it('shows zero shares when nobody bought', () => {
    const option = classSharesOption([{ label: 'a', members: 0, spend: 0 }], { memberShare: 'm', spendShare: 's' })
    expect(option.series.map((s) => s.data)).toEqual([[0], [0]])
  })

  it('places each value quadrant in its corner (spend across, income up), the largest bubble biggest, an empty one hidden', () => {
    const option = quadrantOption(
      [
        { quadrant: 'core', members: 100, spend: 500_000 },
        { quadrant: 'develop', members: 25, spend: 90_000 },
        { quadrant: 'potential', members: 50, spend: 10_000 },
        { quadrant: 'abandon', members: 0, spend: 0 },
      ],
      { name: (q) => ({ core: '核心客户', develop: '重点发展客户', potential: '可发展客户', abandon: '放弃发展客户' })[q], spend: '年消费', income: '月收入', members: '会员数', spendTotal: '消费额', high: '高', low: '低' },
    )
    const data = option.series[0]!.data
    expect(data.map((d) => [d.name, d.value])).toEqual([
      ['核心客户', [1, 1, 100]], ['重点发展客户', [1, -1, 25]], ['可发展客户', [-1, 1, 50]], ['放弃发展客户', [-1, -1, 0]],
    ])
    expect(data.map((d) => d.symbolSize)).toEqual([120, 72, 92, 0])
    expect(data.map((d) => d.label.position)).toEqual(['inside', 'bottom', 'bottom', 'bottom'])
    expect(option.series[0]!.label.formatter({ data: data[0]! })).toBe('核心客户\n100\n¥5,000.00')
    expect(option.xAxis.axisLabel.formatter(1)).toBe('高')
    expect(option.yAxis.axisLabel.formatter(-1)).toBe('低')
    expect(option.yAxis.axisLabel.formatter(0)).toBe('')
  })

  it('draws the Pareto curve from the origin in percent, with the top-20% and the 80% marks', () => {
    const option = paretoOption(
      [{ memberShare: 0.5, spendShare: 0.9 }, { memberShare: 0.2, spendShare: 0.746 }, { memberShare: 1, spendShare: 1 }],
      { top20Share: 0.746, membersFor80Share: 0.27 },
      { members: '会员占比', spend: '消费占比', curve: '累计消费占比', even: '均匀分布', top20: '前20%', for80: '80%消费' },
    )
    expect(option.series[0]!.data).toEqual([[0, 0], [20, 74.6], [50, 90], [100, 100]])
    expect(option.series[0]!.markPoint!.data).toEqual([
      { name: '前20%', coord: [20, 74.6], value: '74.6%' },
      { name: '80%消费', coord: [27, 80], value: '27%' },
    ])
    expect(option.series[1]!.data).toEqual([[0, 0], [100, 100]])
    expect(option.tooltip.formatter([{ seriesName: '累计消费占比', data: [20, 74.6] }])).toBe('会员占比: 20%<br/>消费占比: 74.6%')
  })

  it('leaves the marks out when there is no spend', () => {
    const option = paretoOption([], { top20Share: null, membersFor80Share: null }, { members: 'm', spend: 's', curve: 'c', even: 'e', top20: 't', for80: 'f' })
    expect(option.series[0]!.data).toEqual([[0, 0]])
    expect(option.series[0]!.markPoint!.data).toEqual([])
  })

  it('stacks the members per stage by month, oldest first, a missing month-stage as 0', () => {
    const option = lifecycleTrendOption(
      [
        { month: '2026-11', stage: 'active', members: 30 }, { month: '2026-10', stage: 'active', members: 20 },
        { month: '2026-10', stage: 'lost', members: 5 },
      ],
      ['active', 'lost'],
      (s) => ({ active: '活跃', lost: '流失' })[s] ?? s,
    )
    expect(option.xAxis.data).toEqual(['2026-10', '2026-11'])
    expect(option.series.map((s) => [s.name, s.stack, s.data])).toEqual([['活跃', 'members', [20, 30]], ['流失', 'members', [5, 0]]])
  })

  it('names last month’s and this month’s stages apart in the Sankey and leaves empty flows out', () => {
    const option = lifecycleSankeyOption(
      [{ from: 'active', to: 'active', members: 50 }, { from: 'active', to: 'dormant', members: 8 }, { from: 'new', to: 'active', members: 0 }],
      ['new', 'active', 'dormant'],
      { stage: (s) => ({ new: '新客户', active: '活跃', dormant: '沉睡' })[s] ?? s, previous: '上月', current: '本月', members: '会员数' },
    )
    const series = option.series[0]!
    expect(series.data.map((n) => n.name)).toEqual(['上月 · 活跃', '本月 · 活跃', '本月 · 沉睡'])
    expect(series.data[0]).toMatchObject({ label: { position: 'left', formatter: '活跃' } })
    expect(series.data[1]).toMatchObject({ label: { position: 'right', formatter: '活跃' } })
    expect(series.links).toEqual([
      { source: '上月 · 活跃', target: '本月 · 活跃', value: 50 },
      { source: '上月 · 活跃', target: '本月 · 沉睡', value: 8 },
    ])
  })

  it('turns the flows into a from → to matrix with row totals, stages nobody was in left out', () => {
    expect(flowMatrix(
      [{ from: 'active', to: 'active', members: 50 }, { from: 'active', to: 'dormant', members: 8 }, { from: 'dormant', to: 'returning', members: 3 }],
      ['active', 'dormant', 'returning', 'lost'],
    )).toEqual([
      { from: 'active', to: { active: 50, dormant: 8, returning: 0, lost: 0 }, total: 58 },
      { from: 'dormant', to: { active: 0, dormant: 0, returning: 3, lost: 0 }, total: 3 },
    ])
  })

  it('lays frequency × amount out as a matrix with row totals, a missing pair as 0', () => {
    expect(levelMatrix(
      [{ frequency: 'high', amount: 'high', members: 9, spend: 900 }, { frequency: 'high', amount: 'low', members: 1, spend: 10 }, { frequency: 'none', amount: 'none', members: 40, spend: 0 }],
      ['high', 'mid', 'low', 'none'],
    )).toEqual([
      { frequency: 'high', amount: { high: 9, mid: 0, low: 1, none: 0 }, total: 10 },
      { frequency: 'mid', amount: { high: 0, mid: 0, low: 0, none: 0 }, total: 0 },
      { frequency: 'low', amount: { high: 0, mid: 0, low: 0, none: 0 }, total: 0 },
      { frequency: 'none', amount: { high: 0, mid: 0, low: 0, none: 40 }, total: 40 },
    ])
  })

  it('puts the department most members prefer on top of the preference bars', () => {
    const option = preferenceOption([{ name: '生鲜', members: 50 }, { name: '母婴', members: 8 }, { name: '粮油', members: 20 }], { members: '会员数' })
    expect(option.yAxis.data).toEqual(['母婴', '粮油', '生鲜'])
    expect(option.series[0]!.data).toEqual([8, 20, 50])
  })

  it('groups members by age band in order and gender, leaving out bands and genders nobody is in', () => {
    const option = ageGenderOption(
      [{ ageBand: '25-34', gender: 'female', members: 12 }, { ageBand: '<18', gender: 'male', members: 2 }, { ageBand: '25-34', gender: 'male', members: 5 }],
      ['<18', '18-24', '25-34', 'unknown'],
      ['female', 'male', 'unknown'],
      { age: (a) => (a === 'unknown' ? '未知' : a), gender: (g) => ({ female: '女', male: '男' })[g] ?? g },
    )
    expect(option.xAxis.data).toEqual(['<18', '25-34'])
    expect(option.series.map((s) => [s.name, s.data])).toEqual([['女', [0, 12]], ['男', [2, 5]]])
  })
})
