import type { Db } from '../../db/database.js'
import type { Keyring } from '../../shared/pii.js'
import { nameIndex } from './member-codec.js'
import * as repo from './members.repository.js'
import type { MembersTable } from './members.table.js'

const ENCRYPTED = [
  ['phone_enc', 'phone'], ['name_enc', 'name'], ['id_number_enc', 'id_number'], ['email_enc', 'email'], ['address_enc', 'address'],
] as const satisfies ReadonlyArray<readonly [repo.EncryptedColumn, string]>

/** How many encrypted member values each key id holds: which keys the data still needs. */
export const countValuesByKey = async (db: Db): Promise<Record<string, number>> => {
  const counts: Record<string, number> = {}
  let cursor = ''
  for (;;) {
    const rows = await repo.findEncryptedPage(db, cursor, 2000)
    if (rows.length === 0) return counts
    for (const row of rows) {
      for (const [column] of ENCRYPTED) {
        const value = row[column]
        if (value) {
          const keyId = value.split('.')[1] ?? '?'
          counts[keyId] = (counts[keyId] ?? 0) + 1
        }
      }
    }
    cursor = rows[rows.length - 1]!.id
  }
}

/**
 * Re-encrypts every member value not under the keyring's active key, a batch per
 * transaction, so it can run on a live system and be resumed. Blind indexes do not change
 * (their key is separate), so lookups work throughout. Returns the number of values rewritten.
 */
export const reencryptMembers = async (db: Db, keyring: Keyring, onProgress?: (rewritten: number) => void): Promise<number> => {
  const active = `v1.${keyring.activeKeyId}.`
  let rewritten = 0
  let cursor = ''
  for (;;) {
    const rows = await repo.findEncryptedPage(db, cursor, 1000)
    if (rows.length === 0) break
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const patch: Partial<Record<repo.EncryptedColumn | 'name_bidx', string>> = {}
        for (const [column, field] of ENCRYPTED) {
          const value = row[column]
          if (value && !value.startsWith(active)) patch[column] = keyring.encrypt(field, keyring.decrypt(field, value))
        }
        // The name index is keyed apart from the data keys, so a rotation leaves it as it is; a
        // member still missing it (registered before it existed) gets it here.
        if (row.name_enc && !row.name_bidx) patch.name_bidx = nameIndex(keyring, keyring.decrypt('name', row.name_enc)) ?? ''
        if (patch.name_bidx === '') delete patch.name_bidx
        if (Object.keys(patch).length === 0) continue
        // Only if unchanged meanwhile: a concurrent update already wrote it under the active key.
        const expected: Partial<Record<repo.EncryptedColumn, string>> = {}
        for (const [column] of ENCRYPTED) if (patch[column] || (column === 'name_enc' && patch.name_bidx)) expected[column] = row[column]!
        if (await repo.updateMemberIfUnchanged(trx, row.id, patch as Partial<MembersTable>, expected)) rewritten += Object.keys(patch).filter((c) => c !== 'name_bidx').length
      }
    })
    cursor = rows[rows.length - 1]!.id
    onProgress?.(rewritten)
  }
  return rewritten
}

/**
 * Fills the exact-name index of members registered before it existed (a migration cannot: it
 * has no key). A batch per transaction, only rows still missing it, so it is cheap once done and
 * safe to run from every process at start. Returns the number of members indexed.
 */
export const backfillNameIndex = async (db: Db, keyring: Keyring): Promise<number> => {
  let indexed = 0
  let cursor = ''
  for (;;) {
    const rows = await repo.findMissingNameIndex(db, cursor, 1000)
    if (rows.length === 0) return indexed
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const bidx = nameIndex(keyring, keyring.decrypt('name', row.name_enc!))
        if (!bidx) continue
        // Only if the name is still the one read: an update meanwhile wrote its own index.
        if (await repo.updateMemberIfUnchanged(trx, row.id, { name_bidx: bidx }, { name_enc: row.name_enc })) indexed++
      }
    })
    cursor = rows[rows.length - 1]!.id
  }
}
