import { beforeAll, describe, expect, it } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../test/context.js'
import { checkDataKey, rebindDataKey } from '../../db/key-check.js'
import { Keyring, withNewActiveKey, withoutKeys } from '../../shared/pii.js'
import { countValuesByKey, reencryptMembers } from './member-keys.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

describe('key rotation', () => {
  it('re-encrypts every member value under the new key, keeps lookups working, and lets the old key go', async () => {
    await checkDataKey(t.services.db, t.keyring)
    const phone = nextPhone()
    const m = await t.given.member({ phone, name: '轮换', email: 'rotate@example.com', address: '上海市静安区南京西路1号' })
    const oldId = t.keyring.activeKeyId
    const before = await countValuesByKey(t.services.db)
    expect(Object.keys(before)).toEqual([oldId])

    const rotatedFile = withNewActiveKey(t.keyFile, new Date('2027-01-01T00:00:00Z'))
    expect(rotatedFile.activeKeyId).toBe('k20270101')
    const rotated = new Keyring(rotatedFile)
    const rewritten = await reencryptMembers(t.services.db, rotated)
    expect(rewritten).toBe(before[oldId])
    await rebindDataKey(t.services.db, rotated)
    expect(await countValuesByKey(t.services.db)).toEqual({ k20270101: before[oldId] })
    expect(await reencryptMembers(t.services.db, rotated)).toBe(0)

    // With the old key removed from the file, the data and the key check still read.
    const retired = new Keyring(withoutKeys(rotatedFile, [oldId]))
    expect(retired.hasKey(oldId)).toBe(false)
    await checkDataKey(t.services.db, retired)
    const row = await t.services.db.selectFrom('members').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow()
    expect(retired.decrypt('phone', row.phone_enc!)).toBe(phone)
    expect(retired.decrypt('address', row.address_enc!)).toBe('上海市静安区南京西路1号')
    // Blind indexes have their own key, untouched by rotation: lookups still find the member.
    expect((await t.services.members.lookup(t.actors.cashier, { phone })).id).toBe(m.id)
  })

  it('never drops the active key', () => {
    const file = Keyring.generate()
    expect(Object.keys(withoutKeys(file, [file.activeKeyId]).keys)).toEqual([file.activeKeyId])
  })
})
