// A segment's members as an export reads them: masked, headers and codes in the requester's
// language, money in yuan, times in the chain's time zone. Pure: no I/O.

export const SEGMENT_EXPORT_LANGUAGES = ['zh-CN', 'en-US'] as const
export type SegmentExportLanguage = (typeof SEGMENT_EXPORT_LANGUAGES)[number]

/** One member of a segment as previews and exports show them (PII masked). */
export interface SegmentMember {
  id: string
  cardNo: string
  name: string | null
  phone: string | null
  gender: string
  storeCode: string | null
  storeName: string | null
  tier: string | null
  tierName: string | null
  /** fen, in the insight window */
  spendW: number
  receiptsW: number
  lastPurchaseAt: string | null
  rfmClass: string | null
  lifecycle: string | null
}

const COLUMNS = ['cardNo', 'name', 'phone', 'gender', 'storeCode', 'storeName', 'tier', 'spendW', 'receiptsW', 'lastPurchaseAt', 'rfmClass', 'lifecycle'] as const

const WORDS: Record<SegmentExportLanguage, { headers: Record<(typeof COLUMNS)[number], string>; values: Record<string, string> }> = {
  'zh-CN': {
    headers: {
      cardNo: '会员卡号', name: '姓名', phone: '手机号', gender: '性别', storeCode: '注册门店编码', storeName: '注册门店', tier: '会员等级',
      spendW: '窗口消费额（元）', receiptsW: '窗口消费次数', lastPurchaseAt: '最近消费时间', rfmClass: 'RFM 分类', lifecycle: '生命周期',
    },
    values: {
      male: '男', female: '女', unknown: '未知',
      important_value: '重要价值客户', important_develop: '重要发展客户', important_keep: '重要保持客户', important_retain: '重要挽留客户',
      general_value: '一般价值客户', general_develop: '一般发展客户', general_keep: '一般保持客户', general_retain: '一般挽留客户',
      new: '新客户', active: '活跃客户', dormant: '沉睡客户', lost: '流失客户', returning: '回流客户', prospect: '未购客户',
    },
  },
  'en-US': {
    headers: {
      cardNo: 'Card no.', name: 'Name', phone: 'Phone', gender: 'Gender', storeCode: 'Registration store code', storeName: 'Registration store', tier: 'Tier',
      spendW: 'Spend in window (CNY)', receiptsW: 'Receipts in window', lastPurchaseAt: 'Last purchase', rfmClass: 'RFM class', lifecycle: 'Lifecycle',
    },
    values: {
      male: 'Male', female: 'Female', unknown: 'Unknown',
      important_value: 'Important value', important_develop: 'Important develop', important_keep: 'Important keep', important_retain: 'Important retain',
      general_value: 'General value', general_develop: 'General develop', general_keep: 'General keep', general_retain: 'General retain',
      new: 'New', active: 'Active', dormant: 'Dormant', lost: 'Lost', returning: 'Returning', prospect: 'Never bought',
    },
  },
}

export const segmentExportHeader = (lang: SegmentExportLanguage): string[] => COLUMNS.map((c) => WORDS[lang].headers[c])

/** `2026-03-02 10:00:00` in the chain's time zone. */
const localDateTime = (iso: string, timezone: string): string => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso)).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV only; an xlsx string cell is never a formula). */
const neutralize = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)

export const segmentExportCells = (m: SegmentMember, lang: SegmentExportLanguage, timezone: string, { escapeFormulas = true } = {}): string[] => {
  const w = WORDS[lang].values
  const text = (v: string | null) => (v === null ? '' : escapeFormulas ? neutralize(v) : v)
  return [
    m.cardNo, text(m.name), text(m.phone), w[m.gender] ?? m.gender, text(m.storeCode), text(m.storeName), text(m.tierName ?? m.tier),
    (m.spendW / 100).toFixed(2), String(m.receiptsW), m.lastPurchaseAt ? localDateTime(m.lastPurchaseAt, timezone) : '',
    m.rfmClass ? (w[m.rfmClass] ?? m.rfmClass) : '', m.lifecycle ? (w[m.lifecycle] ?? m.lifecycle) : '',
  ]
}
