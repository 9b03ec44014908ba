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

// Modules that do not declare their labels yet (rewards, transactions, loyalty): read here
// until they do, then removed.
const LEGACY: Record<string, Labeller> = {
  ctp: (db, ids) => db.selectFrom('coupon_templates').select(['id', 'name as label']).where('id', 'in', ids).execute(),
  cpn: (db, ids) => db.selectFrom('coupons').innerJoin('coupon_templates as t', 't.id', 'coupons.template_id')
    .select(['coupons.id as id', 'coupons.code', 't.name']).where('coupons.id', 'in', ids).execute()
    .then((rows) => rows.map((r) => ({ id: r.id, label: `${r.name} ${r.code}` }))),
  gft: (db, ids) => db.selectFrom('gifts').select(['id', 'name as label']).where('id', 'in', ids).execute(),
  gor: (db, ids) => db.selectFrom('gift_orders').select(['id', 'order_no as label']).where('id', 'in', ids).execute(),
  rbp: (db, ids) => db.selectFrom('rebate_programmes').select(['id', 'name as label']).where('id', 'in', ids).execute(),
  drw: (db, ids) => db.selectFrom('draws').select(['id', 'name as label']).where('id', 'in', ids).execute(),
  dpz: (db, ids) => db.selectFrom('draw_prizes').select(['id', 'name as label']).where('id', 'in', ids).execute(),
  rct: (db, ids) => db.selectFrom('receipts').select(['id', 'receipt_no as label']).where('id', 'in', ids).execute(),
  cis: (db, ids) => db.selectFrom('coupon_issues').select(['id', 'source_name as label']).where('id', 'in', ids).execute(),
}

const legacyOther = async (db: Db, entries: readonly Labelled[]): Promise<Record<string, string>> => {
  const labels: Record<string, string> = {}
  // Tiers are few and named by code in rules, coupons and draws: all of them, as `tier:<code>`.
  if (entries.some((e) => e.changes !== null)) {
    for (const r of await db.selectFrom('tiers').select(['code', 'name']).execute()) labels[`tier:${r.code}`] = r.name
  }
  const ruleKeys = [...new Set(entries.flatMap((e) => (e.entityType === 'loyalty_rule' && e.entityId ? [e.entityId] : [])))]
  if (ruleKeys.length) {
    const rows = await db.selectFrom('loyalty_rules').select(['rule_key', 'name', 'version']).where('rule_key', 'in', ruleKeys).orderBy('version').execute()
    // Named by their latest version.
    for (const r of rows) labels[r.rule_key] = r.name
  }
  return labels
}

/**
 * Names for the ids a page of audit entries mentions (the entity, its store, ids inside the
 * changes), so the console shows "春节抽奖" instead of `drw_01j…`. Ids of things since deleted
 * are absent. Loyalty rules are keyed by their rule key, not an id, and named by their latest version.
 */
export const resolveLabels = async (db: Db, sources: readonly AuditLabels[], entries: readonly Labelled[]): Promise<Record<string, string>> => {
  const lookups: Record<string, Labeller> = { ...LEGACY }
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
  for (const other of [legacyOther, ...sources.flatMap((s) => (s.other ? [s.other] : []))]) Object.assign(labels, await other(db, entries))
  return labels
}
