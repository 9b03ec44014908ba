import type { FileLanguage } from '../../../shared/http/table-export.js'
import type { SeriesDetail } from './forecast.service.js'

const HEADER: Record<FileLanguage, string[]> = {
  'zh-CN': ['层级', '门店', '部门/品类', '周一', '类型', '销售额（元）', '预测（元）', '80%下限（元）', '80%上限（元）', '春节前'],
  'en-US': ['level', 'store', 'department/category', 'week (Monday)', 'kind', 'sales (yuan)', 'forecast (yuan)', 'lower 80% (yuan)', 'upper 80% (yuan)', 'before Spring Festival'],
}
const WORDS: Record<FileLanguage, { store_department: string; chain_category: string; chain: string; actual: string; forecast: string; yes: string; no: string }> = {
  'zh-CN': { store_department: '门店×部门', chain_category: '全链×品类', chain: '全链', actual: '实际', forecast: '预测', yes: '是', no: '否' },
  'en-US': { store_department: 'store × department', chain_category: 'chain × category', chain: 'chain', actual: 'actual', forecast: 'forecast', yes: 'yes', no: 'no' },
}

const yuan = (fen: number | undefined) => (fen === undefined ? '' : (fen / 100).toFixed(2))

/** The forecast export: a header, then per series its history weeks (actual) and forecast weeks, in yuan. */
export function* forecastExportRows(series: readonly SeriesDetail[], lang: FileLanguage): Iterable<string[]> {
  const w = WORDS[lang]
  yield HEADER[lang]
  for (const s of series) {
    const head = [w[s.level], s.storeName ?? w.chain, s.key]
    for (let i = 0; i < s.weeks.length; i++) {
      const past = i < s.actual.length
      const h = i - s.actual.length
      yield [...head, s.weeks[i]!, past ? w.actual : w.forecast, past ? yuan(s.actual[i]) : '', past ? '' : yuan(s.forecast[h]),
        past ? '' : yuan(s.lower80?.[h]), past ? '' : yuan(s.upper80?.[h]), s.springFestival[i] ? w.yes : w.no]
    }
  }
}
