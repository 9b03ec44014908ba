import type { Db, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorId, actorName, assertCan } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { newId } from '../../shared/ids.js'
import { resolveLabels, type AuditLabels } from './audit-labels.js'
import * as repo from './audit.repository.js'
import type { AuditLogTable } from './audit.table.js'

export interface AuditInput {
  action: string
  entityType: string
  entityId?: string | null
  storeId?: string | null
  changes?: Record<string, unknown> | null
}

export interface AuditEntry {
  id: string
  at: string
  actorType: AuditLogTable['actor_type']
  actorId: string | null
  actorName: string | null
  ip: string | null
  action: string
  entityType: string
  entityId: string | null
  storeId: string | null
  changes: Record<string, unknown> | null
}

export interface AuditQuery {
  action?: string
  entityType?: string
  entityId?: string
  actorId?: string
  /** Part of the actor's name (a username), any case. */
  actor?: string
  from?: string
  to?: string
  cursor?: string
  limit?: number
}

export const REDACTED = '[redacted]'

/** `{ field: { from, to } }` for the fields that differ; PII fields show that they changed, never the values. */
export const diffFields = (
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  pii: readonly string[] = [],
): Record<string, { from: unknown; to: unknown }> => {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const key of Object.keys(after)) {
    const a = before[key] ?? null
    const b = after[key] ?? null
    if (JSON.stringify(a) === JSON.stringify(b)) continue
    changes[key] = pii.includes(key) ? { from: a === null ? null : REDACTED, to: b === null ? null : REDACTED } : { from: a, to: b }
  }
  return changes
}

const toAuditEntry = (row: AuditLogTable): AuditEntry => ({
  id: row.id,
  at: row.at,
  actorType: row.actor_type,
  actorId: row.actor_id,
  actorName: row.actor_name,
  ip: row.ip,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  storeId: row.store_id,
  changes: row.changes ? (JSON.parse(row.changes) as Record<string, unknown>) : null,
})

export interface AuditDeps {
  db: Db
  clock: Clock
  /** How each module names its ids in the log (its `…AuditLabels`), wired in services.ts. */
  labels?: readonly AuditLabels[]
}

export const createAuditService = ({ db, clock, labels: sources = [] }: AuditDeps) => {
  const record = async (trx: Trx | Db, actor: Actor, input: AuditInput): Promise<void> => {
    await repo.insertEntry(trx, {
      id: newId('aud'),
      at: clock.now().toISOString(),
      actor_type: actor.kind,
      actor_id: actorId(actor),
      actor_name: actorName(actor),
      ip: actor.kind === 'system' ? null : actor.ip ?? null,
      action: input.action,
      entity_type: input.entityType,
      entity_id: input.entityId ?? null,
      store_id: input.storeId ?? null,
      changes: input.changes ? JSON.stringify(input.changes) : null,
    })
  }

  const list = async (actor: Actor, q: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null; labels: Record<string, string> }> => {
    assertCan(actor, 'audit.read')
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500)
    const rows = await repo.findEntries(db, {
      action: q.action, entityType: q.entityType, entityId: q.entityId, actorId: q.actorId, actorLike: q.actor?.trim().toLowerCase() || undefined,
      from: q.from, to: q.to, before: q.cursor, limit: limit + 1,
    })
    const page = rows.slice(0, limit)
    const items = page.map(toAuditEntry)
    return { items, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null, labels: await resolveLabels(db, sources, items) }
  }

  /** Names for the ids that entries mention (for another module's list of entries, e.g. a member's trail). */
  const labels = (entries: Parameters<typeof resolveLabels>[2]) => resolveLabels(db, sources, entries)

  /**
   * A page (100) of the entries about some entities of one type, newest first, with their
   * labels: a member's trail with the records merged into it.
   */
  const trailOf = async (entityType: string, entityIds: readonly string[], cursor?: string) => {
    const rows = await repo.findEntriesOf(db, entityType, entityIds, cursor, 101)
    const page = rows.slice(0, 100)
    const items = page.map((r) => ({ id: r.id, at: r.at, actorType: r.actor_type, actorName: r.actor_name, action: r.action, entityId: r.entity_id, changes: r.changes ? JSON.parse(r.changes) as Record<string, unknown> : null }))
    return {
      items,
      nextCursor: rows.length > 100 ? page[page.length - 1]!.id : null,
      labels: await labels(items.map((e) => ({ ...e, entityType, storeId: null }))),
    }
  }

  /** The first entry of an action, or undefined (a run that recorded its plan once reads it back). */
  const firstOf = async (action: string): Promise<AuditEntry | undefined> => {
    const row = await repo.findFirstEntryOf(db, action)
    return row ? toAuditEntry(row) : undefined
  }

  return { record, list, labels, trailOf, firstOf }
}

export type AuditService = ReturnType<typeof createAuditService>
