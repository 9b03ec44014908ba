import { sql } from 'kysely'
import type { Db, Engine, Trx } from '../../db/database.js'
import { conflict } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import type { EntryKind, PointsAccountsTable, PointsEntriesTable, PointsLotsTable } from './loyalty.table.js'

// The ledger's invariants, checked by `verify`:
//   balance = Σ entries.points
//   lot.remaining = Σ allocations to the lot, 0 ≤ remaining ≤ earned
//   Σ lots.remaining = max(balance, 0)   (a negative balance is a debt no lot holds)
// Every function here runs inside the caller's transaction, after `lockAccount`.

export interface EntryCause {
  receiptId?: string | null
  storeId?: string | null
  reference?: string | null
  reason?: string | null
  actorId?: string | null
  actorName?: string | null
}

export interface Posted {
  entry: PointsEntriesTable
  balance: number
}

/**
 * Creates the member's account if needed and returns it; on PostgreSQL the upsert also locks
 * the row, so every ledger change of one member is serialised (SQLite serialises writers anyway).
 */
export const lockAccount = async (trx: Trx, memberId: string, now: string): Promise<PointsAccountsTable> =>
  trx.insertInto('points_accounts')
    .values({ member_id: memberId, balance: 0, tier_code: null, tier_since: null, tier_below_since: null, updated_at: now })
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ member_id: (eb) => eb.ref('excluded.member_id') }))
    .returningAll()
    .executeTakeFirstOrThrow()

const writeEntry = async (trx: Trx, account: PointsAccountsTable, kind: EntryKind, points: number, cause: EntryCause, now: string,
  allocations: Array<{ lotId: string; points: number }>): Promise<Posted> => {
  const balance = account.balance + points
  const entry: PointsEntriesTable = {
    id: newId('pte'), member_id: account.member_id, kind, points, balance_after: balance,
    receipt_id: cause.receiptId ?? null, store_id: cause.storeId ?? null, reference: cause.reference ?? null, reason: cause.reason ?? null,
    actor_id: cause.actorId ?? null, actor_name: cause.actorName ?? null, created_at: now,
  }
  await trx.insertInto('points_entries').values(entry).execute()
  const allocs = allocations.filter((a) => a.points !== 0)
  if (allocs.length > 0) {
    await trx.insertInto('points_allocations').values(allocs.map((a) => ({ entry_id: entry.id, lot_id: a.lotId, points: a.points }))).execute()
  }
  await trx.updateTable('points_accounts').set({ balance, updated_at: now }).where('member_id', '=', account.member_id).execute()
  account.balance = balance
  return { entry, balance }
}

/** Adds points to the lot of `expiresOn`; a debt (negative balance) is repaid first and holds no lot. */
export const credit = async (trx: Trx, account: PointsAccountsTable, kind: EntryKind, points: number, expiresOn: string, cause: EntryCause, now: string): Promise<Posted & { lotId: string | null }> => {
  if (points <= 0) throw new Error(`credit of ${points} points`)
  const toLot = account.balance < 0 ? Math.max(0, points + account.balance) : points
  let lotId: string | null = null
  if (toLot > 0) {
    const lot = await trx.insertInto('points_lots')
      .values({ id: newId('lot'), member_id: account.member_id, expires_on: expiresOn, earned: toLot, remaining: toLot, created_at: now })
      .onConflict((oc) => oc.columns(['member_id', 'expires_on']).doUpdateSet({
        earned: sql`points_lots.earned + excluded.earned`,
        remaining: sql`points_lots.remaining + excluded.remaining`,
      }))
      .returning('id')
      .executeTakeFirstOrThrow()
    lotId = lot.id
  }
  const posted = await writeEntry(trx, account, kind, points, cause, now, lotId ? [{ lotId, points: toLot }] : [])
  return { ...posted, lotId }
}

const openLots = (trx: Trx, memberId: string) =>
  trx.selectFrom('points_lots').selectAll().where('member_id', '=', memberId).where('remaining', '>', 0).orderBy('expires_on').orderBy('id').execute()

/** Points a member can pay with now: unexpired lots, and nothing while the balance is negative. */
export const spendable = async (conn: Db | Trx, memberId: string, balance: number, today: string): Promise<number> => {
  if (balance <= 0) return 0
  const row = await conn.selectFrom('points_lots').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('remaining'), eb.lit(0)).as('points'))
    .where('member_id', '=', memberId).where('remaining', '>', 0).where('expires_on', '>=', today).executeTakeFirstOrThrow()
  return Math.min(balance, Number(row.points))
}

const takeFromLots = async (trx: Trx, lots: PointsLotsTable[], points: number): Promise<{ allocations: Array<{ lotId: string; points: number }>; taken: number }> => {
  const allocations: Array<{ lotId: string; points: number }> = []
  let left = points
  for (const lot of lots) {
    if (left === 0) break
    const take = Math.min(lot.remaining, left)
    if (take <= 0) continue
    await trx.updateTable('points_lots').set({ remaining: lot.remaining - take }).where('id', '=', lot.id).execute()
    lot.remaining -= take
    allocations.push({ lotId: lot.id, points: -take })
    left -= take
  }
  return { allocations, taken: points - left }
}

