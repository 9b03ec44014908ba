import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { Nullable, errors } from '../../shared/http/schemas.js'
import type { MemberStatsService } from './member-stats.service.js'

const MemberStatsSchema = Type.Object({
  total: Type.Integer(),
  newThisWeek: Type.Integer(),
  weekStartsAt: Type.String(),
  byStore: Type.Array(Type.Object({ storeId: Nullable(Type.String()), storeName: Nullable(Type.String()), count: Type.Integer() })),
  byChannel: Type.Array(Type.Object({ channel: Type.String(), count: Type.Integer() })),
  storeId: Nullable(Type.String()),
  regionId: Nullable(Type.String()),
})

export const analyticsRoutes = (app: TypedApp, { stats }: { stats: MemberStatsService }) => {
  app.get('/dashboard/members', {
    schema: { tags: ['dashboard'], summary: 'Member count, new members this week, members by store and by channel (store roles: their store; region managers: their region\'s stores)', response: { 200: MemberStatsSchema, ...errors(401, 403) } },
    config: { permission: 'dashboard.read' },
  }, async (req) => stats.memberStats(actorOf(req)))
}
