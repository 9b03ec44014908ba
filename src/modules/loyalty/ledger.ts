import type { Db, Engine, Trx } from '../../db/database.js'
import { conflict } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import * as repo from './loyalty.repository.js'
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
export const lockAccount = (trx: Trx, memberId: string, now: string): Promise<PointsAccountsTable> => repo.lockAccount(trx, memberId, now)

const writeEntry = async (trx: Trx, account: PointsAccountsTable, kind: EntryKind, points: number, cause: EntryCause, now: string,
  allocations: Array<{ lotId: string; points: number }>): Promise<Posted> => {
  const balance = account.balance + points
  const entry: PointsEntriesTable = {
    id: newId('pte'), member_id: account.member_id, kind, points, balance_after: balance,
    receipt_id: cause.receiptId ?? null, store_id: cause.storeId ?? null, reference: cause.reference ?? null, reason: cause.reason ?? null,
    actor_id: cause.actorId ?? null, actor_name: cause.actorName ?? null, created_at: now,
  }
  await repo.insertEntry(trx, entry)
  const allocs = allocations.filter((a) => a.points !== 0)
  if (allocs.length > 0) await repo.insertAllocations(trx, allocs.map((a) => ({ entry_id: entry.id, lot_id: a.lotId, points: a.points })))
  await repo.setBalance(trx, account.member_id, balance, now)
  account.balance = balance
  return { entry, balance }
}

/** Adds points to the lot of `expiresOn`; a debt (negative balance) is repaid first and holds no lot. */
export const credit = async (trx: Trx, account: PointsAccountsTable, kind: EntryKind, points: number, expiresOn: string, cause: EntryCause, now: string): Promise<Posted & { lotId: string | null }> => {
  if (points <= 0) throw new Error(`credit of ${points} points`)
  const toLot = account.balance < 0 ? Math.max(0, points + account.balance) : points
  let lotId: string | null = null
  if (toLot > 0) {
    lotId = await repo.addToLot(trx, { id: newId('lot'), member_id: account.member_id, expires_on: expiresOn, earned: toLot, remaining: toLot, created_at: now })
  }
  const posted = await writeEntry(trx, account, kind, points, cause, now, lotId ? [{ lotId, points: toLot }] : [])
  return { ...posted, lotId }
}

/** Points a member can pay with now: unexpired lots, and nothing while the balance is negative. */
export const spendable = async (conn: Db | Trx, memberId: string, balance: number, today: string): Promise<number> => {
  if (balance <= 0) return 0
  return Math.min(balance, await repo.unexpiredPoints(conn, memberId, today))
}

const takeFromLots = async (trx: Trx, lots: PointsLotsTable[], points: number): Promise<{ allocations: Array<{ lotId: string; points: number }>; taken: number }> => {
  const allocations: Array<{ lotId: string; points: number }> = []
  let left = points
  for (const lot of lots) {
    if (left === 0) break
    const take = Math.min(lot.remaining, left)
    if (take <= 0) continue
    await repo.setLotRemaining(trx, lot.id, lot.remaining - take)
    lot.remaining -= take
    allocations.push({ lotId: lot.id, points: -take })
    left -= take
  }
  return { allocations, taken: points - left }
}

/** Pays with points: earliest-expiring unexpired lots first; refused beyond what is spendable. */
export const spend = async (trx: Trx, account: PointsAccountsTable, kind: EntryKind, points: number, today: string, cause: EntryCause, now: string, field = 'points'): Promise<Posted> => {
  if (points <= 0) throw new Error(`spend of ${points} points`)
  const lots = (await repo.openLots(trx, account.member_id)).filter((l) => l.expires_on >= today)
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
  const lots = await repo.openLots(trx, account.member_id)
  lots.sort((a, b) => Number(preferLotIds.includes(b.id)) - Number(preferLotIds.includes(a.id)))
  const { allocations } = await takeFromLots(trx, lots, points)
  return writeEntry(trx, account, kind, -points, cause, now, allocations)
}

/** Expires what is left of one lot. */
export const expireLot = async (trx: Trx, account: PointsAccountsTable, lotId: string, cause: EntryCause, now: string): Promise<Posted | null> => {
  const lot = await repo.findLot(trx, lotId)
  if (!lot || lot.remaining <= 0) return null
  await repo.setLotRemaining(trx, lot.id, 0)
  return writeEntry(trx, account, 'expire', -lot.remaining, { ...cause, reference: lot.id }, now, [{ lotId: lot.id, points: -lot.remaining }])
}

/** The lots an entry moved points into (a sale's earn), so its return takes them back from there. */
export const lotsOfEntries = (conn: Db | Trx, entryIds: string[]): Promise<string[]> => repo.lotIdsCreditedBy(conn, entryIds)

/** The member's account as it stands, without locking it (undefined before the first entry). */
export const findAccount = (conn: Db | Trx, memberId: string): Promise<PointsAccountsTable | undefined> => repo.findAccount(conn, memberId)

/** Per expiry day, the points that entries of a kind naming `reference` (a gift order) took from lots, as negative sums. */
export const lotsTakenBy = (conn: Db | Trx, reference: string, kind: EntryKind): Promise<Array<{ expires_on: string; points: number }>> => repo.lotsTakenBy(conn, reference, kind)

/** Per reference starting with `prefix`: the points of each of these kinds, summed (for other modules' verify). */
export const sumsByReference = (conn: Db | Trx, kinds: readonly EntryKind[], prefix: string) => repo.sumsByReference(conn, kinds, prefix)

/** The id and reference of every entry of a kind (for other modules' verify). */
export const entryReferences = (conn: Db | Trx, kind: EntryKind): Promise<Array<{ id: string; reference: string | null }>> => repo.entryReferences(conn, kind)

/** The tier code of each of these members' accounts (those that have one). */
export const tierCodesOf = (conn: Db | Trx, memberIds: readonly string[]): Promise<Map<string, string | null>> => repo.tierCodesOf(conn, memberIds)

/** Entries by id (for other modules' verify). */
export const entriesByIds = (conn: Db | Trx, ids: readonly string[]): Promise<PointsEntriesTable[]> => repo.entriesByIds(conn, ids)

export interface LedgerMismatch {
  memberId: string
  problem: string
}

/** Every broken invariant of the ledger, for `patron verify` and the tests. */
export const verifyLedger = async (db: Db, engine: Engine): Promise<LedgerMismatch[]> => {
  void engine
  const out: LedgerMismatch[] = []
  const balances = await repo.accountTotals(db)
  for (const r of balances) {
    const entries = Number(r.total ?? 0)
    const lots = Number(r.remaining ?? 0)
    if (entries !== r.balance) out.push({ memberId: r.member_id, problem: `balance ${r.balance} but entries sum to ${entries}` })
    if (lots !== Math.max(0, r.balance)) out.push({ memberId: r.member_id, problem: `balance ${r.balance} but lots hold ${lots}` })
  }
  const orphans = await repo.membersWithEntriesButNoAccount(db)
  for (const o of orphans) out.push({ memberId: o, problem: 'entries without an account' })
  const lots = await repo.inconsistentLots(db)
  for (const l of lots) {
    out.push({ memberId: l.member_id, problem: `lot ${l.id}: remaining ${l.remaining} of ${l.earned}, allocations sum to ${Number(l.total ?? 0)}` })
  }
  return out
}
