import type { Db } from './db/database.js'
import { countSealedByKey, reencryptSealed, type SealedColumns } from './db/sealed-columns.js'
import { authSealedColumns } from './modules/auth/index.js'
import { countProviderSecretsByKey, messagesSealedColumns, reencryptProviderSecrets } from './modules/marketing/index.js'
import { countValuesByKey, reencryptMembers } from './modules/members/member-keys.js'
import { suggestionsSealedColumns, ticketsSealedColumns } from './modules/service/index.js'
import type { Keyring } from './shared/pii.js'

// Every value Patron encrypts with the data key, beside the members' own (member-keys.ts):
// contacts of tickets and suggestions, message recipients, staff two-factor secrets, and the
// message providers' secrets. A key is retired only when none of them uses it. (Import error
// reports keep refused values sealed too; a report whose key is retired shows them masked.)
const SEALED: readonly SealedColumns[] = [authSealedColumns, ticketsSealedColumns, suggestionsSealedColumns, messagesSealedColumns]

/** How many stored values each key id encrypts, across every encrypted column. */
export const valuesByKey = async (db: Db): Promise<Record<string, number>> => {
  const counts = await countValuesByKey(db)
  for (const d of SEALED) await countSealedByKey(db, d, counts)
  return countProviderSecretsByKey(db, counts)
}

/** Re-encrypts every value not under the active key; returns how many were rewritten. */
export const reencryptAll = async (db: Db, keyring: Keyring, onProgress?: (n: number) => void): Promise<number> => {
  let rewritten = await reencryptMembers(db, keyring, onProgress)
  for (const d of SEALED) rewritten += await reencryptSealed(db, keyring, d)
  rewritten += await reencryptProviderSecrets(db, keyring)
  onProgress?.(rewritten)
  return rewritten
}

