import type { Db, Trx } from '../../db/database.js'

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
   * Leaves no row that names the member. What the chain must keep (a receipt, for tax) stays
   * without its link to the person.
   */
  erase(trx: Trx, memberId: string): Promise<void>
}
