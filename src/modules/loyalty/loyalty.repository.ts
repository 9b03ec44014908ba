import { sql } from 'kysely'
import type { Db, Trx } from '../../db/database.js'
import type {
  EntryKind, LoyaltyRulesTable, LoyaltySettingsTable, MemberTierHistoryTable, PointsAccountsTable, PointsEntriesTable, PointsExpiryNoticesTable, PointsLotsTable, TiersTable,
} from './loyalty.table.js'

// Loyalty's queries: points accounts, lots, entries, allocations, expiry notices, tiers, rules and
// the policy. The connection comes first; services pass their transaction.

type Conn = Db | Trx

// ---- accounts ----

/**
 * Creates the member's account if needed and returns it; on PostgreSQL the upsert also locks
 * the row, so every ledger change of one member is serialised (SQLite serialises writers anyway).
 */
export const lockAccount = (trx: Trx, memberId: string, now: string): Promise<PointsAccountsTable> =>
  trx.insertInto('points_accounts')
    .values({ member_id: memberId, balance: 0, tier_code: null, tier_since: null, tier_below_since: null, updated_at: now })
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ member_id: (eb) => eb.ref('excluded.member_id') }))
    .returningAll()
    .executeTakeFirstOrThrow()

export const countAccounts = async (db: Conn): Promise<number> =>
  Number((await db.selectFrom('points_accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

export const findAccount = (db: Conn, memberId: string) =>
  db.selectFrom('points_accounts').selectAll().where('member_id', '=', memberId).executeTakeFirst()

/**
 * The members' accounts, creating the missing ones (a bulk import's members); no lock: the bulk
 * import writes history without points.
 */
export const accountsFor = async (trx: Trx, memberIds: readonly string[], now: string): Promise<Map<string, PointsAccountsTable>> => {
  const out = new Map<string, PointsAccountsTable>()
  const unique = [...new Set(memberIds)]
  for (let i = 0; i < unique.length; i += 5000) {
    for (const a of await trx.selectFrom('points_accounts').selectAll().where('member_id', 'in', unique.slice(i, i + 5000)).execute()) out.set(a.member_id, a)
  }
  const fresh = unique.filter((id) => !out.has(id)).map((id): PointsAccountsTable => ({ member_id: id, balance: 0, tier_code: null, tier_since: null, tier_below_since: null, updated_at: now }))
  // 6 columns × 1,000 rows stays under SQLite's bound values.
  for (let i = 0; i < fresh.length; i += 1000) await trx.insertInto('points_accounts').values(fresh.slice(i, i + 1000)).execute()
  for (const a of fresh) out.set(a.member_id, { ...a })
  return out
}

/** The tier code of each of these members' accounts (those that have one). */
export const tierCodesOf = async (conn: Conn, memberIds: readonly string[]): Promise<Map<string, string | null>> => {
  const out = new Map<string, string | null>()
  const unique = [...new Set(memberIds)]
  for (let i = 0; i < unique.length; i += 1000) {
    for (const r of await conn.selectFrom('points_accounts').select(['member_id', 'tier_code']).where('member_id', 'in', unique.slice(i, i + 1000)).execute()) out.set(r.member_id, r.tier_code)
  }
  return out
}

export const setBalance = (trx: Conn, memberId: string, balance: number, now: string) =>
  trx.updateTable('points_accounts').set({ balance, updated_at: now }).where('member_id', '=', memberId).execute()

export const setTier = (trx: Conn, memberId: string, patch: Partial<Pick<PointsAccountsTable, 'tier_code' | 'tier_since' | 'tier_below_since'>>) =>
  trx.updateTable('points_accounts').set(patch).where('member_id', '=', memberId).execute()

/** A page of account holders after `after`, in id order. */
export const accountMembersAfter = async (db: Conn, after: string, limit: number): Promise<string[]> =>
  (await db.selectFrom('points_accounts').select('member_id').where('member_id', '>', after).orderBy('member_id').limit(limit).execute()).map((r) => r.member_id)

export const anyAccountHoldsTier = async (trx: Conn, codes: string[]): Promise<boolean> =>
  (await trx.selectFrom('points_accounts').select('member_id').where('tier_code', 'in', codes).limit(1).execute()).length > 0

// ---- entries and allocations ----

export const insertEntry = (trx: Trx, entry: PointsEntriesTable) => trx.insertInto('points_entries').values(entry).execute()

export const insertAllocations = (trx: Trx, rows: Array<{ entry_id: string; lot_id: string; points: number }>) =>
  trx.insertInto('points_allocations').values(rows).execute()

/** The member's entries, newest first, from before `cursor`. */
export const entriesOf = (db: Conn, memberId: string, page: { cursor?: string; limit: number }) => {
  let q = db.selectFrom('points_entries').selectAll().where('member_id', '=', memberId).orderBy('id', 'desc').limit(page.limit)
  if (page.cursor) q = q.where('id', '<', page.cursor)
  return q.execute()
}

export const countEntries = async (conn: Conn, memberId: string): Promise<number> => {
  const row = await conn.selectFrom('points_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Per expiry day, the points entries of a kind naming `reference` took from lots (negative). */
export const lotsTakenBy = (conn: Conn, reference: string, kind: EntryKind) =>
  conn.selectFrom('points_entries as e')
    .innerJoin('points_allocations as a', 'a.entry_id', 'e.id')
    .innerJoin('points_lots as l', 'l.id', 'a.lot_id')
    .select(['l.expires_on', (eb) => eb.fn.sum<number>('a.points').as('points')])
    .where('e.reference', '=', reference).where('e.kind', '=', kind).groupBy('l.expires_on').orderBy('l.expires_on').execute()

/** Per reference starting with `prefix`: the points of each of these kinds (sums). */
export const sumsByReference = async (conn: Conn, kinds: readonly EntryKind[], prefix: string): Promise<Map<string, Partial<Record<EntryKind, number>>>> => {
  const rows = await conn.selectFrom('points_entries').select(['reference', 'kind', (eb) => eb.fn.sum<number>('points').as('points')])
    .where('kind', 'in', [...kinds]).where('reference', 'like', `${prefix}%`).groupBy(['reference', 'kind']).execute()
  const out = new Map<string, Partial<Record<EntryKind, number>>>()
  for (const r of rows) if (r.reference !== null) out.set(r.reference, { ...out.get(r.reference), [r.kind]: Number(r.points) })
  return out
}

/** Entries by id. */
export const entriesByIds = async (conn: Conn, ids: readonly string[]): Promise<PointsEntriesTable[]> => {
  const out: PointsEntriesTable[] = []
  for (let i = 0; i < ids.length; i += 1000) out.push(...await conn.selectFrom('points_entries').selectAll().where('id', 'in', ids.slice(i, i + 1000)).execute())
  return out
}

/** The id and reference of every entry of a kind. */
export const entryReferences = (conn: Conn, kind: EntryKind) =>
  conn.selectFrom('points_entries').select(['id', 'reference']).where('kind', '=', kind).orderBy('id').execute()

/** The lots the entries moved points into (a sale's earn). */
export const lotIdsCreditedBy = async (conn: Conn, entryIds: string[]): Promise<string[]> => {
  if (entryIds.length === 0) return []
  const rows = await conn.selectFrom('points_allocations').select('lot_id').where('entry_id', 'in', entryIds).where('points', '>', 0).execute()
  return rows.map((r) => r.lot_id)
}

// ---- lots ----

/** Adds to the member's lot of that expiry day (one lot per day); the lot's id. */
export const addToLot = async (trx: Trx, row: PointsLotsTable): Promise<string> =>
  (await trx.insertInto('points_lots')
    .values(row)
    .onConflict((oc) => oc.columns(['member_id', 'expires_on']).doUpdateSet({
      earned: sql`points_lots.earned + excluded.earned`,
      remaining: sql`points_lots.remaining + excluded.remaining`,
    }))
    .returning('id')
    .executeTakeFirstOrThrow()).id

/** Lots with points left, earliest expiry first. */
export const openLots = (trx: Conn, memberId: string) =>
  trx.selectFrom('points_lots').selectAll().where('member_id', '=', memberId).where('remaining', '>', 0).orderBy('expires_on').orderBy('id').execute()

/** Points left in the member's lots that have not expired by `today`. */
export const unexpiredPoints = async (conn: Conn, memberId: string, today: string): Promise<number> => {
  const row = await conn.selectFrom('points_lots').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('remaining'), eb.lit(0)).as('points'))
    .where('member_id', '=', memberId).where('remaining', '>', 0).where('expires_on', '>=', today).executeTakeFirstOrThrow()
  return Number(row.points)
}

export const setLotRemaining = (trx: Conn, lotId: string, remaining: number) =>
  trx.updateTable('points_lots').set({ remaining }).where('id', '=', lotId).execute()

export const findLot = (trx: Conn, lotId: string) => trx.selectFrom('points_lots').selectAll().where('id', '=', lotId).executeTakeFirst()

export const lotsOf = (db: Conn, memberId: string) =>
  db.selectFrom('points_lots').selectAll().where('member_id', '=', memberId).orderBy('expires_on', 'desc').execute()

/** The next lots to expire from `today` on. */
export const nextExpiring = (db: Conn, memberId: string, today: string, limit: number) =>
  db.selectFrom('points_lots').select(['expires_on', 'remaining']).where('member_id', '=', memberId).where('remaining', '>', 0)
    .where('expires_on', '>=', today).orderBy('expires_on').limit(limit).execute()

/** Lots with points left whose last day is before `day`. */
export const lotsExpiredBefore = (db: Conn, day: string, limit: number) =>
  db.selectFrom('points_lots').select(['id', 'member_id']).where('expires_on', '<', day).where('remaining', '>', 0)
    .orderBy('expires_on').orderBy('id').limit(limit).execute()

/** Lots with points left expiring in [from, until] not yet announced. */
export const lotsToAnnounce = (db: Conn, from: string, until: string, limit: number) =>
  db.selectFrom('points_lots').selectAll()
    .where('expires_on', '>=', from).where('expires_on', '<=', until).where('remaining', '>', 0)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('points_expiry_notices').select('lot_id').whereRef('points_expiry_notices.lot_id', '=', 'points_lots.id'))))
    .orderBy('id').limit(limit).execute()