/** Pays with points: earliest-expiring unexpired lots first; refused beyond what is spendable. */
export const spend = async (trx: Trx, account: PointsAccountsTable, kind: EntryKind, points: number, today: string, cause: EntryCause, now: string, field = 'points'): Promise<Posted> => {
  if (points <= 0) throw new Error(`spend of ${points} points`)
  const lots = (await openLots(trx, account.member_id)).filter((l) => l.expires_on >= today)
  const available = account.balance <= 0 ? 0 : Math.min(account.balance, lots.reduce((a, l) => a + l.remaining, 0))
  if (points > available) {
    throw conflict('LOYALTY_INSUFFICIENT_POINTS', [{
      field, reason: account.balance < 0 ? `the balance is negative (${account.balance}); it must be repaid before points can be spent` : `exceeds the spendable balance of ${available}`,
    }])
  }
  const { allocations } = await takeFromLots(trx, lots, points)
  return writeEntry(trx, account, kind, -points, cause, now, allocations)
}

/**
 * Takes points back whatever the balance (a return reverses what its lines earned even when the
 * member spent them already): from the preferred lots first, then the earliest; what the lots
 * cannot cover becomes a negative balance.
 */
export const reverse = async (trx: Trx, account: PointsAccountsTable, kind: EntryKind, points: number, preferLotIds: string[], cause: EntryCause, now: string): Promise<Posted> => {
  if (points <= 0) throw new Error(`reversal of ${points} points`)
  const lots = await openLots(trx, account.member_id)
  lots.sort((a, b) => Number(preferLotIds.includes(b.id)) - Number(preferLotIds.includes(a.id)))
  const { allocations } = await takeFromLots(trx, lots, points)
  return writeEntry(trx, account, kind, -points, cause, now, allocations)
}

/** Expires what is left of one lot. */
export const expireLot = async (trx: Trx, account: PointsAccountsTable, lotId: string, cause: EntryCause, now: string): Promise<Posted | null> => {
  const lot = await trx.selectFrom('points_lots').selectAll().where('id', '=', lotId).executeTakeFirst()
  if (!lot || lot.remaining <= 0) return null
  await trx.updateTable('points_lots').set({ remaining: 0 }).where('id', '=', lot.id).execute()
  return writeEntry(trx, account, 'expire', -lot.remaining, { ...cause, reference: lot.id }, now, [{ lotId: lot.id, points: -lot.remaining }])
}

/** The lots an entry moved points into (a sale's earn), so its return takes them back from there. */
export const lotsOfEntries = async (conn: Db | Trx, entryIds: string[]): Promise<string[]> => {
  if (entryIds.length === 0) return []
  const rows = await conn.selectFrom('points_allocations').select('lot_id').where('entry_id', 'in', entryIds).where('points', '>', 0).execute()
  return rows.map((r) => r.lot_id)
}

export interface LedgerMismatch {
  memberId: string
  problem: string
}

/** Every broken invariant of the ledger, for `patron verify` and the tests. */
export const verifyLedger = async (db: Db, engine: Engine): Promise<LedgerMismatch[]> => {
  void engine
  const out: LedgerMismatch[] = []
  const balances = await db.selectFrom('points_accounts as a')
    .leftJoin(
      db.selectFrom('points_entries').select(['member_id', (eb) => eb.fn.sum<number>('points').as('total'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy('member_id').as('e'),
      'e.member_id', 'a.member_id')
    .leftJoin(
      db.selectFrom('points_lots').select(['member_id', (eb) => eb.fn.sum<number>('remaining').as('remaining')]).groupBy('member_id').as('l'),
      'l.member_id', 'a.member_id')
    .select(['a.member_id', 'a.balance', 'e.total', 'l.remaining'])
    .execute()
  for (const r of balances) {
    const entries = Number(r.total ?? 0)
    const lots = Number(r.remaining ?? 0)
    if (entries !== r.balance) out.push({ memberId: r.member_id, problem: `balance ${r.balance} but entries sum to ${entries}` })
    if (lots !== Math.max(0, r.balance)) out.push({ memberId: r.member_id, problem: `balance ${r.balance} but lots hold ${lots}` })
  }
  const orphans = await db.selectFrom('points_entries').select('member_id').distinct()
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('points_accounts').select('member_id').whereRef('points_accounts.member_id', '=', 'points_entries.member_id'))))
    .execute()
  for (const o of orphans) out.push({ memberId: o.member_id, problem: 'entries without an account' })
  const lots = await db.selectFrom('points_lots as l')
    .leftJoin(db.selectFrom('points_allocations').select(['lot_id', (eb) => eb.fn.sum<number>('points').as('total')]).groupBy('lot_id').as('al'), 'al.lot_id', 'l.id')
    .select(['l.id', 'l.member_id', 'l.earned', 'l.remaining', 'al.total'])
    .where((eb) => eb.or([
      eb('l.remaining', '<', 0),
      eb('l.remaining', '>', eb.ref('l.earned')),
      eb(eb.fn.coalesce('al.total', eb.lit(0)), '!=', eb.ref('l.remaining')),
    ]))
    .execute()
  for (const l of lots) {
    out.push({ memberId: l.member_id, problem: `lot ${l.id}: remaining ${l.remaining} of ${l.earned}, allocations sum to ${Number(l.total ?? 0)}` })
  }
  return out
}
