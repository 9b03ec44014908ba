import type { ReportLanguage } from '../members/index.js'

const HEADERS: Record<ReportLanguage, [string, string, string, string]> = {
  'zh-CN': ['行号', '列', '值', '原因'],
  'en-US': ['line', 'column', 'value', 'reason'],
}

// The reasons a receipt import gives (receipt-import-rules.ts, receipt-import.ts), in Chinese for
// HQ's file; a reason without a translation stays in English rather than being dropped.
const ZH_EXACT: Record<string, string> = {
  'required': '必填', 'is required': '必填',
  'negative': '不能为负数',
  'not a whole number': '不是整数',
  'finer than a fen (at most 2 decimals)': '精确到分（最多 2 位小数）',
  'larger than quantity × price': '大于 数量 × 单价',
  'no store with this code': '没有此编码的门店',
  'not a date-time (YYYY-MM-DD HH:MM[:SS], or ISO-8601 with a zone)': '不是日期时间（YYYY-MM-DD HH:MM[:SS]，或带时区的 ISO-8601）',
  'negative quantity on a sale (a return needs its own receipt number)': '销售小票上的数量为负（退货须用自己的小票号）',
  'price 0 on a receipt with other lines': '单价为 0，而小票上还有其他行',
  'quantity 0 on a receipt with other lines': '数量为 0，而小票上还有其他行',
  'receipt skipped: every line has quantity 0 or price 0 (an adjustment, nothing to post)': '已跳过：每行数量或单价都为 0（调整单，无需入账）',
  'sale or return (销售/退货)': '须为 销售 或 退货',
  'up to 8 letters or digits': '最多 8 个字母或数字',
  '1–64 letters, digits or _-./#, starting with a letter or digit': '1–64 个字母、数字或 _-./#，以字母或数字开头',
  'not a mainland China mobile number': '不是有效的中国大陆手机号',
}

const ZH_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^longer than (\d+) characters$/, (m) => `超过 ${m[1]} 个字符`],
  [/^no store with code (.+)$/, (m) => `没有编码为 ${m[1]} 的门店`],
  [/^another member than line (\d+) of the same receipt$/, (m) => `与同一小票第 ${m[1]} 行的会员不同`],
  [/^a (\w+) line on a (\w+) receipt$/, (m) => `${m[2] === 'sale' ? '销售' : '退货'}小票上的${m[1] === 'sale' ? '销售' : '退货'}行`],
  [/^more than ([\d,]+) pieces$/, (m) => `超过 ${m[1]} 件`],
  [/^one of (.+)$/, (m) => `须为以下之一：${m[1]}`],
  [/^([\d.]+) but quantity × price − discount is ([\d.]+)$/, (m) => `金额 ${m[1]}，但 数量 × 单价 − 折扣 为 ${m[2]}`],
  [/^a receipt of more than ([\d,]+) lines: the rest is not imported$/, (m) => `小票超过 ${m[1]} 行：其余未导入`],
  [/^unreadable CSV record:?\s*(.*)$/, (m) => `无法解析的 CSV 行（${m[1]}）`],
]

/** A problem's reason in the report's language (the English text when no translation is known). */
export const receiptReportReason = (reason: string, lang: ReportLanguage): string => {
  if (lang === 'en-US') return reason
  const exact = ZH_EXACT[reason]
  if (exact) return exact
  for (const [pattern, words] of ZH_PATTERNS) {
    const m = pattern.exec(reason)
    if (m) return words(m)
  }
  return reason
}

export const receiptReportHeader = (lang: ReportLanguage): string[] => HEADERS[lang]
