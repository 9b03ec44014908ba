import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'

/** The demo chain's SMS signature. */
export const DEMO_SMS_SIGNATURE = '惠民超市'

// Templates for the journeys every chain starts with (issue 15 §4): welcome, birthday, win-back,
// points expiring, tier upgrade, post-purchase thanks; and a service notice.
const TEMPLATES = [
  { name: '欢迎新会员', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，欢迎加入会员！送您一张{{couponValue}}新人券，券码{{couponCode}}，{{couponValidUntil}}前有效。', bodyEn: 'Welcome, {{memberName}}! A {{couponValue}} coupon for you: {{couponCode}}, valid until {{couponValidUntil}}.' },
  { name: '生日礼券', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，生日快乐！{{couponValue}}生日券已放入您的账户，生日当周到店使用。', bodyEn: 'Happy birthday, {{memberName}}! A {{couponValue}} coupon is in your account for your birthday week.' },
  { name: '沉睡唤醒', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，好久不见！送您{{couponValue}}回归券，{{storeName}}等您再来。', bodyEn: 'We miss you, {{memberName}}! A {{couponValue}} coupon to welcome you back at {{storeName}}.' },
  { name: '积分到期提醒', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，您有{{expiringPoints}}积分将于{{expiringDate}}到期，当前共{{pointsBalance}}积分，可到店兑换礼品。', bodyEn: '{{memberName}}, {{expiringPoints}} points expire on {{expiringDate}}; you have {{pointsBalance}}. Redeem them for gifts in store.' },
  { name: '升级祝贺', channel: 'wechat', purpose: 'marketing', bodyZh: '恭喜{{memberName}}升级为{{tier}}！会员价和更多积分已为您开启。', bodyEn: 'Congratulations, {{memberName}}: you are now {{tier}}! Member prices and more points are yours.' },
  { name: '首购感谢', channel: 'email', purpose: 'marketing', subjectZh: '{{memberName}}，感谢您的第一次光临', subjectEn: 'Thank you for your first visit, {{memberName}}', bodyZh: '{{memberName}}您好：\n\n感谢您在{{storeName}}的第一次购物。您已获得积分，当前余额{{pointsBalance}}。猜您喜欢：{{recommendation}}。', bodyEn: 'Dear {{memberName}},\n\nThank you for your first purchase at {{storeName}}. Your points balance is {{pointsBalance}}. You may like: {{recommendation}}.' },
  // The journeys' second touches and the SMS fallbacks of the WeChat and email messages.
  { name: '新人券提醒', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，您的新人券还没用哦，{{couponValidUntil}}前到店满额即可抵扣。', bodyEn: '{{memberName}}, your welcome coupon is still waiting: use it in store by {{couponValidUntil}}.' },
  { name: '沉睡唤醒（二次）', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，您的回归券还在，{{storeName}}本周上了新品，等您来逛。', bodyEn: '{{memberName}}, your welcome-back coupon is still here, and {{storeName}} has new arrivals this week.' },
  { name: '升级祝贺（短信）', channel: 'sms', purpose: 'marketing', bodyZh: '恭喜{{memberName}}升级为{{tier}}！会员价和更多积分已为您开启。', bodyEn: 'Congratulations, {{memberName}}: you are now {{tier}}!' },
  { name: '首购感谢（短信）', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，感谢您在{{storeName}}的第一次购物！当前积分{{pointsBalance}}，下次见。', bodyEn: '{{memberName}}, thank you for your first purchase at {{storeName}}! You have {{pointsBalance}} points.' },
  { name: '礼品到店通知', channel: 'sms', purpose: 'service', bodyZh: '{{memberName}}，您兑换的礼品已到{{storeName}}，请凭卡号{{cardNo}}到服务台领取。', bodyEn: '{{memberName}}, your gift is ready at {{storeName}}: collect it at the service desk with card {{cardNo}}.' },
] as const

/** The demo's message templates, SMS signature and email tracking; a re-run adds nothing. */
export const seedDemoMarketing = async (services: Services, actor: Actor): Promise<{ templates: number }> => {
  const existing = new Set((await services.templates.list(actor)).map((t) => t.name))
  let created = 0
  for (const t of TEMPLATES) {
    if (existing.has(t.name)) continue
    await services.templates.create(actor, t)
    created++
  }
  const settings = await services.templates.settings(actor)
  // Email tracking on, as a chain that measures its campaigns would have it (the demo's sandbox sends nothing).
  if (settings.updatedAt === null) await services.templates.saveSettings(actor, { smsSignature: DEMO_SMS_SIGNATURE, emailTracking: true })
  return { templates: created }
}
