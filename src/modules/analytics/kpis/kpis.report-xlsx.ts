import ExcelJS from 'exceljs'
import { RATIO_METRICS } from './kpi-rules.js'
import type { CrmReport, ReportBlock, ReportMetric } from './kpis.service.js'

export type ReportLanguage = 'zh-CN' | 'en-US'

const METRIC_NAMES: Record<ReportLanguage, Record<ReportMetric, string>> = {
  'zh-CN': {
    satisfaction: '顾客满意度', repurchaseRate: '复购率', retentionRate: '留存率', churnRate: '流失率', salesGrowth: '销售额同比增长',
    netSales: '净销售额（元）', memberSalesShare: '会员消费占比', newMembers: '新增会员', activeMembers: '活跃会员',
  },
  'en-US': {
    satisfaction: 'Customer satisfaction', repurchaseRate: 'Repurchase rate', retentionRate: 'Retention rate', churnRate: 'Churn rate', salesGrowth: 'Sales growth (YoY)',
    netSales: 'Net sales (yuan)', memberSalesShare: 'Member sales share', newMembers: 'New members', activeMembers: 'Active members',
  },
}

const WORDS = {
  'zh-CN': {
    title: 'CRM 绩效评估', period: '期间', scope: '范围', chain: '全连锁', metric: '指标', actual: '实际', target: '目标', attainment: '达成率',
    lastYear: '去年同期', change: '同比', level: '层级', region: '区域', store: '门店', summary: '汇总', regions: '按区域', stores: '按门店', trend: '趋势',
    satisfaction: '尚未开展顾客满意度调查：有调查结果后才报告满意度。',
    partial: (r: CrmReport) => `本期尚未结束：数字截至 ${r.through}（${r.days} 天），同比对比 ${r.compareTo.lastYear.from} – ${r.compareTo.lastYear.to}（相同天数）。`,
    toDate: (through: string) => `（至 ${through}）`,
  },
  'en-US': {
    title: 'CRM evaluation', period: 'Period', scope: 'Scope', chain: 'Whole chain', metric: 'Metric', actual: 'Actual', target: 'Target', attainment: 'Attainment',
    lastYear: 'Last year', change: 'YoY', level: 'Level', region: 'Region', store: 'Store', summary: 'Summary', regions: 'By region', stores: 'By store', trend: 'Trend',
    satisfaction: 'No customer surveys yet: satisfaction is reported once survey answers exist.',
    partial: (r: CrmReport) => `This period is still running: figures to ${r.through} (${r.days} days), YoY against ${r.compareTo.lastYear.from} – ${r.compareTo.lastYear.to} (the same number of days).`,
    toDate: (through: string) => ` (to ${through})`,
  },
} as const

/** A figure as a cell: money in yuan, ratios as numbers with a percent format, the rest as is. */
const cell = (metric: ReportMetric, v: number | null): number | string => {
  if (v === null) return ''
  if (metric === 'netSales') return v / 100
  return v
}

const PERCENT = '0.0%'

const addBlockRows = (sheet: ExcelJS.Worksheet, lang: ReportLanguage, blocks: ReportBlock[], withName: boolean) => {
  const w = WORDS[lang]
  sheet.addRow([...(withName ? [w.level, w.store] : []), w.metric, w.actual, w.target, w.attainment, w.lastYear, w.change]).font = { bold: true }
  for (const b of blocks) {
    for (const l of b.lines) {
      const row = sheet.addRow([
        ...(withName ? [b.kind === 'region' ? w.region : b.kind === 'store' ? w.store : w.chain, [b.code, b.name].filter(Boolean).join(' ')] : []),
        METRIC_NAMES[lang][l.metric], l.metric === 'satisfaction' && l.actual === null ? w.satisfaction : cell(l.metric, l.actual), cell(l.metric, l.target),
        l.attainment ?? '', cell(l.metric, l.lastYear), l.lastYearChange ?? '',
      ])
      const offset = withName ? 2 : 0
      if (RATIO_METRICS.has(l.metric) || l.metric === 'satisfaction') for (const c of [2, 3, 5]) row.getCell(offset + c).numFmt = PERCENT
      for (const c of [4, 6]) row.getCell(offset + c).numFmt = PERCENT
    }
  }
}

/** The report as a workbook: a summary sheet, one by region, one by store, and the trend. */
export const reportWorkbook = async (report: CrmReport, lang: ReportLanguage): Promise<Buffer> => {
  const w = WORDS[lang]
  const wb = new ExcelJS.Workbook()
  const summary = wb.addWorksheet(w.summary)
  summary.addRow([w.title]).font = { bold: true, size: 14 }
  summary.addRow([w.period, report.period, `${report.from} – ${report.to}`])
  if (report.partial) summary.addRow(['', w.partial(report)])
  summary.addRow([w.scope, report.scope.name ?? w.chain])
  summary.addRow([])
  addBlockRows(summary, lang, [report.summary], false)
  if (!report.satisfaction.available) summary.addRow([]).getCell(1).value = w.satisfaction
  if (report.regions.length > 0) addBlockRows(wb.addWorksheet(w.regions), lang, report.regions, true)
  addBlockRows(wb.addWorksheet(w.stores), lang, report.stores, true)
  const trend = wb.addWorksheet(w.trend)
  const metrics = ['netSales', 'salesGrowth', 'memberSalesShare', 'newMembers', 'activeMembers', 'repurchaseRate', 'retentionRate', 'churnRate'] as const
  trend.addRow([w.period, ...metrics.map((m) => METRIC_NAMES[lang][m])]).font = { bold: true }
  for (const t of report.trend) {
    // The running period's figures are so far: its key says to which day.
    const row = trend.addRow([t.partial ? `${t.key}${w.toDate(t.through)}` : t.key, ...metrics.map((m) => cell(m, t[m]))])
    metrics.forEach((m, i) => { if (RATIO_METRICS.has(m)) row.getCell(i + 2).numFmt = PERCENT })
  }
  for (const sheet of wb.worksheets) sheet.columns.forEach((c) => { c.width = 16 })
  return Buffer.from(await wb.xlsx.writeBuffer())
}
