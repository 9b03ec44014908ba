import type { Db } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import type { LoyaltyService } from '../loyalty/index.js'
import { memberSummaries } from '../members/index.js'
import type { MemberSession } from './portal-auth.service.js'

/** What the member's page shows at its top: the card, the tier and the points. */
export interface MeSummary {
  cardNo: string
  nameMasked: string | null
  /** the member's tier (code and name), if the chain has tiers */
  tier: { code: string; name: string } | null
  points: { balance: number; spendable: number; expiring: Array<{ expiresOn: string; points: number }> }
}

export interface PortalDeps {
  db: Db
  loyalty: Pick<LoyaltyService, 'points'>
}

/**
 * The member's own page's reads (issue 17 §2): always of the signed-in member, whose id comes
 * from the session, never from the request. Other modules' services are called as the page (a
 * system actor), for that member only.
 */
export const createPortalService = ({ db, loyalty }: PortalDeps) => {
  const page: Actor = { kind: 'system', name: 'member page' }

  const summary = async (me: MemberSession): Promise<MeSummary> => {
    const [label, points] = await Promise.all([memberSummaries(db, [me.memberId]), loyalty.points(page, me.memberId)])
    const m = label.get(me.memberId)
    return {
      cardNo: m?.cardNo ?? '', nameMasked: m?.nameMasked ?? null, tier: points.tier ? { code: points.tier.code, name: points.tier.name } : null,
      points: { balance: points.balance, spendable: points.spendable, expiring: points.expiring },
    }
  }

  return { summary }
}

export type PortalService = ReturnType<typeof createPortalService>
