import type { Condition } from '../modules/analytics/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'

/**
 * The demo chain's tags (issue 12 §3): the four every CRM text names, a few more that suit the
 * demo's purchases (its departments are 生鲜, 母婴, …; see demo-products.ts), and one manual tag
 * for the service desk. The demo's full insight refresh evaluates them. Safe to run again: a tag
 * of the same name is kept as it is.
 */
export const DEMO_TAGS: ReadonlyArray<{ name: string; description: string; color: string; rule: Condition | null }> = [
  { name: '母婴人群', description: '近90天在母婴大类购买至少2次', color: 'magenta', rule: { field: 'bought', op: 'department', value: ['母婴'], days: 90, min: 2 } },
  { name: '促销敏感型', description: '窗口内至少一半的消费是促销商品或用券支付', color: 'orange', rule: { field: 'promo_share_pm', op: 'gte', value: 500 } },
  { name: '高价值客户', description: 'RFM 分类为重要价值客户', color: 'gold', rule: { field: 'rfm_class', op: 'in', value: ['important_value'] } },
  { name: '沉睡客户', description: '生命周期为沉睡', color: 'purple', rule: { field: 'lifecycle', op: 'in', value: ['dormant'] } },
  { name: '生鲜常客', description: '近90天在生鲜大类购买至少2次', color: 'green', rule: { field: 'bought', op: 'department', value: ['生鲜'], days: 90, min: 2 } },
  { name: '新会员', description: '生命周期为新客户', color: 'cyan', rule: { field: 'lifecycle', op: 'in', value: ['new'] } },
  { name: '高频客户', description: '消费频次等级为高频', color: 'blue', rule: { field: 'frequency_class', op: 'in', value: ['high'] } },
  { name: '投诉关注', description: '客服标记：投诉过、需要关照的会员', color: 'red', rule: null },
]

export const seedDemoTags = async (services: Services, actor: Actor): Promise<{ created: number }> => {
  const existing = new Set((await services.tags.list(actor)).map((t) => t.name))
  let created = 0
  for (const tag of DEMO_TAGS) {
    if (existing.has(tag.name)) continue
    await services.tags.create(actor, { name: tag.name, description: tag.description, color: tag.color, kind: tag.rule ? 'rule' : 'manual', rule: tag.rule })
    created++
  }
  return { created }
}