/** Records the notices; the ones not recorded before. */
export const insertExpiryNotices = (db: Conn, rows: PointsExpiryNoticesTable[]) =>
  db.insertInto('points_expiry_notices').values(rows).onConflict((oc) => oc.column('lot_id').doNothing()).returningAll().execute()

// ---- the ledger's invariants ----

/** Each account's balance beside the sum of its entries and of its lots' remaining points. */
export const accountTotals = (db: Db) =>
  db.selectFrom('points_accounts as a')
    .leftJoin(
      db.selectFrom('points_entries').select(['member_id', (eb) => eb.fn.sum<number>('points').as('total'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy('member_id').as('e'),
      'e.member_id', 'a.member_id')
    .leftJoin(
      db.selectFrom('points_lots').select(['member_id', (eb) => eb.fn.sum<number>('remaining').as('remaining')]).groupBy('member_id').as('l'),
      'l.member_id', 'a.member_id')
    .select(['a.member_id', 'a.balance', 'e.total', 'l.remaining'])
    .execute()

export const membersWithEntriesButNoAccount = async (db: Db): Promise<string[]> =>
  (await db.selectFrom('points_entries').select('member_id').distinct()
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('points_accounts').select('member_id').whereRef('points_accounts.member_id', '=', 'points_entries.member_id'))))
    .execute()).map((r) => r.member_id)

