import { CONSENT_CHANNELS, type Channel, type ConsentChannel, type Education, type Gender, type IncomeBand, type MemberStatus, type Occupation } from './members.types.js'
import { fileLanguage } from '../../shared/http/table-export.js'

// The member export as HQ reads it: headers, codes and times in the requester's console language
// and the chain's time zone, stores by code and name. Pure: no I/O. The words are the console's
// (web/src/i18n/locales/*/members.ts), so a file and the screen say the same.

export const EXPORT_LANGUAGES = ['zh-CN', 'en-US'] as const
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number]

/** One member as the export reads it: masked PII, codes, UTC time. */
export interface ExportRow {
  id: string
  cardNo: string
  phone: string | null
  name: string | null
  gender: Gender
  birthday: string | null
  email: string | null
  occupation: Occupation | null
  education: Education | null
  incomeBand: IncomeBand | null
  district: string | null
  storeCode: string | null
  storeName: string | null
  registrationChannel: Channel
  externalCode: string | null
  status: MemberStatus
  registeredAt: string
  consents: Partial<Record<ConsentChannel, boolean>>
}

interface Words {
  headers: Record<'id' | 'cardNo' | 'phone' | 'name' | 'gender' | 'birthday' | 'email' | 'occupation' | 'education' | 'incomeBand' | 'district' | 'storeCode' | 'storeName' | 'registrationChannel' | 'externalCode' | 'status' | 'registeredAt', string>
  consentHeader: (channel: string) => string
  yes: string
  no: string
  genders: Record<Gender, string>
  channels: Record<Channel, string>
  statuses: Record<MemberStatus, string>
  consentChannels: Record<ConsentChannel, string>
  occupations: Record<Occupation, string>
  educations: Record<Education, string>
  incomeBands: Record<IncomeBand, string>
}

const WORDS: Record<ExportLanguage, Words> = {
  'zh-CN': {
    headers: {
      id: '会员ID', cardNo: '会员卡号', phone: '手机号', name: '姓名', gender: '性别', birthday: '生日', email: '邮箱',
      occupation: '职业', education: '学历', incomeBand: '月收入', district: '所在区县', storeCode: '注册门店编码', storeName: '注册门店',
      registrationChannel: '注册渠道', externalCode: '原系统编号', status: '状态', registeredAt: '注册时间',
    },
    consentHeader: (channel) => `营销授权-${channel}`,
    yes: '是',
    no: '否',
    genders: { male: '男', female: '女', unknown: '未知' },
    channels: { till: '收银台', qr: '扫码自助', mini_program: '小程序', import: '导入' },
    statuses: { active: '正常', frozen: '已冻结', erased: '已注销', merged: '已合并' },
    consentChannels: { sms: '短信', email: '邮件', wechat: '微信', app_push: 'App 推送', phone_call: '电话' },
    occupations: {
      student: '学生', office_worker: '公司职员', civil_servant: '公务员/事业单位', professional: '专业人士', worker: '工人',
      self_employed: '个体经营', service: '服务业', farmer: '农民', retired: '退休', homemaker: '家庭主妇/主夫', other: '其他',
    },
    educations: {
      primary: '小学', junior_high: '初中', senior_high: '高中/中专', vocational: '职高/技校', college: '大专', bachelor: '本科', master: '硕士', doctorate: '博士',
    },
    incomeBands: { below_3k: '3千以下', '3k_5k': '3千-5千', '5k_8k': '5千-8千', '8k_12k': '8千-1.2万', '12k_20k': '1.2万-2万', '20k_plus': '2万以上' },
  },
  'en-US': {
    headers: {
      id: 'Member ID', cardNo: 'Card no.', phone: 'Phone', name: 'Name', gender: 'Gender', birthday: 'Birthday', email: 'Email',
      occupation: 'Occupation', education: 'Education', incomeBand: 'Monthly income', district: 'District', storeCode: 'Registration store code',
      storeName: 'Registration store', registrationChannel: 'Channel', externalCode: 'Legacy code', status: 'Status', registeredAt: 'Registered at',
    },
    consentHeader: (channel) => `Consent: ${channel}`,
    yes: 'Yes',
    no: 'No',
    genders: { male: 'Male', female: 'Female', unknown: 'Unknown' },
    channels: { till: 'Till', qr: 'QR self-service', mini_program: 'Mini program', import: 'Import' },
    statuses: { active: 'Active', frozen: 'Frozen', erased: 'Erased', merged: 'Merged' },
    consentChannels: { sms: 'SMS', email: 'Email', wechat: 'WeChat', app_push: 'App push', phone_call: 'Phone call' },
    occupations: {
      student: 'Student', office_worker: 'Office worker', civil_servant: 'Civil servant', professional: 'Professional', worker: 'Worker',
      self_employed: 'Self-employed', service: 'Service industry', farmer: 'Farmer', retired: 'Retired', homemaker: 'Homemaker', other: 'Other',
    },
    educations: {
      primary: 'Primary school', junior_high: 'Junior high', senior_high: 'Senior high', vocational: 'Vocational school', college: 'College',
      bachelor: "Bachelor's", master: "Master's", doctorate: 'Doctorate',
    },
    incomeBands: { below_3k: 'Below ¥3k', '3k_5k': '¥3k–5k', '5k_8k': '¥5k–8k', '8k_12k': '¥8k–12k', '12k_20k': '¥12k–20k', '20k_plus': '¥20k and above' },
  },
}

