import type { Db, Trx } from '../../db/database.js'
import { notFound } from '../../shared/errors.js'
import type { Keyring } from '../../shared/pii.js'
import type { AuditLabels } from '../audit/index.js'
import * as repo from './members.repository.js'
import { phoneIndex } from './member-codec.js'
import { normalizePhone } from './member-rules.js'
import type { ConsentChannel, MemberStatus } from './members.types.js'

// What other modules ask about a member, so that none of them reads `members` itself.

export interface MemberState {
  id: string
  status: MemberStatus
  registrationStoreId: string | null
  /** the survivor, for a merged record */
  mergedIntoId: string | null
}

/** A member's state, erased ones included (callers decide), or undefined. */
export const memberState = async (conn: Db | Trx, memberId: string): Promise<MemberState | undefined> => {
  const row = await repo.findMemberState(conn, memberId)
  return row ? { id: row.id, status: row.status, registrationStoreId: row.registration_store_id, mergedIntoId: row.merged_into_id } : undefined
}

/**
 * The member of this id, unless unknown or erased (404 MEMBER_NOT_FOUND on `memberId`). A
 * merged or frozen record is returned: whether it may earn, spend or enter is the caller's rule.
 */
export const assertLive = async (conn: Db | Trx, memberId: string): Promise<MemberState> => {
  const state = await memberState(conn, memberId)
  if (!state || state.status === 'erased') throw notFound('MEMBER_NOT_FOUND', [{ field: 'memberId', reason: 'no such member' }])
  return state
}

/** How people see members in lists: the masked name and the card, by id (erased ones too). */
export const memberSummaries = (conn: Db | Trx, ids: readonly string[]): Promise<Map<string, { nameMasked: string | null; cardNo: string }>> =>
  repo.findMemberLabels(conn, ids)

/** Members by masked name and card (never a PII value). */
export const membersAuditLabels: AuditLabels = {
  byPrefix: {
    mem: async (conn, ids) => [...(await repo.findMemberLabels(conn, ids))]
      .map(([id, m]) => ({ id, label: m.nameMasked ? `${m.nameMasked}（${m.cardNo}）` : m.cardNo })),
  },
}

/**
 * Members by the blind index of their phone or ID number (`keyring.blindIndex`): id and both
 * indexes of each member holding one of `values`.
 */
export const membersByBlindIndex = async (conn: Db | Trx, field: 'phone' | 'idNumber', values: readonly string[]) =>
  (await repo.findMembersByBlindIndexes(conn, field === 'phone' ? 'phone_bidx' : 'id_number_bidx', values))
    .map((r) => ({ id: r.id, phoneIndex: r.phone_bidx, idNumberIndex: r.id_number_bidx }))

/** Every active member's id (demo data issues them a coupon). */
export const activeMemberIds = (conn: Db | Trx): Promise<string[]> => repo.findActiveMemberIds(conn)

/**
 * A member's phone and email in clear, for a message sent to them (marketing's channels), or
 * null for an unknown or erased member. Not a reveal: the channel log keeps them encrypted.
 */
export const memberContact = async (conn: Db | Trx, keyring: Keyring, memberId: string): Promise<{ phone: string | null; email: string | null; name: string | null } | null> => {
  const row = await repo.findMemberById(conn, memberId)
  if (!row || row.status === 'erased') return null
  return {
    phone: row.phone_enc ? keyring.decrypt('phone', row.phone_enc) : null, email: row.email_enc ? keyring.decrypt('email', row.email_enc) : null,
    name: row.name_enc ? keyring.decrypt('name', row.name_enc) : null,
  }
}

/**
 * Which of these members consent to messages on a channel (a campaign asks for its whole
 * audience): read by chunks, so a list of any length stays within the engines' parameter limits.
 */
export const consentedMemberIds = async (conn: Db | Trx, channel: ConsentChannel, memberIds: readonly string[]): Promise<Set<string>> => {
  const unique = [...new Set(memberIds)]
  const out = new Set<string>()
  for (let i = 0; i < unique.length; i += 1000) for (const id of await repo.findConsentedIds(conn, channel, unique.slice(i, i + 1000))) out.add(id)
  return out
}

/**
 * The members holding a phone (by its blind index: nothing is decrypted), erased ones left out,
 * or none for a number that is not a mainland mobile. An SMS reply names the number only.
 */
export const membersByPhone = async (conn: Db | Trx, keyring: Keyring, raw: string): Promise<MemberState[]> => {
  const phone = normalizePhone(raw)
  if (!phone) return []
  return (await repo.findMemberStatesByBlindIndex(conn, 'phone_bidx', phoneIndex(keyring, phone)))
    .filter((r) => r.status !== 'erased')
    .map((r) => ({ id: r.id, status: r.status, registrationStoreId: r.registration_store_id, mergedIntoId: r.merged_into_id }))
}
