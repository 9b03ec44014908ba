import { TZDate } from '@date-fns/tz'
import { startOfWeek } from 'date-fns'
import type { Db } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { assertCan, scopedStoreId } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'

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
}

export const createMemberStatsService = ({ db, clock, timezone }: { db: Db; clock: Clock; timezone: string }) => ({
  async memberStats(actor: Actor): Promise<MemberStats> {
    assertCan(actor, 'dashboard.read')
    const storeId = scopedStoreId(actor)
    const weekStart = startOfWeek(new TZDate(clock.now().getTime(), timezone), { weekStartsOn: 1 })
    const weekStartsAt = new Date(weekStart.getTime()).toISOString()
    const live = () => {
      let q = db.selectFrom('members').where('members.status', 'in', ['active', 'frozen'])
      if (storeId) q = q.where('members.registration_store_id', '=', storeId)
      return q
    }
    const [total, fresh, byStore, byChannel] = await Promise.all([
      live().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      live().where('members.registered_at', '>=', weekStartsAt).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      live().leftJoin('stores', 'stores.id', 'members.registration_store_id')
        .select(['members.registration_store_id as storeId', 'stores.name as storeName', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy(['members.registration_store_id', 'stores.name']).orderBy('count', 'desc').orderBy('stores.name').execute(),
      live().select(['members.registration_channel as channel', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy('members.registration_channel').orderBy('count', 'desc').orderBy('members.registration_channel').execute(),
    ])
    return {
      total: Number(total.n),
      newThisWeek: Number(fresh.n),
      weekStartsAt,
      byStore: byStore.map((r) => ({ storeId: r.storeId, storeName: r.storeName, count: Number(r.count) })),
      byChannel: byChannel.map((r) => ({ channel: r.channel, count: Number(r.count) })),
      storeId,
    }
  },
})

export type MemberStatsService = ReturnType<typeof createMemberStatsService>
