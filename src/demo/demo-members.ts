import type { Db } from '../db/database.js'
import { accountsByBalance } from '../modules/loyalty/index.js'
import { activeMemberIds } from '../modules/members/index.js'
import { issuedCouponsOfTemplateNamed } from '../modules/rewards/index.js'

// What the demo's activity picks its members from, read through the owners' index: the active
// members' points accounts, richest first, and their issued coupons of a template.

const PAGE = 500

type Account = Awaited<ReturnType<typeof accountsByBalance>>[number]
type HeldCoupon = Awaited<ReturnType<typeof issuedCouponsOfTemplateNamed>>[number]

/** Reads pages in order (`next` gets the last row read) and keeps the rows `keep` accepts, at most `limit`. */
const firstKept = async <T>(next: (last: T | undefined) => Promise<T[]>, keep: (row: T) => boolean, limit: number): Promise<T[]> => {
  const out: T[] = []
  let last: T | undefined
  while (out.length < limit) {
    const page = await next(last)
    for (const row of page) {
      if (out.length < limit && keep(row)) out.push(row)
    }
    if (page.length < PAGE) break
    last = page[page.length - 1]
  }
  return out
}

/**
 * The active members with at least `minBalance` points, richest first then by member id, at most
 * `limit`, leaving out the members in `skip`.
 */
export const richestActiveMembers = async (db: Db, minBalance: number, limit: number, skip: ReadonlySet<string> = new Set()) => {
  if (limit <= 0) return []
  const active = new Set(await activeMemberIds(db))
  return firstKept<Account>(
    (last) => accountsByBalance(db, minBalance, { after: last && { balance: Number(last.balance), memberId: last.member_id }, limit: PAGE }),
    (a) => active.has(a.member_id) && !skip.has(a.member_id),
    limit,
  )
}

/** Active members' issued coupons of the template of this kind and name, by member, at most `limit`. */
export const issuedCouponsOfActiveMembers = async (db: Db, template: Parameters<typeof issuedCouponsOfTemplateNamed>[1], limit: number) => {
  if (limit <= 0) return []
  const active = new Set(await activeMemberIds(db))
  return firstKept<HeldCoupon>(
    (last) => issuedCouponsOfTemplateNamed(db, template, { after: last && { memberId: last.member_id, id: last.id }, limit: PAGE }),
    (c) => active.has(c.member_id),
    limit,
  )
}
