import type { ImportRowError } from './member-import.js'

/** The languages of the console; files for HQ follow the one its user reads (zh-CN by default). */
export const REPORT_LANGUAGES = ['zh-CN', 'en-US'] as const
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number]

const HEADERS: Record<ReportLanguage, [string, string, string, string]> = {
  'zh-CN': ['行号', '列', '值', '原因'],
  'en-US': ['line', 'column', 'value', 'reason'],
}

// The reasons a member import gives (member-import.ts, member-rules.ts), in Chinese; the console
// shows the same words (web/src/i18n/locales/zh-CN/imports/members.ts, reasons).
const ZH_EXACT: Record<string, string> = {
  'not a mainland China mobile number (11 digits starting 13–19, +86 allowed)': '不是有效的中国大陆手机号（11 位，13–19 开头，可带 +86）',
  'not a mainland China mobile number': '不是有效的中国大陆手机号',
  'contains control characters': '含有控制字符',
  'not a date (YYYY-MM-DD)': '不是日期（YYYY-MM-DD）',
  'not a date or date-time (YYYY-MM-DD[ HH:MM:SS])': '不是日期或日期时间（YYYY-MM-DD[ HH:MM:SS]）',
  'is in the future': '是将来的时间',
  'is before 1900': '早于 1900 年',
  'not a valid 18-character resident ID number (check digit or birth date wrong)': '不是有效的 18 位居民身份证号（校验位或出生日期不对）',
  'not a valid resident ID number': '不是有效的居民身份证号',
  'not an email address': '不是邮箱地址',
  'belongs to another member': '已属于其他会员',
  'no store with this code': '没有此编码的门店',
  'must be male/female (男/女, M/F) or unknown': '须为 男/女（M/F、male/female）或 未知',
  'must be yes/no (1/0, true/false, 是/否)': '须为 是/否（1/0、true/false）',
  'a row needs a phone or an external member code': '该行既没有手机号也没有原系统会员编号',
}

/** A refused row's reason in the report's language (the English text when no translation is known). */
export const reportReason = (reason: string, lang: ReportLanguage): string => {
  if (lang === 'en-US') return reason
  const exact = ZH_EXACT[reason]
  if (exact) return exact
  const tooLong = /^longer than (\d+) characters$/.exec(reason)
  if (tooLong) return `超过 ${tooLong[1]} 个字符`
  const oneOf = /^must be one of (.+)$/.exec(reason)
  if (oneOf) return `须为以下之一：${oneOf[1]}`
  if (reason.startsWith('unreadable CSV record')) return `无法解析的 CSV 行（${reason.replace(/^unreadable CSV record:?\s*/, '')}）`
  return reason
}

/** The language asked for (`lang`, else the first of Accept-Language the console speaks), zh-CN by default. */
export const reportLanguageOf = (lang: string | undefined, acceptLanguage: string | undefined): ReportLanguage => {
  if (lang && (REPORT_LANGUAGES as readonly string[]).includes(lang)) return lang as ReportLanguage
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase()
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en-US'
  }
  return 'zh-CN'
}

/** The report's rows as CSV records, header first. */
export const reportRecords = (rows: ImportRowError[], lang: ReportLanguage): string[][] => [
  HEADERS[lang],
  ...rows.map((r) => [String(r.line), r.column, r.value, reportReason(r.reason, lang)]),
]
