import { TZDate } from '@date-fns/tz'
import { startOfWeek } from 'date-fns'
import type { Db } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import { homeStoreId, scopeOf } from '../../shared/scope.js'
import type { Clock } from '../../shared/clock.js'
import * as repo from './member-stats.repository.js'

export interface MemberStats {
  /** Members that are active or frozen (not merged or erased). */
  total: number
  /** Registered since Monday 00:00 in the chain's time zone. */
  newThisWeek: number
  weekStartsAt: string
  byStore: Array<{ storeId: string | null; storeName: string | null; count: number }>
  byChannel: Array<{ channel: string; count: number }>
  /** The store the figures are limited to, for store roles. */
  storeId: string | null
  /** The region the figures are limited to, for region managers. */
  regionId: string | null
}

export const createMemberStatsService = ({ db, clock, timezone }: { db: Db; clock: Clock; timezone: string }) => ({
  async memberStats(actor: Actor): Promise<MemberStats> {
    assertCan(actor, 'dashboard.read')
    const scope = scopeOf(actor)
    const weekStart = startOfWeek(new TZDate(clock.now().getTime(), timezone), { weekStartsOn: 1 })
    const weekStartsAt = new Date(weekStart.getTime()).toISOString()
    const [total, fresh, byStore, byChannel] = await Promise.all([
      repo.countLive(db, scope), repo.countLive(db, scope, weekStartsAt), repo.liveByStore(db, scope), repo.liveByChannel(db, scope),
    ])
    return {
      total,
      newThisWeek: fresh,
      weekStartsAt,
      byStore: byStore.map((r) => ({ storeId: r.storeId, storeName: r.storeName, count: Number(r.count) })),
      byChannel: byChannel.map((r) => ({ channel: r.channel, count: Number(r.count) })),
      storeId: homeStoreId(actor),
      regionId: scope.kind === 'stores' ? scope.regionId : null,
    }
  },
})

export type MemberStatsService = ReturnType<typeof createMemberStatsService>
