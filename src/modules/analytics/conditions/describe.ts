import type { ChoiceField, Condition, Leaf, NumberField } from './condition.js'

export type DescribeLanguage = 'zh-CN' | 'en-US'

/** Names of the ids a condition mentions (tags, stores, tiers, coupon templates); an id without one is shown as is. */
export type IdNames = Readonly<Record<string, string>>

const NUMBER_LABELS: Record<NumberField, [string, string, 'fen' | 'days' | 'pm' | 'points' | 'count' | 'score' | 'years']> = {
  spend_w: ['窗口消费额', 'spend in the window', 'fen'],
  receipts_w: ['窗口消费次数', 'receipts in the window', 'count'],
  avg_ticket_w: ['窗口客单价', 'average ticket in the window', 'fen'],
  spend_total: ['累计消费额', 'total spend', 'fen'],
  receipts_total: ['累计消费次数', 'total receipts', 'count'],
  recency_days: ['距上次消费天数', 'days since last purchase', 'days'],
  interval_days: ['平均消费间隔', 'mean days between purchases', 'days'],
  stores_visited_w: ['窗口到店门店数', 'stores visited in the window', 'count'],
  promo_share_pm: ['促销占比', 'promotion share', 'pm'],
  points_earned_w: ['窗口获得积分', 'points earned in the window', 'points'],
  points_redeemed_w: ['窗口使用积分', 'points redeemed in the window', 'points'],
  coupons_used_w: ['窗口用券张数', 'coupons used in the window', 'count'],
  r_score: ['R 分', 'R score', 'score'],
  f_score: ['F 分', 'F score', 'score'],
  m_score: ['M 分', 'M score', 'score'],
  points_balance: ['积分余额', 'points balance', 'points'],
  age: ['年龄', 'age', 'years'],
  registered_days: ['注册天数', 'days since registration', 'days'],
  p_alive_pm: ['存活概率', 'probability of being alive', 'pm'],
  expected_value: ['预计客单价', 'expected purchase value', 'fen'],
  clv: ['客户终身价值', 'customer lifetime value', 'fen'],
}

const CHOICE_LABELS: Record<ChoiceField, [string, string]> = {
  gender: ['性别', 'gender'],
  age_band: ['年龄段', 'age band'],
  income_band: ['月收入', 'income band'],
  district: ['区县', 'district'],
  occupation: ['职业', 'occupation'],
  education: ['学历', 'education'],
  registration_store: ['注册门店', 'registration store'],
  registration_channel: ['注册渠道', 'registration channel'],
  tier: ['会员等级', 'tier'],
  main_store: ['常去门店', 'main store'],
  main_department: ['偏好大类', 'main department'],
  main_category: ['偏好品类', 'main category'],
  rfm_class: ['RFM 分类', 'RFM class'],
  quadrant: ['价值象限', 'value quadrant'],
  frequency_class: ['频次等级', 'frequency class'],
  amount_class: ['消费等级', 'amount class'],
  lifecycle: ['生命周期', 'lifecycle'],
}

/** Words for the enumerated values, zh-CN (en-US shows them readably from the code). */
const VALUE_ZH: Record<string, string> = {
  male: '男', female: '女', unknown: '未知',
  till: '收银台', qr: '扫码', mini_program: '小程序', import: '导入',
  important_value: '重要价值客户', important_develop: '重要发展客户', important_keep: '重要保持客户', important_retain: '重要挽留客户',
  general_value: '一般价值客户', general_develop: '一般发展客户', general_keep: '一般保持客户', general_retain: '一般挽留客户',
  core: '核心客户', develop: '重点发展客户', potential: '可发展客户', abandon: '放弃发展客户',
  high: '高', mid: '中', low: '低',
  new: '新客户', active: '活跃客户', dormant: '沉睡客户', lost: '流失客户', returning: '回流客户', prospect: '未购客户',
  below_3k: '3千以下', '3k_5k': '3千–5千', '5k_8k': '5千–8千', '8k_12k': '8千–1.2万', '12k_20k': '1.2万–2万', '20k_plus': '2万以上',
  student: '学生', office_worker: '职员', civil_servant: '公务员', professional: '专业人士', worker: '工人', self_employed: '个体经营',
  service: '服务业', farmer: '农民', retired: '退休', homemaker: '家庭主妇/夫', other: '其他',
  primary: '小学', junior_high: '初中', senior_high: '高中', vocational: '中专/职高', college: '大专', bachelor: '本科', master: '硕士', doctorate: '博士',
}
const VALUE_EN_UNKNOWN_QUADRANT = 'no income band'

const CONSENT = { sms: ['短信', 'SMS'], email: ['邮件', 'email'], wechat: ['微信', 'WeChat'], app_push: ['App 推送', 'app push'], phone_call: ['电话', 'phone calls'] } as const
const BOUGHT = { department: ['大类', 'department'], category: ['品类', 'category'], brand: ['品牌', 'brand'], sku: ['商品', 'SKU'] } as const

const yuan = (fen: number) => {
  const s = (fen / 100).toFixed(2)
  return s.endsWith('.00') ? s.slice(0, -3) : s
}

const formatNumber = (n: number, unit: (typeof NUMBER_LABELS)[NumberField][2], zh: boolean): string => {
  switch (unit) {
    case 'fen': return zh ? `${yuan(n)}元` : `¥${yuan(n)}`
    case 'days': return zh ? `${n}天` : `${n} days`
    case 'pm': return `${n}‰`
    case 'points': return zh ? `${n}分` : `${n} points`
    case 'years': return zh ? `${n}岁` : `${n}`
    default: return String(n)
  }
}

