import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/db.js'
import { Keyring } from '../shared/pii.js'
import { checkDataKey } from './key-check.js'

let tdb: TestDatabase
const original = Keyring.generate()
beforeAll(async () => {
  tdb = await createTestDatabase()
})
afterAll(async () => tdb.drop())

describe('data key check', () => {
  it('binds a new database to its key, accepts that key and refuses another', async () => {
    expect(await checkDataKey(tdb.database.db, new Keyring(original))).toBe('created')
    expect(await checkDataKey(tdb.database.db, new Keyring(original))).toBe('ok')
    await expect(checkDataKey(tdb.database.db, new Keyring(Keyring.generate()))).rejects.toThrow(/does not match the data/)
  })

  it('accepts a rotated key file that still holds the old key', async () => {
    const rotated = { ...original, activeKeyId: 'k2', keys: { ...original.keys, k2: Keyring.generate().keys[Object.keys(original.keys)[0]!]! } }
    const before = new Keyring(original).encrypt('phone', '13800000000')
    const keyring = new Keyring(rotated)
    expect(keyring.decrypt('phone', before)).toBe('13800000000')
    expect(keyring.encrypt('phone', '1').split('.')[1]).toBe('k2')
    expect(await checkDataKey(tdb.database.db, keyring)).toBe('ok')
  })
})
