import { activeMemberIds } from '../modules/members/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'

/**
 * 个人信息保护: one member's request to be erased, waiting out the chain's cooling-off, so the member
 * page shows the notice and 设置 → 个人信息保护 lists it (withdraw it there, or it runs in 15 days).
 * Once is enough: nothing is added when the chain has any request already.
 */
export const seedDemoPrivacy = async (services: Services, actor: Actor): Promise<{ requests: number }> => {
  const { privacy, db } = services
  if ((await privacy.list(actor, { limit: 1 })).items.length > 0) return { requests: 0 }
  const ids = await activeMemberIds(db)
  const memberId = ids.sort().at(-1)
  if (!memberId) return { requests: 0 }
  await privacy.requestErasure(actor, memberId, { reason: '顾客来电要求注销会员并删除个人信息（演示）' })
  return { requests: 1 }
}