const COLUMNS = [
  'id', 'cardNo', 'phone', 'name', 'gender', 'birthday', 'email', 'occupation', 'education', 'incomeBand', 'district',
  'storeCode', 'storeName', 'registrationChannel', 'externalCode', 'status', 'registeredAt',
] as const

/** The language of an export (`lang`, else Accept-Language by q-value, else zh-CN): the one rule every download follows. */
export const exportLanguage: (lang: string | undefined, acceptLanguage: string | undefined) => ExportLanguage = fileLanguage

/** The header row, in the export's language. */
export const exportHeader = (lang: ExportLanguage): string[] => {
  const w = WORDS[lang]
  return [...COLUMNS.map((c) => w.headers[c]), ...CONSENT_CHANNELS.map((c) => w.consentHeader(w.consentChannels[c]))]
}

/** `2026-03-02 10:00:00` in the chain's time zone. */
export const localDateTime = (iso: string, timezone: string): string => {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, or a leading tab or
 * carriage return that hides one) gets a leading apostrophe, which shows the text as typed (the
 * OWASP advice for CSV injection). Member text is typed at tills and imported from old systems.
 */
export const neutralizeFormula = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)

/**
 * One member's cells, in the order of `exportHeader`. For CSV, `escapeFormulas` neutralises text
 * a spreadsheet would run; an xlsx cell written as a string is never a formula, so it keeps the text as is.
 */
export const exportCells = (row: ExportRow, lang: ExportLanguage, timezone: string, { escapeFormulas = true } = {}): string[] => {
  const w = WORDS[lang]
  const text = (v: string | null) => (v === null ? '' : escapeFormulas ? neutralizeFormula(v) : v)
  const cells = [
    row.id, row.cardNo, text(row.phone), text(row.name), w.genders[row.gender], text(row.birthday), text(row.email),
    row.occupation ? w.occupations[row.occupation] : '', row.education ? w.educations[row.education] : '', row.incomeBand ? w.incomeBands[row.incomeBand] : '',
    text(row.district), text(row.storeCode), text(row.storeName), w.channels[row.registrationChannel], text(row.externalCode),
    w.statuses[row.status], localDateTime(row.registeredAt, timezone),
  ]
  for (const c of CONSENT_CHANNELS) {
    const granted = row.consents[c]
    cells.push(granted === undefined ? '' : granted ? w.yes : w.no)
  }
  return cells
}
