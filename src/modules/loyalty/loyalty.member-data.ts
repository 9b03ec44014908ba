import type { MemberData } from '../members/index.js'
import * as ledger from './ledger.js'
import * as repo from './loyalty-member-data.repository.js'
import type { PointsAccountsTable } from './loyalty.table.js'
import { toTier } from './loyalty.types.js'

/** The reason on the ledger entries that forfeit an erased person's points. */
export const ERASURE_REASON = 'erasure'

export interface LoyaltyMemberDataDeps {
  now: () => string
  today: () => string
  /** Gives the survivor the merged record's tier when it is higher (recorded as a manual change). */
  changeTier: (trx: Parameters<MemberData['move']>[0], account: PointsAccountsTable, to: string, reason: 'manual', value: number, receiptId: null, actor: null, at: string) => Promise<unknown>
}

/**
 * A member's points (account, lots, entries, allocations, expiry notices) and tier history.
 * A merge moves the points as ledger entries on both sides and keeps the higher tier; an erasure
 * hands the points to the erasure's holder, where they are forfeited at once (each lot expired
 * with the reason `erasure`, so the liability report counts them as forfeited), and drops the
 * tier history.
 */
export const createLoyaltyMemberData = ({ now, today, changeTier }: LoyaltyMemberDataDeps): MemberData => ({
  name: 'points',
  count: repo.countEntriesOf,
  move: async (trx, fromId, toId) => {
    const at = now()
    // Lock in id order so two merges touching the same pair cannot deadlock.
    const [first, second] = fromId < toId ? [fromId, toId] : [toId, fromId]
    const a = await ledger.lockAccount(trx, first, at)
    const b = await ledger.lockAccount(trx, second, at)
    const from = first === fromId ? a : b
    const to = first === fromId ? b : a
    const cause = { reason: 'member merge', reference: fromId }
    for (const lot of await repo.liveLotsOf(trx, fromId)) {
      await ledger.reverse(trx, from, 'merge', lot.remaining, [lot.id], { ...cause, reference: toId }, at)
      await ledger.credit(trx, to, 'merge', lot.remaining, lot.expires_on, cause, at)
    }
    if (from.balance < 0) {
      const debt = -from.balance
      await ledger.credit(trx, from, 'merge', debt, today(), { ...cause, reference: toId }, at)
      await ledger.reverse(trx, to, 'merge', debt, [], cause, at)
    }
    // Inside the merge's transaction: read the tiers through it (on SQLite `db` would wait for it).
    const tiers = (await repo.allTiers(trx)).map(toTier)
    const fromTier = tiers.find((t) => t.code === from.tier_code)
    const survivorTier = tiers.find((t) => t.code === to.tier_code)
    if (fromTier && (!survivorTier || fromTier.rank > survivorTier.rank)) await changeTier(trx, to, fromTier.code, 'manual', 0, null, null, at)
  },
  export: repo.memberRows,
  erase: async (trx, memberId, { holderId, at }) => {
    await repo.handOverMemberRows(trx, memberId, holderId)
    const lots = await repo.liveLotsOf(trx, holderId)
    if (lots.length === 0) return
    const account = await ledger.lockAccount(trx, holderId, at)
    for (const lot of lots) await ledger.expireLot(trx, account, lot.id, { reason: ERASURE_REASON, actorName: 'system' }, at)
  },
})
