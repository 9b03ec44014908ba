import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'

// The demo's campaigns (issue 15 §3): a win-back to the members who went quiet (沉睡), with a
// coupon and a 10% holdout, sent through the sandbox as the chain is seeded so the campaign page,
// the message log and the report show at once; and a member-day draft waiting to be submitted.

const WIN_BACK_TEMPLATE = { name: '沉睡唤醒（活动）', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}，好久不见！送您一张{{couponName}}，券码{{couponCode}}，{{couponValidUntil}}前到店使用。', bodyEn: 'We miss you, {{memberName}}! A {{couponName}} coupon for you: {{couponCode}}, valid until {{couponValidUntil}}.' } as const
const MEMBER_DAY_TEMPLATE = { name: '会员日通知', channel: 'wechat', purpose: 'marketing', bodyZh: '{{memberName}}，本周六会员日：全场会员价再享 9.5 折，积分翻倍。', bodyEn: '{{memberName}}, member day this Saturday: 5% off member prices and double points.' } as const

/** Seeds the demo's campaigns; a re-run adds nothing. */
export const seedDemoCampaigns = async (services: Services, actor: Actor): Promise<{ campaigns: number; sent: number }> => {
  const { campaigns, segments, templates, coupons } = services
  if ((await campaigns.list(actor, { limit: 1 })).items.length > 0) return { campaigns: 0, sent: 0 }
  const byName = new Map((await templates.list(actor)).map((t) => [t.name, t.id]))
  const template = async (t: typeof WIN_BACK_TEMPLATE | typeof MEMBER_DAY_TEMPLATE) => byName.get(t.name) ?? (await templates.create(actor, t)).id
  const coupon = (await coupons.listTemplates(actor)).find((c) => c.name === '满 100 减 20' && c.status === 'active')

  const dormant = await segments.create(actor, {
    name: '沉睡会员（短信可达）', description: '生命周期为沉睡、同意短信营销的会员',
    definition: { all: [{ field: 'lifecycle', op: 'in', value: ['dormant'] }, { field: 'consent', op: 'granted', value: 'sms' }] },
  })
  const winBack = await campaigns.create(actor, {
    name: '沉睡会员唤醒', description: '送满 100 减 20 券，10% 会员留作对照组，看 14 天内回店与销售', segmentId: dormant.id,
    channels: ['sms'], templateIds: { sms: await template(WIN_BACK_TEMPLATE) }, couponTemplateId: coupon?.id ?? null, holdoutPct: 10, attributionDays: 14, ratePerMinute: 5_000,
  })
  // Sent as the chain is seeded, whatever the hour: the quiet hours are set aside for the seed only.
  const settings = await campaigns.settings(actor)
  await campaigns.saveSettings(actor, { quietStart: '00:00', quietEnd: '00:00' })
  let sent = 0
  try {
    const submitted = await campaigns.submit(actor, winBack.id, winBack.version)
    const { runId } = await campaigns.startDue({ campaignId: winBack.id, dueAt: submitted.nextRunAt! })
    for (let i = 0; runId && i < 100; i++) {
      const r = await campaigns.sendBatch({ runId })
      sent += r.sent
      if (r.done) break
    }
  } finally {
    await campaigns.saveSettings(actor, { quietStart: settings.quietStart, quietEnd: settings.quietEnd })
  }

  const active = await segments.create(actor, {
    name: '活跃会员（微信可达）', description: '近期活跃、同意微信营销的会员',
    definition: { all: [{ field: 'lifecycle', op: 'in', value: ['active', 'returning'] }, { field: 'consent', op: 'granted', value: 'wechat' }] },
  })
  await campaigns.create(actor, {
    name: '周六会员日', description: '每周六会员日提醒，微信优先、短信备选', segmentId: active.id, channels: ['wechat'],
    templateIds: { wechat: await template(MEMBER_DAY_TEMPLATE) }, holdoutPct: 5, attributionDays: 7,
  })
  return { campaigns: 2, sent }
}
