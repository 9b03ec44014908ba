import type { Db } from '../../db/database.js'

/** An id as the code makes them (`drw_01j…`): a known prefix, an underscore, then the rest. */
const ID = /^([a-z]{3})_[0-9a-z]{10,40}$/

export interface Labelled {
  entityType: string
  entityId: string | null
  storeId: string | null
  changes: Record<string, unknown> | null
}

/** Every id-shaped string anywhere in a value (nested objects and lists included). */
const collectIds = (v: unknown, into: Set<string>): void => {
  if (typeof v === 'string') {
    if (ID.test(v)) into.add(v)
  } else if (Array.isArray(v)) {
    for (const x of v) collectIds(x, into)
  } else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) collectIds(x, into)
  }
}

/** Names for some ids of one kind, as people read them: never a PII value (a member by masked name and card). */
export type Labeller = (conn: Db, ids: string[]) => Promise<Array<{ id: string; label: string | null }>>

/**
 * How one module names its things in the audit log: a labeller per id prefix it makes, and
 * optionally names for keys that are not ids (`tier:<code>`, a rule key). Each module declares
 * its own (`membersAuditLabels`…) and services.ts hands them to the audit service, so the log
 * reads no module's tables itself.
 */
export interface AuditLabels {
  byPrefix?: Record<string, Labeller>
  other?: (conn: Db, entries: readonly Labelled[]) => Promise<Record<string, string>>
}

/**
 * Names for the ids a page of audit entries mentions (the entity, its store, ids inside the
 * changes), so the console shows "春节抽奖" instead of `drw_01j…`. Ids of things since deleted
 * are absent. Names for keys that are not ids (`tier:<code>`, a loyalty rule's key) come from
 * the modules' `other`.
 */
export const resolveLabels = async (db: Db, sources: readonly AuditLabels[], entries: readonly Labelled[]): Promise<Record<string, string>> => {
  const lookups: Record<string, Labeller> = {}
  for (const source of sources) Object.assign(lookups, source.byPrefix)
  const ids = new Set<string>()
  for (const e of entries) {
    collectIds(e.entityId, ids)
    collectIds(e.storeId, ids)
    collectIds(e.changes, ids)
  }
  const byPrefix = new Map<string, string[]>()
  for (const id of ids) {
    const prefix = id.slice(0, 3)
    if (!lookups[prefix]) continue
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), id])
  }
  const labels: Record<string, string> = {}
  for (const [prefix, list] of byPrefix) {
    for (let i = 0; i < list.length; i += 500) {
      for (const r of await lookups[prefix]!(db, list.slice(i, i + 500))) if (r.label) labels[r.id] = r.label
    }
  }
  for (const source of sources) if (source.other) Object.assign(labels, await source.other(db, entries))
  return labels
}
