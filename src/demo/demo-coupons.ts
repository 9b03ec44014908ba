import { activeMemberIds } from '../modules/members/index.js'
import type { TemplateInput } from '../modules/rewards/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'

/** The demo chain's coupon templates: what a Chinese supermarket typically runs. */
export const DEMO_COUPON_TEMPLATES: readonly TemplateInput[] = [
  { name: '新人礼 5 元券', description: '注册即送，无门槛', kind: 'amount', value: 500, minSpend: 0, validDays: 30, autoIssue: 'registration', stacking: 'all' },
  { name: '满 100 减 20', description: '全场通用', kind: 'threshold', value: 2_000, minSpend: 10_000, validDays: 30, restoreOnReturn: true },
  { name: '乳品 9 折券', description: '乳品类商品，最高减 10 元', kind: 'percent', value: 10, maxDiscount: 1_000, minSpend: 0, validDays: 14, scope: { categories: ['乳品'] }, stacking: 'all' },
  { name: '会员日双倍积分', description: '当单积分翻倍', kind: 'points_multiplier', value: 200, minSpend: 5_000, validDays: 7, stacking: 'all' },
  { name: '金卡满 300 减 50', description: '金卡及以上会员专享', kind: 'threshold', value: 5_000, minSpend: 30_000, validDays: 60, minTier: 'gold' },
]

/**
 * Creates the demo templates (a template of the same name is kept) and gives the "满 100 减 20"
 * coupon to every demo member, once (a re-run issues nothing twice).
 */
export const seedDemoCoupons = async (services: Services, actor: Actor): Promise<{ templates: number; issued: number }> => {
  const { db, coupons, loyalty } = services
  const existing = new Map((await coupons.listTemplates(actor)).map((t) => [t.name, t.id]))
  const tiers = new Set((await loyalty.config()).tiers.map((t) => t.code))
  let created = 0
  for (const input of DEMO_COUPON_TEMPLATES) {
    if (existing.has(input.name) || (input.minTier && !tiers.has(input.minTier))) continue
    const t = await coupons.createTemplate(actor, input)
    existing.set(t.name, t.id)
    created++
  }
  const everyone = await activeMemberIds(db)
  const templateId = existing.get('满 100 减 20')
  const run = templateId && everyone.length ? await coupons.issueBulk(actor, { templateId, issueKey: 'demo', keys: everyone, sourceName: 'seed-demo' }) : null
  return { templates: created, issued: run?.issued ?? 0 }
}