const valueWords = (field: ChoiceField, v: string, zh: boolean, names: IdNames): string => {
  if (names[v]) return names[v]
  if (zh) return VALUE_ZH[v] ?? v
  if (field === 'quadrant' && v === 'unknown') return VALUE_EN_UNKNOWN_QUADRANT
  return v.replace(/_/g, ' ')
}

const list = (values: string[], zh: boolean) => values.join(zh ? '、' : ', ')

const describeLeaf = (leaf: Leaf, zh: boolean, names: IdNames): string => {
  const name = (id: string) => names[id] ?? id
  switch (leaf.field) {
    case 'consent': {
      const ch = CONSENT[leaf.value][zh ? 0 : 1]
      if (zh) return leaf.op === 'granted' ? `同意接收${ch}` : `未同意接收${ch}`
      return leaf.op === 'granted' ? `consents to ${ch}` : `does not consent to ${ch}`
    }
    case 'bought': {
      const what = list(leaf.value.map(name), zh)
      const kind = BOUGHT[leaf.op][zh ? 0 : 1]
      const min = leaf.min ?? 1
      if (zh) return `近${leaf.days}天在${kind}「${what}」购买${min > 1 ? `至少${min}次` : '过'}`
      return `bought in ${kind} ${what} ${min > 1 ? `at least ${min} times ` : ''}in the last ${leaf.days} days`
    }
    case 'shopped_at': {
      const stores = list(leaf.value.map(name), zh)
      return zh ? `近${leaf.days}天在${stores}消费过` : `shopped at ${stores} in the last ${leaf.days} days`
    }
    case 'tag':
      if (zh) return leaf.op === 'has' ? `有标签「${name(leaf.value)}」` : `没有标签「${name(leaf.value)}」`
      return leaf.op === 'has' ? `has tag "${name(leaf.value)}"` : `lacks tag "${name(leaf.value)}"`
    case 'coupon': {
      const which = leaf.value ? (zh ? `「${name(leaf.value)}」` : `"${name(leaf.value)}" `) : ''
      if (leaf.op === 'holds') return zh ? `持有未使用的${which}优惠券` : `holds an unused ${which}coupon`
      return zh ? `近${leaf.days}天使用过${which}优惠券` : `used a ${which}coupon in the last ${leaf.days} days`
    }
    default:
      break
  }
  if ('op' in leaf && (leaf.op === 'in' || leaf.op === 'not_in')) {
    const field = leaf.field as ChoiceField
    const [zhLabel, enLabel] = CHOICE_LABELS[field]
    const values = list((leaf.value as string[]).map((v) => valueWords(field, v, zh, names)), zh)
    if (zh) return `${zhLabel}${leaf.op === 'in' ? '是' : '不是'}${values}`
    return `${enLabel} ${leaf.op === 'in' ? 'is' : 'is not'} ${(leaf.value as string[]).length > 1 ? 'one of ' : ''}${values}`
  }
  const n = leaf as Extract<Leaf, { field: NumberField }>
  const [zhLabel, enLabel, unit] = NUMBER_LABELS[n.field]
  const f = (v: number) => formatNumber(v, unit, zh)
  if (n.op === 'between') return zh ? `${zhLabel}在${f(n.value[0])}至${f(n.value[1])}之间` : `${enLabel} between ${f(n.value[0])} and ${f(n.value[1])}`
  const opWords = zh
    ? { eq: '等于', gte: '至少', lte: '至多', gt: '大于', lt: '小于' }
    : { eq: 'is', gte: 'at least', lte: 'at most', gt: 'above', lt: 'below' }
  return zh ? `${zhLabel}${opWords[n.op]}${f(n.value)}` : `${enLabel} ${opWords[n.op]} ${f(n.value)}`
}

/**
 * A condition in words, e.g. "性别是女 且 (近90天在品类「母婴」购买至少2次 或 …)". Nested groups
 * are bracketed; NOT reads "非 (…)" / "not (…)". `names` turns ids into names.
 */
/** A member's own figure in words: "窗口消费额为230元" / "spend in the window is ¥230" (a tag's reason). */
export const describeFigure = (field: NumberField, value: number, language: DescribeLanguage = 'zh-CN'): string => {
  const zh = language === 'zh-CN'
  const [zhLabel, enLabel, unit] = NUMBER_LABELS[field]
  return zh ? `${zhLabel}为${formatNumber(value, unit, true)}` : `${enLabel} is ${formatNumber(value, unit, false)}`
}

export const describeCondition = (c: Condition, language: DescribeLanguage = 'zh-CN', names: IdNames = {}): string => {
  const zh = language === 'zh-CN'
  const walk = (x: Condition, nested: boolean): string => {
    if ('not' in x) return `${zh ? '非' : 'not'} (${walk(x.not, false)})`
    if ('all' in x || 'any' in x) {
      const items = 'all' in x ? x.all : x.any
      if (items.length === 1) return walk(items[0]!, nested)
      const joiner = 'all' in x ? (zh ? ' 且 ' : ' and ') : (zh ? ' 或 ' : ' or ')
      const text = items.map((i) => walk(i, true)).join(joiner)
      return nested ? `(${text})` : text
    }
    return describeLeaf(x, zh, names)
  }
  return walk(c, false)
}
