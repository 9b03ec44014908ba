import { keyCheckKeyId, rebindDataKey } from '../db/key-check.js'
import { reencryptAll, valuesByKey } from '../data-keys.js'
import { Keyring, readKeyFile, withNewActiveKey, withoutKeys, writeKeyFile } from '../shared/pii.js'
import { openPatron } from './bootstrap.js'

/** `patron keys status`: the key file's keys and how many stored values each one encrypts. */
export const keysStatusCommand = async () => {
  const patron = await openPatron()
  try {
    const file = readKeyFile(patron.config.keyFile)
    const counts = await valuesByKey(patron.services.db)
    const check = await keyCheckKeyId(patron.services.db)
    console.log(`Key file ${patron.config.keyFile}`)
    for (const id of Object.keys(file.keys)) {
      console.log(`  ${id.padEnd(14)} ${id === file.activeKeyId ? 'active ' : 'retired'} ${String(counts[id] ?? 0).padStart(10)} values${id === check ? ' (+ key check)' : ''}`)
    }
    const unknown = Object.keys(counts).filter((id) => !file.keys[id])
    if (unknown.length) console.log(`  values under keys missing from the file: ${unknown.join(', ')}`)
  } finally {
    await patron.close()
  }
}

/**
 * `patron keys rotate`: adds a new active key to the key file (old keys stay), then
 * re-encrypts every stored value under it. Restart every Patron process afterwards so they
 * load the new key; then `patron keys retire` removes the keys nothing uses any more.
 */
export const keysRotateCommand = async () => {
  const patron = await openPatron()
  try {
    const path = patron.config.keyFile
    const next = withNewActiveKey(readKeyFile(path))
    writeKeyFile(path, next)
    console.log(`New active key ${next.activeKeyId} written to ${path}; re-encrypting the data…`)
    const keyring = new Keyring(next)
    const rewritten = await reencryptAll(patron.services.db, keyring, (n) => process.stderr.write(`\r  ${n} values re-encrypted`))
    await rebindDataKey(patron.services.db, keyring)
    process.stderr.write('\n')
    console.log(`Done: ${rewritten} values now under ${next.activeKeyId}. Restart every Patron process, then run \`patron keys retire\`.`)
  } finally {
    await patron.close()
  }
}

/** `patron keys retire`: re-encrypts stragglers, then drops every key no stored value uses. */
export const keysRetireCommand = async () => {
  const patron = await openPatron()
  try {
    const path = patron.config.keyFile
    const file = readKeyFile(path)
    const keyring = new Keyring(file)
    await reencryptAll(patron.services.db, keyring)
    await rebindDataKey(patron.services.db, keyring)
    const counts = await valuesByKey(patron.services.db)
    const unused = Object.keys(file.keys).filter((id) => id !== file.activeKeyId && !counts[id])
    writeKeyFile(path, withoutKeys(file, unused))
    console.log(unused.length ? `Retired ${unused.join(', ')}; ${file.activeKeyId} is the only key left in use.` : 'No key to retire.')
  } finally {
    await patron.close()
  }
}