/** Lots out of bounds or whose allocations do not sum to what they hold. */
export const inconsistentLots = (db: Db) =>
  db.selectFrom('points_lots as l')
    .leftJoin(db.selectFrom('points_allocations').select(['lot_id', (eb) => eb.fn.sum<number>('points').as('total')]).groupBy('lot_id').as('al'), 'al.lot_id', 'l.id')
    .select(['l.id', 'l.member_id', 'l.earned', 'l.remaining', 'al.total'])
    .where((eb) => eb.or([
      eb('l.remaining', '<', 0),
      eb('l.remaining', '>', eb.ref('l.earned')),
      eb(eb.fn.coalesce('al.total', eb.lit(0)), '!=', eb.ref('l.remaining')),
    ]))
    .execute()

// ---- tiers ----

export const insertTierChange = (trx: Conn, row: MemberTierHistoryTable) => trx.insertInto('member_tier_history').values(row).execute()

export const tierHistoryOf = (db: Conn, memberId: string) =>
  db.selectFrom('member_tier_history').selectAll().where('member_id', '=', memberId).orderBy('at', 'desc').orderBy('id', 'desc').execute()

export const allTiers = (conn: Conn) => conn.selectFrom('tiers').selectAll().orderBy('rank').execute()

export const replaceTiers = async (trx: Trx, rows: TiersTable[]) => {
  await trx.deleteFrom('tiers').execute()
  await trx.insertInto('tiers').values(rows).execute()
}

