import type { Db, Trx } from '../../db/database.js'
import type { Clock } from '../../shared/clock.js'
import { newId } from '../../shared/ids.js'
import type { Keyring } from '../../shared/pii.js'
import { randomBytesPooled } from '../../shared/random.js'
import { decodePii } from './member-codec.js'
import { cardNoFromBody } from './member-rules.js'
import * as repo from './members-member-data.repository.js'
import * as members from './members.repository.js'

/**
 * What one module holds about a member, declared by that module (`<module>.member-data.ts`).
 * Merge, export and erasure loop over the declarations, so a module that keeps something about
 * a person joins all three by declaring it.
 */
export interface MemberData {
  /** The kind of history, as the merge preview and the audit log name it. */
  name: string
  /**
   * Computed from what other modules hold (a read model): moved, exported and erased with the
   * rest, but not listed in the merge preview, which shows a person's own history.
   */
  derived?: boolean
  /** How many items move in a merge (the merge preview). */
  count(conn: Db | Trx, memberId: string): Promise<number>
  /** Moves the items of `fromId` to `toId`, inside the merge transaction. */
  move(trx: Trx, fromId: string, toId: string): Promise<void>
  /** Everything held about the member, rows by table as stored. */
  export(conn: Db | Trx, memberId: string): Promise<Record<string, object[]>>
  /**
   * Leaves no row that names the member. What the chain must keep stays without its link to the
   * person: a receipt (kept for tax) loses its member; what a budget, a stock or a ledger counts
   * (points, a coupon, a gift order, a draw entry) moves to `holderId`, a record made for this
   * erasure that names nobody. `at` is the erasure's time.
   */
  erase(trx: Trx, memberId: string, keep: { holderId: string; at: string }): Promise<void>
}

// As newCardNo: a fresh card number, so a card the person still holds finds nothing.
const freshCardNo = (): string => cardNoFromBody((randomBytesPooled(8).readBigUInt64BE() % 10n ** 14n).toString().padStart(14, '0'))

/**
 * The member's own record, consents and consent history; a merge moves its consents first. On
 * erasure the record stays (erased, every personal field cleared, a new card number) so that
 * what points at its id (the audit log) still resolves.
 */
export const createMembersMemberData = ({ keyring, clock }: { keyring: Keyring; clock: Clock }): MemberData => ({
  name: 'consentChanges',
  count: members.countConsentChanges,
  move: async (trx, fromId, toId) => {
    const mine = (await members.consentsOf(trx, [toId])).get(toId) ?? []
    for (const c of (await members.consentsOf(trx, [fromId])).get(fromId) ?? []) {
      const own = mine.find((s) => s.channel === c.channel)
      // The person's latest word on a channel wins, whichever record it was given on.
      if (!own || own.changed_at < c.changed_at) await members.putConsent(trx, { ...c, member_id: toId })
    }
    await members.retireConsents(trx, fromId, toId)
  },
  export: async (conn, memberId) => {
    const rows = await repo.memberRows(conn, memberId)
    // The stored values are encrypted: the export gives the person's data in clear beside them.
    return { ...rows, member_profile: rows.members.map((m) => ({ member_id: m.id, ...decodePii(keyring, m) })) }
  },
  erase: async (trx, memberId) => {
    await repo.deleteConsents(trx, memberId)
    await repo.blankMember(trx, memberId, freshCardNo(), clock.now().toISOString())
  },
})

/** The member and every record merged into it (directly or through another): one person. */
const recordsOf = async (conn: Db | Trx, memberId: string): Promise<string[]> => {
  const all = [memberId]
  for (let next = await repo.mergedInto(conn, [memberId]); next.length; next = await repo.mergedInto(conn, next)) all.push(...next)
  return all
}

/** Everything the declarations hold about a person (the member and the records merged into it), by declaration. */
export const exportMemberData = async (conn: Db | Trx, declarations: readonly MemberData[], memberId: string): Promise<Record<string, Record<string, object[]>>> => {
  const ids = await recordsOf(conn, memberId)
  const out: Record<string, Record<string, object[]>> = {}
  for (const d of declarations) {
    const byTable: Record<string, object[]> = {}
    for (const id of ids) {
      for (const [table, rows] of Object.entries(await d.export(conn, id))) byTable[table] = [...(byTable[table] ?? []), ...rows]
    }
    out[d.name] = byTable
  }
  return out
}

/**
 * Erases a person (the member and the records merged into it) through every declaration, in
 * the caller's transaction. Each record gets its own holder for what must be kept, so nothing
 * kept links the records together (`services.memberData`: the members' own and every module's).
 */
export const eraseMemberData = async (trx: Trx, declarations: readonly MemberData[], memberId: string, at: string): Promise<{ erased: string[] }> => {
  const ids = await recordsOf(trx, memberId)
  for (const id of ids) {
    const holderId = newId('mem')
    await repo.insertMember(trx, {
      id: holderId, card_no: freshCardNo(), phone_enc: null, phone_bidx: null, phone_masked: null, name_enc: null, name_bidx: null, name_masked: null,
      gender: 'unknown', birthday: null, id_number_enc: null, id_number_bidx: null, id_number_masked: null, email_enc: null, email_bidx: null, email_masked: null,
      occupation: null, education: null, income_band: null, district: null, address_enc: null, address_masked: null,
      registration_store_id: null, registered_by: null, registration_channel: 'import', external_code: null,
      status: 'erased', status_reason: 'erasure holder', merged_into_id: null, registered_at: at, updated_at: at,
    })
    for (const d of declarations) await d.erase(trx, id, { holderId, at })
  }
  return { erased: ids }
}
