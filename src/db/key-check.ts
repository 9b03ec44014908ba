import type { Db } from './database.js'
import type { Keyring } from '../shared/pii.js'

const CHECK_PLAINTEXT = 'patron-key-check'

export class KeyMismatchError extends Error {}

/** Whether this database's data is bound to a key file already (its first start wrote the check). */
export const isBoundToKey = async (db: Db): Promise<boolean> =>
  (await db.selectFrom('meta').select('key').where('key', '=', 'key.check').executeTakeFirst()) !== undefined

/**
 * Binds the data to the key file: the first start writes a value only this key can read;
 * every later start proves it can still read it, so a wrong or lost key file stops the
 * server before it writes data no one can decrypt.
 */
export const checkDataKey = async (db: Db, keyring: Keyring): Promise<'created' | 'ok'> => {
  const rows = await db.selectFrom('meta').selectAll().where('key', 'in', ['key.check', 'key.index_check']).execute()
  const enc = rows.find((r) => r.key === 'key.check')?.value
  const idx = rows.find((r) => r.key === 'key.index_check')?.value
  if (!enc || !idx) {
    await db.insertInto('meta').values([
      { key: 'key.check', value: keyring.encrypt('key_check', CHECK_PLAINTEXT) },
      { key: 'key.index_check', value: keyring.blindIndex('key_check', CHECK_PLAINTEXT) },
    ]).onConflict((oc) => oc.column('key').doNothing()).execute()
    return 'created'
  }
  let readable: boolean
  try {
    readable = keyring.decrypt('key_check', enc) === CHECK_PLAINTEXT
  } catch {
    readable = false
  }
  if (!readable || keyring.blindIndex('key_check', CHECK_PLAINTEXT) !== idx) {
    throw new KeyMismatchError('the key file (PATRON_KEY_FILE) does not match the data in this database: refusing to start. Restore the key file that belongs to this database.')
  }
  return 'ok'
}

/** Re-writes the key check under the keyring's active key (after a rotation), so retiring old keys keeps the check readable. */
export const rebindDataKey = async (db: Db, keyring: Keyring): Promise<void> => {
  await checkDataKey(db, keyring)
  await db.updateTable('meta').set({ value: keyring.encrypt('key_check', CHECK_PLAINTEXT) }).where('key', '=', 'key.check').execute()
}

/** The key id the key check is encrypted with. */
export const keyCheckKeyId = async (db: Db): Promise<string | null> => {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'key.check').executeTakeFirst()
  return row?.value.split('.')[1] ?? null
}
