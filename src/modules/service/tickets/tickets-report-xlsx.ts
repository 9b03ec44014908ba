import ExcelJS from 'exceljs'
import type { FileLanguage } from '../../../shared/http/table-export.js'
import type { ServiceReport } from './tickets-report.js'


const words = {
  'zh-CN': {
    summary: '概览', total: '工单数', from: '开始日期', to: '结束日期', category: '按类别', store: '按门店', period: '按时段', severity: '按严重度',
    times: '时效', repeat: '重复投诉会员', products: '被投诉商品', stores: '被投诉门店', satisfaction: '回访满意度',
    name: '名称', key: '编号', count: '数量', complaints: '投诉', requests: '服务请求', metric: '指标', value: '值',
    frMedianW: '首次响应中位数(工作分钟)', frMeanW: '首次响应平均(工作分钟)', frMedianE: '首次响应中位数(自然分钟)', frMeanE: '首次响应平均(自然分钟)',
    rsMedianW: '解决中位数(工作分钟)', rsMeanW: '解决平均(工作分钟)', rsMedianE: '解决中位数(自然分钟)', rsMeanE: '解决平均(自然分钟)',
    frSla: '首次响应达标率', rsSla: '解决达标率', reopen: '重开率', member: '会员', card: '卡号', score: '评分', mean: '平均分', responses: '回访数',
    points: '补偿积分', coupons: '补偿券数',
  },
  'en-US': {
    summary: 'Summary', total: 'Tickets', from: 'From', to: 'To', category: 'By category', store: 'By store', period: 'By period', severity: 'By severity',
    times: 'Times', repeat: 'Repeat complainants', products: 'Products', stores: 'Stores', satisfaction: 'Satisfaction',
    name: 'Name', key: 'Id', count: 'Count', complaints: 'Complaints', requests: 'Requests', metric: 'Metric', value: 'Value',
    frMedianW: 'First response median (working min)', frMeanW: 'First response mean (working min)', frMedianE: 'First response median (elapsed min)', frMeanE: 'First response mean (elapsed min)',
    rsMedianW: 'Resolution median (working min)', rsMeanW: 'Resolution mean (working min)', rsMedianE: 'Resolution median (elapsed min)', rsMeanE: 'Resolution mean (elapsed min)',
    frSla: 'First response SLA met', rsSla: 'Resolution SLA met', reopen: 'Reopen rate', member: 'Member', card: 'Card', score: 'Score', mean: 'Mean', responses: 'Responses',
    points: 'Goodwill points', coupons: 'Coupons',
  },
}

/** The report as a workbook, a sheet per table (numbers as numbers, rates as fractions). */
export const reportWorkbook = async (r: ServiceReport, lang: FileLanguage): Promise<Buffer> => {
  const w = words[lang]
  const wb = new ExcelJS.Workbook()
  const sheet = (name: string, header: string[], rows: unknown[][]) => {
    const s = wb.addWorksheet(name)
    s.addRow(header).font = { bold: true }
    for (const row of rows) s.addRow(row)
    s.columns.forEach((c) => { c.width = 18 })
  }
  const countRows = (list: ServiceReport['byCategory']) => list.map((c) => [c.key, (lang === 'en-US' ? c.nameEn ?? c.name : c.name) ?? c.key, c.count])
  sheet(w.summary, [w.metric, w.value], [
    [w.from, r.from], [w.to, r.to], [w.total, r.total],
    [w.frMedianW, r.firstResponse.medianWorking], [w.frMeanW, r.firstResponse.meanWorking], [w.frMedianE, r.firstResponse.medianElapsed], [w.frMeanE, r.firstResponse.meanElapsed],
    [w.rsMedianW, r.resolution.medianWorking], [w.rsMeanW, r.resolution.meanWorking], [w.rsMedianE, r.resolution.medianElapsed], [w.rsMeanE, r.resolution.meanElapsed],
    [w.frSla, r.slaCompliance.firstResponse.rate], [w.rsSla, r.slaCompliance.resolution.rate], [w.reopen, r.reopenRate.rate],
    [w.responses, r.satisfaction.responses], [w.mean, r.satisfaction.mean], [w.points, r.compensation.points], [w.coupons, r.compensation.coupons],
  ])
  sheet(w.category, [w.key, w.name, w.count], countRows(r.byCategory))
  sheet(w.store, [w.key, w.name, w.count], countRows(r.byStore))
  sheet(w.period, [w.period, w.count, w.complaints, w.requests], r.byPeriod.map((p) => [p.period, p.count, p.complaints, p.requests]))
  sheet(w.severity, [w.key, w.count], r.bySeverity.map((s) => [s.key, s.count]))
  sheet(w.repeat, [w.member, w.card, w.count], r.repeatComplainants.map((m) => [m.memberName, m.cardNo, m.count]))
  sheet(w.products, [w.key, w.name, w.count], countRows(r.topProducts))
  sheet(w.stores, [w.key, w.name, w.count], countRows(r.topStores))
  sheet(w.satisfaction, [w.score, w.count], r.satisfaction.distribution.map((d) => [d.score, d.count]))
  return Buffer.from(await wb.xlsx.writeBuffer())
}
