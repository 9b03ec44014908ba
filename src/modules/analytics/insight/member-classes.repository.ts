import type { Db, Trx } from '../../../db/database.js'

/**
 * Each member's RFM class and lifecycle stage (the insight refresh's) and tier (the loyalty
 * account's), as they stand now: what the service desk's survey results cross-tab by.
 */
export const memberClassesOf = async (conn: Db | Trx, memberIds: readonly string[]): Promise<Map<string, { rfm: string | null; lifecycle: string | null; tier: string | null }>> => {
  const out = new Map<string, { rfm: string | null; lifecycle: string | null; tier: string | null }>()
  const ids = [...new Set(memberIds)]
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await conn.selectFrom('members as m')
      .leftJoin('member_insight as i', 'i.member_id', 'm.id')
      .leftJoin('points_accounts as pa', 'pa.member_id', 'm.id')
      .select(['m.id', 'i.rfm_class', 'i.lifecycle', 'pa.tier_code'])
      .where('m.id', 'in', ids.slice(i, i + 500)).execute()
    for (const r of rows) out.set(r.id, { rfm: r.rfm_class ?? null, lifecycle: r.lifecycle ?? null, tier: r.tier_code ?? null })
  }
  return out
}
