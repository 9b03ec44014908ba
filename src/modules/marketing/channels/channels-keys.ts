import type { Db } from '../../../db/database.js'
import type { SealedColumns } from '../../../db/sealed-columns.js'
import type { Keyring } from '../../../shared/pii.js'
import * as repo from './channels.repository.js'
import { secretFields } from './provider-settings.js'
import { secretField } from './provider-secrets.js'

/** A message's recipient (phone, email, OpenID), encrypted with the data key. */
export const messagesSealedColumns: SealedColumns = { table: 'messages', id: 'id', columns: { recipient_enc: 'message_recipient' } }

/** How many provider secrets (API keys, passwords, app secrets) each key id encrypts. */
export const countProviderSecretsByKey = async (db: Db, into: Record<string, number> = {}): Promise<Record<string, number>> => {
  for (const row of await repo.findProviders(db)) {
    const s = JSON.parse(row.settings) as Record<string, unknown>
    for (const f of secretFields(row.kind)) {
      const v = s[f]
      if (typeof v === 'string') into[v.split('.')[1] ?? '?'] = (into[v.split('.')[1] ?? '?'] ?? 0) + 1
    }
  }
  return into
}

/** Re-encrypts the providers' secrets not under the active key; returns how many were rewritten. */
export const reencryptProviderSecrets = async (db: Db, keyring: Keyring): Promise<number> => {
  const active = `v1.${keyring.activeKeyId}.`
  let rewritten = 0
  for (const row of await repo.findProviders(db)) {
    const s = JSON.parse(row.settings) as Record<string, unknown>
    let changed = 0
    for (const f of secretFields(row.kind)) {
      const v = s[f]
      if (typeof v !== 'string' || v.startsWith(active)) continue
      s[f] = keyring.encrypt(secretField(row.kind, f), keyring.decrypt(secretField(row.kind, f), v))
      changed += 1
    }
    if (changed && (await repo.replaceProviderSettings(db, row.channel, row.settings, JSON.stringify(s)))) rewritten += changed
  }
  return rewritten
}
