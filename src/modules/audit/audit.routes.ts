import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { CursorQuery, Nullable, errors } from '../../shared/http/schemas.js'
import type { AuditService } from './audit.service.js'

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorType: Type.Enum(['staff', 'pos', 'system']),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  storeId: Nullable(Type.String()),
  changes: Nullable(Type.Record(Type.String(), Type.Unknown())),
})

/** Names of the ids the entries mention (entity, store, ids inside changes), by id. */
export const AuditLabelsSchema = Type.Record(Type.String(), Type.String())
const AuditPageSchema = Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Nullable(Type.String()), labels: AuditLabelsSchema })

const AuditQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 64 })),
  entityType: Type.Optional(Type.String({ maxLength: 64 })),
  entityId: Type.Optional(Type.String({ maxLength: 64 })),
  actorId: Type.Optional(Type.String({ maxLength: 64 })),
  actor: Type.Optional(Type.String({ maxLength: 64, description: "part of the actor's name (a username), any case" })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  ...CursorQuery,
}, { additionalProperties: false })

export const auditRoutes = (app: TypedApp, { audit }: { audit: AuditService }) => {
  app.get('/audit', {
    schema: { tags: ['audit'], summary: 'The audit log, newest first (HQ admin)', querystring: AuditQuery, response: { 200: AuditPageSchema, ...errors(400, 401, 403) } },
    config: { permission: 'audit.read' },
  }, async (req) => {
    const q = req.query
    return audit.list(actorOf(req), { ...q, from: q.from && new Date(q.from).toISOString(), to: q.to && new Date(q.to).toISOString() })
  })
}