// ---- rules and policy ----

export const activeRules = (db: Conn) => db.selectFrom('loyalty_rules').selectAll().where('status', '=', 'active').orderBy('valid_from').execute()

/** Every rule version, by key and newest version first; only those not ended by `now` unless asked. */
export const listRules = (db: Conn, filter: { includeHistory?: boolean; now: string }) => {
  let q = db.selectFrom('loyalty_rules').selectAll().orderBy('rule_key').orderBy('version', 'desc')
  if (!filter.includeHistory) q = q.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', filter.now)]))
  return q.execute()
}

export const insertRule = (trx: Conn, row: LoyaltyRulesTable) => trx.insertInto('loyalty_rules').values(row).execute()

export const ruleVersions = (trx: Conn, ruleKey: string) =>
  trx.selectFrom('loyalty_rules').selectAll().where('rule_key', '=', ruleKey).orderBy('version', 'desc').execute()

/** The versions of a rule not ended by `end`. */
export const ruleVersionsInForce = (trx: Conn, ruleKey: string, end: string) =>
  trx.selectFrom('loyalty_rules').selectAll().where('rule_key', '=', ruleKey)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', end)])).execute()

export const updateRule = (trx: Conn, id: string, patch: Partial<Pick<LoyaltyRulesTable, 'valid_to' | 'status'>>) =>
  trx.updateTable('loyalty_rules').set(patch).where('id', '=', id).execute()

export const findSetting = async (db: Conn, key: string): Promise<string | undefined> =>
  (await db.selectFrom('loyalty_settings').select('value').where('key', '=', key).executeTakeFirst())?.value

export const saveSetting = (trx: Conn, row: LoyaltySettingsTable) =>
  trx.insertInto('loyalty_settings').values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_by: row.updated_by, updated_at: row.updated_at })).execute()

/** The lots a receipt's earn moved points into, so its return takes them back from there first. */
export const lotIdsEarnedBy = async (conn: Conn, receiptId: string): Promise<string[]> =>
  (await conn.selectFrom('points_allocations').innerJoin('points_entries', 'points_entries.id', 'points_allocations.entry_id')
    .select('points_allocations.lot_id').where('points_entries.receipt_id', '=', receiptId).where('points_entries.kind', '=', 'earn')
    .where('points_allocations.points', '>', 0).execute()).map((r) => r.lot_id)

/** Points accounts holding at least `minBalance`, richest first (then by member), after a (balance, member) cursor. */
export const accountsByBalance = (conn: Conn, minBalance: number, page: { after?: { balance: number; memberId: string }; limit: number }) => {
  let q = conn.selectFrom('points_accounts').select(['member_id', 'balance']).where('balance', '>=', minBalance)
  const after = page.after
  if (after) q = q.where((eb) => eb.or([eb('balance', '<', after.balance), eb.and([eb('balance', '=', after.balance), eb('member_id', '>', after.memberId)])]))
  return q.orderBy('balance', 'desc').orderBy('member_id').limit(page.limit).execute()
}
