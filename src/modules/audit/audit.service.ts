import type { Db, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorId, actorName, assertCan } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { newId } from '../../shared/ids.js'
import { resolveLabels, type AuditLabels } from './audit-labels.js'
import * as repo from './audit.repository.js'
import { GENESIS_HASH, auditEntryHash } from '../../shared/audit-hash.js'
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
  /** PostgreSQL: the sealer takes a lock of its own (two processes' sealers line up) */
  engine?: 'sqlite' | 'postgres'
  /** How each module names its ids in the log (its `…AuditLabels`), wired in services.ts. */
  labels?: readonly AuditLabels[]
}

export const createAuditService = ({ db, clock, engine = 'sqlite', labels: sources = [] }: AuditDeps) => {
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
      chain_seq: null, prev_hash: null, hash: null,
    })
  }

  /**
   * Chains the entries written since the last seal (src/shared/audit-hash.ts), oldest first: each
   * gets the next place, the previous entry's hash and its own. One sealer at a time (a lock of
   * its own on PostgreSQL, taken in no other transaction, so it never waits on a business one);
   * the writers only insert. Runs every minute (job audit.seal) and before `patron verify`.
   */
  const seal = async (): Promise<{ sealed: number }> => {
    let sealed = 0
    for (;;) {
      const n = await db.transaction().execute(async (trx) => {
        if (engine === 'postgres') await repo.lockChain(trx)
        const rows = await repo.unsealedEntries(trx, 2_000)
        if (rows.length === 0) return 0
        const head = await repo.chainHead(trx)
        let seq = head ? Number(head.chain_seq) : 0
        let prev = head?.hash ?? GENESIS_HASH
        for (const row of rows) {
          seq += 1
          const hash = auditEntryHash(prev, { ...row, chain_seq: seq })
          await repo.sealEntry(trx, row.id, { chain_seq: seq, prev_hash: prev, hash })
          prev = hash
        }
        return rows.length
      })
      sealed += n
      if (n < 2_000) return { sealed }
    }
  }

  /**
   * Walks the whole chain in order: every entry's place follows the one before, its prev_hash is
   * the previous entry's hash, and its hash is what its fields give. Returns what is wrong (the
   * first 100) and how many entries were checked.
   */
  const verifyChain = async (): Promise<{ entries: number; problems: Array<{ seq: number | null; id: string; problem: string }> }> => {
    const problems: Array<{ seq: number | null; id: string; problem: string }> = []
    let prev = GENESIS_HASH
    let expected = 1
    let entries = 0
    for (;;) {
      const rows = await repo.chainPage(db, expected - 1, 5_000)
      if (rows.length === 0) break
      for (const row of rows) {
        const seq = Number(row.chain_seq)
        entries += 1
        if (seq !== expected) problems.push({ seq, id: row.id, problem: `entries ${expected}–${seq - 1} are missing` })
        if (row.prev_hash !== prev) problems.push({ seq, id: row.id, problem: 'does not follow the entry before it (previous hash differs)' })
        if (auditEntryHash(row.prev_hash ?? '', { ...row, chain_seq: seq }) !== row.hash) problems.push({ seq, id: row.id, problem: 'changed after it was written (its hash does not match its fields)' })
        prev = row.hash ?? ''
        expected = seq + 1
      }
      if (problems.length >= 100) break
    }
    return { entries, problems: problems.slice(0, 100) }
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

  return { record, list, labels, trailOf, firstOf, seal, verifyChain }
}

export type AuditService = ReturnType<typeof createAuditService>
