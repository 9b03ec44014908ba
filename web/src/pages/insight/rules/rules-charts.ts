// The association rules page's figures in words and its chart: pure functions of the API's rules
// and the page's words, tested on their own; <EChart> only renders them.

export interface RuleItem {
  /** a product id at the SKU level, the subcategory's, category's or department's name otherwise */
  key: string
  label: string
  sku?: string
}

export interface RuleLike {
  antecedent: readonly RuleItem[]
  consequent: readonly RuleItem[]
  baskets: number
  support: number
  confidence: number
  lift: number
}

/** A share (0–1) as a percentage: 0.01234 → "1.23%" (two decimals: supports are often below 1 %). */
export const formatPercent = (share: number, digits = 2): string =>
  (Number.isFinite(share) ? `${(share * 100).toFixed(digits)}%` : '—')

export const formatLift = (lift: number): string => (Number.isFinite(lift) ? lift.toFixed(2) : '—')

/** "A + B ⇒ C": a rule in one line, by its items' labels. */
export const ruleText = (rule: Pick<RuleLike, 'antecedent' | 'consequent'>): string =>
  `${rule.antecedent.map((i) => i.label).join(' + ')} ⇒ ${rule.consequent.map((i) => i.label).join(' + ')}`

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const round2 = (v: number) => Math.round(v * 100) / 100

export interface RulesScatterLabels {
  support: string
  confidence: string
  lift: string
}

/** Point sizes (px) from the smallest lift to the largest. */
export const SIZE_RANGE = [8, 32] as const

/**
 * The rules as points: support (%) across, confidence (%) up, size and colour by lift (pale yellow at
 * or below 1, dark red at the highest). The colour scale always holds 1, so rules no better than chance
 * are never red. The tooltip names the rule (HTML-escaped: product names are data).
 */
export const rulesScatterOption = (rules: readonly RuleLike[], labels: RulesScatterLabels) => {
  const lifts = rules.map((r) => r.lift)
  const low = Math.min(1, ...lifts)
  const high = Math.max(1, ...lifts)
  const size = (lift: number) => (high === low ? SIZE_RANGE[0] : Math.round(SIZE_RANGE[0] + ((SIZE_RANGE[1] - SIZE_RANGE[0]) * (lift - low)) / (high - low)))
  const data = rules.map((r) => ({
    name: ruleText(r),
    value: [round2(r.support * 100), round2(r.confidence * 100), round2(r.lift)] as [number, number, number],
    symbolSize: size(r.lift),
  }))
  return {
    tooltip: {
      trigger: 'item' as const,
      formatter: (params: { data: (typeof data)[number] }) => {
        const { name, value: [support, confidence, lift] } = params.data
        return `${escapeHtml(name)}<br/>${escapeHtml(labels.support)}: ${support.toFixed(2)}<br/>${escapeHtml(labels.confidence)}: ${confidence.toFixed(2)}<br/>${escapeHtml(labels.lift)}: ${lift.toFixed(2)}`
      },
    },
    grid: { left: 16, right: 72, top: 40, bottom: 36, containLabel: true },
    xAxis: { type: 'value' as const, name: labels.support, nameLocation: 'middle' as const, nameGap: 28, scale: true, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'value' as const, name: labels.confidence, scale: true, max: 100, axisLabel: { formatter: '{value}%' } },
    visualMap: {
      type: 'continuous' as const, dimension: 2, min: round2(low), max: round2(high), precision: 2, calculable: false,
      orient: 'vertical' as const, right: 0, top: 'middle' as const, itemHeight: 140, text: [labels.lift, ''],
      inRange: { color: ['#ffe58f', '#fa8c16', '#cf1322'] },
    },
    series: [{ type: 'scatter' as const, name: labels.lift, data, itemStyle: { opacity: 0.75, borderColor: '#fff', borderWidth: 1 }, emphasis: { focus: 'self' as const } }],
  }
}
