import { describe, expect, it } from 'vitest'
import {
  addDays, beatsNaive, changePercent, COLORS, flaggedRanges, forecastChartOption, forecastWeeks, formatChange, formatError, inScope, modelParts, seriesKey, seriesTestId,
  weekRange, type ChartSeries,
} from './forecast-charts.js'

describe('weeks in words', () => {
  it.each([
    ['2026-11-30', 6, '2026-12-06'],
    ['2026-12-28', 7, '2027-01-04'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-11-30', -7, '2026-11-23'],
  ])('%s plus %d days is %s', (date, days, out) => {
    expect(addDays(date, days)).toBe(out)
  })

  it.each([
    ['2026-11-30', '2026-11-30 – 12-06'],
    ['2026-11-23', '2026-11-23 – 11-29'],
    // a week across the new year names the Sunday's year
    ['2026-12-28', '2026-12-28 – 2027-01-03'],
  ])('the week of Monday %s runs %s', (monday, text) => {
    expect(weekRange(monday)).toBe(text)
  })
})

describe('the change from the last 4 weeks to the next 4', () => {
  it.each([
    [100_000, 110_000, 10],
    [100_000, 88_000, -12],
    [100_000, 100_000, 0],
    [0, 5_000, null],
    [-300, 5_000, null],
  ])('%d fen then %d fen: %s %', (last4, next4, percent) => {
    const p = changePercent(last4, next4)
    if (percent === null) expect(p).toBeNull()
    else expect(p).toBeCloseTo(percent, 10)
  })

  it.each([
    [10, '+10.0%'],
    [4.56, '+4.6%'],
    [-12, '−12.0%'],
    [0, '0.0%'],
    // what rounds to nothing has no sign
    [-0.04, '0.0%'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('%s shows as %s', (percent, text) => {
    expect(formatChange(percent)).toBe(text)
  })

  it.each([[17.4621, '17.5%'], [0, '0.0%'], [null, '—']])('an error of %s shows as %s', (v, text) => {
    expect(formatError(v)).toBe(text)
  })
})

describe('the backtest against seasonal naive', () => {
  it.each([
    [17.5, 24.4, true],
    [24.4, 17.5, false],
    [20, 20, false],
    [null, 20, false],
    [20, null, false],
  ])('model %s, naive %s: beats naive %s', (smape, naiveSmape, beats) => {
    expect(beatsNaive({ smape, naiveSmape })).toBe(beats)
  })
})

describe('series in the table', () => {
  const dept = { level: 'store_department' as const, storeId: 'sto_1', key: '生鲜' }
  const cat = { level: 'chain_category' as const, storeId: null, key: '糖果巧克力' }

  it('keys and test ids name a store department’s store, a chain category without one', () => {
    expect(seriesKey(dept)).toBe('store_department|sto_1|生鲜')
    expect(seriesKey(cat)).toBe('chain_category||糖果巧克力')
    expect(seriesTestId(dept)).toBe('forecast-row-store_department-sto_1-生鲜')
    expect(seriesTestId(cat)).toBe('forecast-row-chain_category-糖果巧克力')
  })

  it.each([
    ['all', dept, true],
    ['all', cat, false],
    ['chain', dept, false],
    ['chain', cat, true],
    ['sto_1', dept, true],
    ['sto_2', dept, false],
    ['sto_1', cat, false],
  ] as const)('scope %s holds %o: %s', (scope, s, held) => {
    expect(inScope(s, scope)).toBe(held)
  })

  it.each([
    ['ETS(A,N,N)', { trend: 'N', season: 'N' }],
    ['ETS(A,Ad,N)', { trend: 'Ad', season: 'N' }],
    ['ETS(A,A,A)', { trend: 'A', season: 'A' }],
    ['ETS(A,Ad,M)', { trend: 'Ad', season: 'M' }],
    ['ARIMA(0,1,1)', null],
  ])('the model %s has the parts %o', (model, parts) => {
    expect(modelParts(model)).toEqual(parts)
  })
})

describe('the Spring Festival weeks', () => {
  const weeks = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6']
  it.each([
    [[false, false, false, false, false, false, false], []],
    [[false, true, true, false, false, false, false], [['w1', 'w2']]],
    [[true, false, false, false, true, true, true], [['w0', 'w0'], ['w4', 'w6']]],
  ])('%o → %o', (flags, ranges) => {
    expect(flaggedRanges(weeks, flags)).toEqual(ranges)
  })
})

// Three weeks of history, two forecast; the second forecast week before the Spring Festival.
const series: ChartSeries = {
  weeks: ['2027-01-04', '2027-01-11', '2027-01-18', '2027-01-25', '2027-02-01'],
  actual: [100_000, 120_050, 110_000],
  fitted: [105_000, 108_000, 112_000],
  forecast: [111_000, 142_000],
  naive: [98_000, 150_000],
  lower80: [90_000, 115_000],
  upper80: [132_000, 169_000],
  springFestival: [false, false, false, true, true],
}
const labels = { actual: 'A', fitted: 'F', forecast: 'P', band: 'B', naive: 'N', springFestival: 'S', forecastStart: 'P →', interval: 'I' }

describe('the forecast weeks one by one', () => {
  it('pairs each forecast week with its interval, seasonal naive and flag', () => {
    expect(forecastWeeks(series)).toEqual([
      { week: '2027-01-25', forecast: 111_000, lower: 90_000, upper: 132_000, naive: 98_000, springFestival: true },
      { week: '2027-02-01', forecast: 142_000, lower: 115_000, upper: 169_000, naive: 150_000, springFestival: true },
    ])
    expect(forecastWeeks({ ...series, lower80: null, upper80: null }).map((w) => [w.lower, w.upper])).toEqual([[null, null], [null, null]])
  })
})

describe('the chart of a series', () => {
  const option = forecastChartOption(series, labels)
  const byName = (name: string) => option.series.find((s) => s.name === name)!

  it('draws sales and fit over the history and the forecast, its band and seasonal naive over the forecast weeks, in yuan', () => {
    expect(option.xAxis.data).toEqual(series.weeks)
    expect(byName('A').data).toEqual([1000, 1200.5, 1100, null, null])
    expect(byName('F').data).toEqual([1050, 1080, 1120, null, null])
    // the forecast line starts at the last week of sales, so it joins the history
    expect(byName('P').data).toEqual([null, null, 1100, 1110, 1420])
    expect(byName('N').data).toEqual([null, null, null, 980, 1500])
    expect(byName('N').lineStyle).toMatchObject({ type: 'dashed' })
    expect(byName('F').lineStyle!.width!).toBeLessThan(byName('A').lineStyle!.width!)
  })

  it('stacks the band’s width on its lower bound', () => {
    const lower = byName('B·')
    const band = byName('B')
    expect(lower.data).toEqual([null, null, null, 900, 1150])
    expect(band.data).toEqual([null, null, null, 420, 540])
    expect([lower.stack, band.stack]).toEqual(['band', 'band'])
    expect(band.areaStyle).toEqual({ color: COLORS.band })
    expect(option.legend.data).toContainEqual({ name: 'B', icon: 'rect' })
    expect(option.legend.data).not.toContain('B·')
  })

  it('has no band without an interval', () => {
    const bare = forecastChartOption({ ...series, lower80: null, upper80: null }, labels)
    expect(bare.series.map((s) => s.name)).toEqual(['A', 'F', 'P', 'N', 'S'])
  })

  it('shades the weeks before the Spring Festival and names them in the legend', () => {
    const sf = byName('S') as { markArea?: { data: unknown[]; label: { formatter: string } } }
    expect(sf.markArea?.data).toEqual([[{ xAxis: '2027-01-25' }, { xAxis: '2027-02-01' }]])
    expect(sf.markArea?.label.formatter).toBe('S')
    expect(option.legend.data.map((d) => (typeof d === 'string' ? d : d.name))).toEqual(['A', 'F', 'P', 'B', 'N', 'S'])
    const none = forecastChartOption({ ...series, springFestival: series.springFestival.map(() => false) }, labels)
    expect(none.series.map((s) => s.name)).not.toContain('S')
  })

  it('marks where the forecast starts', () => {
    expect(byName('P').markLine?.data).toEqual([{ xAxis: '2027-01-25' }])
  })

  it('reads a history week and a forecast week in the tooltip', () => {
    const tip = option.tooltip.formatter
    expect(tip([{ dataIndex: 1 }])).toBe('<b>2027-01-11 – 01-17</b><br/>A: ¥1,200.50<br/>F: ¥1,080.00')
    expect(tip([{ dataIndex: 4 }])).toBe('<b>2027-02-01 – 02-07</b> · S<br/><b>P: ¥1,420.00</b><br/>I: ¥1,150.00 – ¥1,690.00<br/>N: ¥1,500.00')
    expect(forecastChartOption({ ...series, lower80: null, upper80: null }, labels).tooltip.formatter({ dataIndex: 3 }))
      .toBe('<b>2027-01-25 – 01-31</b> · S<br/><b>P: ¥1,110.00</b><br/>N: ¥980.00')
  })

  it('escapes the words it puts in the tooltip', () => {
    const tip = forecastChartOption(series, { ...labels, actual: '<i>A</i>' }).tooltip.formatter
    expect(tip([{ dataIndex: 0 }])).toContain('&#60;i&#62;A&#60;/i&#62;: ¥1,000.00')
  })

  it('shows the axis in yuan', () => {
    expect(option.yAxis.axisLabel.formatter(12345)).toBe('¥12,345')
  })
})
