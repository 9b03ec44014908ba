import type { TemplateInput } from '../modules/rewards/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'

// The demo's journeys (issue 15 §4), active, through the sandbox: what every chain starts with.
// They use the demo's message templates (demo-marketing.ts) and three coupon templates of their
// own; the daily ones take their first members as the chain is seeded.

export const DEMO_JOURNEY_COUPONS: readonly TemplateInput[] = [
  { name: '新会员专享 满 50 减 10', description: '欢迎旅程送出，14 天内有效', kind: 'threshold', value: 1_000, minSpend: 5_000, validDays: 14 },
  { name: '生日礼 10 元券', description: '生日旅程提前一周送出，无门槛', kind: 'amount', value: 1_000, minSpend: 0, validDays: 14, stacking: 'all' },
  { name: '回归礼 满 80 减 15', description: '沉睡唤醒旅程送出，21 天内有效', kind: 'threshold', value: 1_500, minSpend: 8_000, validDays: 21 },
]

type Named = { coupon: (name: string) => string; template: (name: string) => string }

/** The journeys, by the names of the templates and coupons they use. */
const journeys = ({ coupon, template }: Named) => [
  {
    name: '新会员欢迎', description: '注册即送新人券和欢迎短信；7 天内没有消费再提醒一次',
    trigger: { type: 'registered' },
    steps: [
      { type: 'coupon', couponTemplateId: coupon('新会员专享 满 50 减 10') },
      { type: 'send', channels: ['sms'], templateIds: { sms: template('欢迎新会员') } },
      { type: 'wait', days: 7 },
      { type: 'condition', check: 'bought_since_entry', ifTrue: 5, ifFalse: 4 },
      { type: 'send', channels: ['sms'], templateIds: { sms: template('新人券提醒') } },
      { type: 'end' },
    ],
  },
  {
    name: '生日关怀', description: '生日前一周送生日券和祝福',
    trigger: { type: 'birthday', daysBefore: 7 },
    steps: [
      { type: 'coupon', couponTemplateId: coupon('生日礼 10 元券') },
      { type: 'send', channels: ['sms'], templateIds: { sms: template('生日礼券') } },
    ],
  },
  {
    name: '沉睡唤醒', description: '会员进入沉睡时送回归券；14 天仍未消费再联系一次',
    trigger: { type: 'lifecycle', stage: 'dormant' },
    steps: [
      { type: 'coupon', couponTemplateId: coupon('回归礼 满 80 减 15') },
      { type: 'send', channels: ['sms'], templateIds: { sms: template('沉睡唤醒') } },
      { type: 'wait', days: 14 },
      { type: 'condition', check: 'bought_since_entry', ifTrue: 5, ifFalse: 4 },
      { type: 'send', channels: ['sms'], templateIds: { sms: template('沉睡唤醒（二次）') } },
      { type: 'end' },
    ],
  },
  {
    name: '积分到期提醒', description: '积分到期前 30 天提醒兑换',
    trigger: { type: 'points_expiring', daysAhead: 30 },
    steps: [{ type: 'send', channels: ['sms'], templateIds: { sms: template('积分到期提醒') } }],
  },
  {
    name: '升级祝贺', description: '会员升级时祝贺，微信优先、短信备选',
    trigger: { type: 'tier_upgrade' },
    steps: [{ type: 'send', channels: ['wechat', 'sms'], templateIds: { wechat: template('升级祝贺'), sms: template('升级祝贺（短信）') } }],
  },
  {
    name: '首购感谢', description: '第一次购物后感谢，邮件优先、短信备选',
    trigger: { type: 'first_purchase' },
    steps: [{ type: 'send', channels: ['email', 'sms'], templateIds: { email: template('首购感谢'), sms: template('首购感谢（短信）') } }],
  },
]

/**
 * Creates and activates the demo journeys (after the demo's templates), and runs today's daily
 * triggers once, so the birthday and points journeys have members and messages at once. A
 * re-run, or a chain that has journeys already, adds nothing.
 */
export const seedDemoJourneys = async (services: Services, actor: Actor): Promise<{ journeys: number; enrolled: number }> => {
  const { coupons, templates } = services
  if ((await services.journeys.list(actor, { limit: 1 })).items.length > 0) return { journeys: 0, enrolled: 0 }
  const couponIds = new Map((await coupons.listTemplates(actor)).filter((c) => c.status === 'active').map((c) => [c.name, c.id]))
  for (const input of DEMO_JOURNEY_COUPONS) {
    if (!couponIds.has(input.name)) couponIds.set(input.name, (await coupons.createTemplate(actor, input)).id)
  }
  const templateIds = new Map((await templates.list(actor)).map((t) => [t.name, t.id]))
  const find = (map: Map<string, string>, kind: string) => (name: string) => {
    const id = map.get(name)
    if (!id) throw new Error(`the demo journeys need the ${kind} ${name} (seedDemoMarketing first)`)
    return id
  }
  const defs = journeys({ coupon: find(couponIds, 'coupon template'), template: find(templateIds, 'message template') })
  for (const d of defs) await services.journeys.activate(actor, (await services.journeys.create(actor, d)).id)
  const enrolled = (await services.journeys.enrolBirthdays()).enrolled + (await services.journeys.enrolPointsExpiring()).enrolled
  await services.journeys.advanceDue()
  return { journeys: defs.length, enrolled }
}
