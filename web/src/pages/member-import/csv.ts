// The mapping rules the server applies (member-import.ts parseMapping); reading a file's head
// is the import wizard's (components/import-wizard/csv-preview.ts).
export { formatBytes, parseCsv, PreviewError, readPreview, type FilePreview, type PreviewProblem } from '../../components/import-wizard/csv-preview.js'

/** A column the mapping text can name: `col=field,…` cannot hold a comma, and blank names match nothing. */
export const isMappable = (column: string): boolean => column.trim() !== '' && !column.includes(',')

const normalize = (header: string) => header.toLowerCase().replace(/[\s_\-.()（）:：*]/g, '')

/** Header words → field, most specific first (a "短信手机" column is a consent, not the phone). */
const RULES: Array<{ field: string; exact?: string[]; contains?: string[]; not?: string[] }> = [
  { field: 'consent.sms', exact: ['sms', 'smsconsent', 'consentsms'], contains: ['短信'] },
  { field: 'consent.email', exact: ['emailconsent', 'consentemail'], contains: ['邮件营销', '邮件同意'] },
  { field: 'consent.wechat', exact: ['wechatconsent', 'consentwechat'], contains: ['微信营销', '微信同意'] },
  { field: 'consent.phone_call', exact: ['phonecallconsent', 'consentphonecall'], contains: ['电话营销', '电话同意'] },
  { field: 'idNumber', exact: ['idnumber', 'idno', 'idcard', 'idcardno', 'identitycard'], contains: ['身份证', '证件号'] },
  // A store's name is not its code: leave such a column for the user to decide.
  { field: 'storeCode', exact: ['store', 'storecode', 'storeno', 'shop', 'shopcode'], contains: ['门店', '店铺', '开卡店', '注册店'], not: ['名称', 'name'] },
  { field: 'externalCode', exact: ['external', 'externalcode', 'externalid', 'memberno', 'membercode', 'memberid', 'cardno', 'cardnumber', 'card'], contains: ['会员编号', '会员号', '会员编码', '卡号', '会员卡', '原系统', '编号'] },
  { field: 'registeredAt', exact: ['registeredat', 'registered', 'registerdate', 'registrationdate', 'createdat', 'created', 'joindate', 'joinedat', 'signupdate'], contains: ['注册时间', '注册日期', '入会', '开卡时间', '开卡日期', '办卡'] },
  { field: 'birthday', exact: ['birthday', 'birthdate', 'dateofbirth', 'dob', 'birth'], contains: ['生日', '出生'] },
  { field: 'gender', exact: ['gender', 'sex'], contains: ['性别'] },
  { field: 'email', exact: ['email', 'mail', 'emailaddress'], contains: ['邮箱', '电子邮件', '邮件'] },
  { field: 'phone', exact: ['phone', 'mobile', 'mobilephone', 'cellphone', 'cell', 'tel', 'telephone', 'phonenumber', 'phoneno', 'mobileno'], contains: ['手机', '电话', '联系方式'] },
  { field: 'name', exact: ['name', 'fullname', 'membername', 'customername', 'realname'], contains: ['姓名', '名字', '会员名', '客户名'] },
  { field: 'district', exact: ['district', 'county'], contains: ['区县', '所在区'] },
  { field: 'address', exact: ['address', 'addr', 'homeaddress'], contains: ['地址', '住址'] },
  { field: 'occupation', exact: ['occupation', 'job', 'profession'], contains: ['职业'] },
  { field: 'education', exact: ['education', 'degree'], contains: ['学历', '教育'] },
  { field: 'incomeBand', exact: ['income', 'incomeband', 'incomerange'], contains: ['收入'] },
]

/** The field a column header most likely holds, among `fields`, or undefined. */
export const suggestField = (header: string, fields: readonly string[]): string | undefined => {
  const n = normalize(header)
  if (!n) return undefined
  if (fields.includes(header.trim())) return header.trim()
  const rule = RULES.find((r) => fields.includes(r.field) && !r.not?.some((w) => n.includes(w)) && (r.exact?.includes(n) || r.contains?.some((w) => n.includes(w))))
  return rule?.field
}

/** A suggestion per column; each field goes to the first column that matches it. */
export const suggestMapping = (header: readonly string[], fields: readonly string[]): Record<string, string | undefined> => {
  const used = new Set<string>()
  const mapping: Record<string, string | undefined> = {}
  for (const column of header) {
    if (!isMappable(column) || column in mapping) continue
    const field = suggestField(column, fields.filter((f) => !used.has(f)))
    if (field) used.add(field)
    mapping[column] = field
  }
  return mapping
}

export type MappingIssue = { kind: 'noneMapped' } | { kind: 'needKey' } | { kind: 'duplicate'; field: string }

/** What the server would refuse in a mapping (member-import.ts parseMapping). */
export const mappingIssues = (mapping: Record<string, string | undefined>): MappingIssue[] => {
  const fields = Object.values(mapping).filter((f): f is string => !!f)
  if (fields.length === 0) return [{ kind: 'noneMapped' }]
  const issues: MappingIssue[] = []
  const duplicates = [...new Set(fields.filter((f, i) => fields.indexOf(f) !== i))]
  for (const field of duplicates) issues.push({ kind: 'duplicate', field })
  if (!fields.includes('phone') && !fields.includes('externalCode')) issues.push({ kind: 'needKey' })
  return issues
}

/** The multipart `mapping` field: `column=field,…` for the mapped columns. */
export const mappingText = (mapping: Record<string, string | undefined>): string =>
  Object.entries(mapping).filter(([column, field]) => field && isMappable(column)).map(([column, field]) => `${column.trim()}=${field}`).join(',')

/** i18n key of a field's label: `consent.sms` → `fields.consent_sms` (dots separate i18n keys). */
export const fieldKey = (field: string) => `fields.${field.replace(/\./g, '_')}`
