import { describe, expect, it } from 'vitest'
import {
  KPI_METRICS, actualVsTargetOption, baseText, formatChange, formatFigure, kpiExportTable, npsChange, kpiTrendOption, lastMonths, lastQuarters, lastYears, reportTrendOption, sparklineOption, targetFromInput, targetToInput, trendOf,
  type Compared, type KpiMetric, type KpiPeriodLike,
} from './kpi-charts.js'

const none: Compared = { value: null, previous: null, previousChange: null, lastYear: null, lastYearChange: null }
const period = (key: string, over: Partial<Record<KpiMetric, Partial<Compared>>>): KpiPeriodLike => ({
  key, from: `${key}-01`, to: `${key}-28`,
  figures: Object.fromEntries(KPI_METRICS.map((m) => [m, { ...none, ...over[m] }])) as Record<KpiMetric, Compared>,
})

describe('figures in words', () => {
  it.each([
    ['netSales', 4_000_050, '¥40,000.50'],
    ['memberSalesShare', 0.85, '85.0%'],
    ['members', 12345, '12,345'],
    ['purchaseFrequency', 1.5, '1.50'],
    ['churnRate', null, '—'],
  ] as const)('%s %s → %s', (metric, value, text) => {
    expect(formatFigure(metric, value)).toBe(text)
  })

  it.each([[0.1765, '+17.7%'], [-0.05, '-5.0%'], [0, '0.0%'], [null, '—']])('change %s → %s', (change, text) => {
    expect(formatChange(change)).toBe(text)
  })

  it.each([
    ['netSales', 0.1, '↑', 'good'], ['netSales', -0.1, '↓', 'bad'], ['churnRate', 0.1, '↑', 'bad'], ['churnRate', -0.2, '↓', 'good'],
    ['members', 0, '→', 'flat'], ['members', null, '', 'none'],
  ] as const)('%s changing by %s points %s (%s)', (metric, change, arrow, tone) => {
    expect(trendOf(metric, change)).toEqual({ arrow, tone })
  })
})

describe('charts', () => {
  const periods = [
    period('2026-02', { netSales: { value: 3_400_000, lastYear: 1_000_000 }, churnRate: { value: 0.25 } }),
    period('2026-03', { netSales: { value: 4_000_000, lastYear: 1_500_000 }, churnRate: { value: 0.5 } }),
  ]

  it('plots a metric and its last year, money in yuan and rates in percent', () => {
    const o = kpiTrendOption(periods, 'netSales', { value: '本期', lastYear: '去年同期', axis: '元' })
    expect(o.xAxis.data).toEqual(['2026-02', '2026-03'])
    expect(o.series.map((s) => [s.name, s.data])).toEqual([['本期', [34_000, 40_000]], ['去年同期', [10_000, 15_000]]])
    expect(kpiTrendOption(periods, 'churnRate', { value: 'a', lastYear: 'b', axis: '%' }).series[0]!.data).toEqual([25, 50])
  })

  it('leaves a partial period out of the trend unless asked, then draws it hollow and marked', () => {
    const running = { ...period('2026-04', { netSales: { value: 500_000, lastYear: 400_000 } }), partial: true }
    const labels = { value: '本期', lastYear: '去年同期', axis: '元', partialMark: '（至今）' }
    expect(kpiTrendOption([...periods, running], 'netSales', labels).xAxis.data).toEqual(['2026-02', '2026-03'])
    const o = kpiTrendOption([...periods, running], 'netSales', labels, true)
    expect(o.xAxis.data).toEqual(['2026-02', '2026-03', '2026-04（至今）'])
    expect(o.series[0]!.data).toEqual([34_000, 40_000, { value: 5_000, symbol: 'emptyCircle', symbolSize: 9, itemStyle: { opacity: 0.5 } }])
    expect(o.series[1]!.data.at(-1)).toMatchObject({ value: 4_000 })
  })

  it.each([
    [{ key: '2026-11', from: '2026-11-01', to: '2026-11-04', whole: false }, '2026', '11月1日–11月4日'],
    [{ key: '2025-12', from: '2025-12-01', to: '2025-12-04', whole: false }, '2026', '2025年12月1日–12月4日'],
    [{ key: '2026-02', from: '2026-02-01', to: '2026-02-28', whole: true }, '2026', '2026-02'],
    [{ key: '2026-W48', from: '2026-11-23', to: '2026-11-23', whole: false }, '2026', '11月23日'],
  ])('names the base %j (this year %s) %s', (range, year, text) => {
    expect(baseText(range, year, (y, m, d, withYear) => `${withYear ? `${y}年` : ''}${m}月${d}日`)).toBe(text)
  })

  it('draws a sparkline without axes', () => {
    const o = sparklineOption([1, null, 3])
    expect(o.xAxis.show).toBe(false)
    expect(o.series[0]!.data).toEqual([1, null, 3])
  })

  it('sets actual beside target per store', () => {
    const o = actualVsTargetOption([
      { name: '浦东店', code: 'SH01', lines: [{ metric: 'netSales', actual: 2_800_000, target: 2_000_000 }] },
      { name: null, code: 'BJ01', lines: [{ metric: 'netSales', actual: 1_200_000, target: null }] },
    ], 'netSales', { actual: '实际', target: '目标' })
    expect(o.xAxis.data).toEqual(['浦东店', 'BJ01'])
    expect(o.series.map((s) => s.data)).toEqual([[28_000, 12_000], [20_000, null]])
  })

  it('puts net sales on the left axis and the rates on the right', () => {
    const o = reportTrendOption([{ key: '2026-03', netSales: 4_000_000, repurchaseRate: 0.5, retentionRate: 0.5, churnRate: 0.5, memberSalesShare: 0.85 }],
      { netSales: '净销售额', repurchaseRate: '复购率', retentionRate: '留存率', churnRate: '流失率', memberSalesShare: '会员消费占比' })
    expect(o.series.map((s) => [s.name, s.data[0], 'yAxisIndex' in s ? s.yAxisIndex : 0])).toEqual([
      ['净销售额', 40_000, 0], ['复购率', 50, 1], ['留存率', 50, 1], ['流失率', 50, 1], ['会员消费占比', 85, 1],
    ])
  })

  it('marks the running period of the report\'s trend: its label, and a faded bar', () => {
    const point = { netSales: 4_000_000, repurchaseRate: null, retentionRate: null, churnRate: null, memberSalesShare: null }
    const o = reportTrendOption([{ key: '2025', partial: false, ...point }, { key: '2026', partial: true, ...point }],
      { netSales: '净销售额', repurchaseRate: '复购率', retentionRate: '留存率', churnRate: '流失率', memberSalesShare: '会员消费占比', partialMark: '（至今）' })
    expect(o.xAxis.data).toEqual(['2025', '2026（至今）'])
    expect(o.series[0]!.data).toEqual([40_000, { value: 40_000, itemStyle: { opacity: 0.45 } }])
  })
})

describe('export and ranges', () => {
  it('exports a row per period and metric, figures as shown', () => {
    const table = kpiExportTable([period('2026-03', { netSales: { value: 4_000_000, previous: 3_400_000, previousChange: 0.1765, lastYear: 1_500_000, lastYearChange: 1.6667 } })], {
      name: 'kpis', sheet: 'KPIs', period: 'Period', metric: 'Metric', value: 'Value', previous: 'Previous', previousChange: 'MoM', lastYear: 'Last year', lastYearChange: 'YoY', metricName: (m) => m,
    })
    expect(table.header).toEqual(['Period', 'Metric', 'Value', 'Previous', 'MoM', 'Last year', 'YoY'])
    expect(table.rows).toHaveLength(KPI_METRICS.length)
    expect(table.rows.find((r) => r[1] === 'netSales')).toEqual(['2026-03', 'netSales', '¥40,000.00', '¥34,000.00', '+17.7%', '¥15,000.00', '+166.7%'])
  })

  it.each([['2026-03-20', 12, '2025-04-01'], ['2026-01-05', 1, '2026-01-01'], ['2026-12-31', 6, '2026-07-01']])('the last months up to %s (%s) start %s', (today, n, from) => {
    expect(lastMonths(today, n)).toEqual({ from, to: today })
  })

  it.each([['2026-12-04', 8, '2025-01-01'], ['2026-03-31', 1, '2026-01-01'], ['2026-04-01', 2, '2026-01-01'], ['2026-07-15', 4, '2025-10-01']])('the last quarters up to %s (%s) start %s', (today, n, from) => {
    expect(lastQuarters(today, n)).toEqual({ from, to: today })
  })

  it('the last years start on 1 January', () => {
    expect(lastYears('2026-12-04', 5)).toEqual({ from: '2022-01-01', to: '2026-12-04' })
  })
})

describe('targets as typed', () => {
  it.each([['repurchaseRate', 35, 0.35], ['netSales', 20_000.5, 2_000_050], ['newMembers', 120, 120], ['salesGrowth', 12.5, 0.125]] as const)('%s typed %s is %s', (metric, input, value) => {
    expect(targetFromInput(metric, input)).toBe(value)
    expect(targetToInput(metric, value)).toBe(input)
  })
})

describe('survey satisfaction in the KPI table', () => {
  it.each([
    ['csat', 0.8125, '81.3%'],
    ['csat', null, '—'],
    ['nps', 25, '+25.0'],
    ['nps', -12.5, '-12.5'],
    ['nps', 0, '0.0'],
  ] as const)('shows %s %s as %s', (metric, value, text) => {
    expect(formatFigure(metric, value)).toBe(text)
  })

  it.each([
    [5, -5, 10],
    [-20, 10, -30],
    [12.34, 12.3, 0],
    [null, 10, null],
    [10, null, null],
  ])('changes NPS from %s against %s by %s points', (value, base, points) => {
    expect(npsChange(value, base)).toBe(points)
  })
})
