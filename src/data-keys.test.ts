import { beforeAll, describe, expect, it } from 'vitest'
import { TEST_PASSWORD, useTestContext, type TestContext } from '../test/context.js'
import { reencryptAll, valuesByKey } from './data-keys.js'
import { Keyring, withNewActiveKey, withoutKeys } from './shared/pii.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('the data key over every encrypted column', () => {
  it('counts and re-encrypts members, ticket and suggestion contacts, message recipients, two-factor secrets and provider secrets', async () => {
    const member = await t.given.member({ phone: '13912347701', consents: { sms: true } })
    const category = (await t.services.tickets.listCategories(t.actors.hq_admin)).find((c) => c.name === '商品质量')!.id
    const ticket = await t.services.tickets.create(t.actors.service_agent, { contactName: '王先生', contactPhone: '13912347702', categoryId: category, description: '收银排队太久' })
    const suggestion = await t.services.suggestions.create(t.actors.service_agent, { category: 'service', text: '希望多开几个收银台', contactName: '张三', contactPhone: '13912347703' })
    const message = await t.services.channels.deliver(null, { channel: 'sms', purpose: 'marketing', memberId: member.id, body: '三月会员日双倍积分' })
    await t.services.channels.putProvider(t.actors.hq_admin, 'sms', { kind: 'webhook_sms', settings: { url: 'https://sms.example.com/send', secret: 'gateway-secret-1' } })
    const admin = await t.given.staff('hq_admin')
    const { secret } = await t.services.auth.startTwoFactor(admin.actor, { password: TEST_PASSWORD })

    const oldId = t.keyring.activeKeyId
    const before = await valuesByKey(t.services.db)
    expect(Object.keys(before)).toEqual([oldId])
    // 2 of the member (phone, name), 2 of the ticket, 2 of the suggestion, 1 recipient, 1 provider secret, 1 pending two-factor secret.
    expect(before[oldId]).toBeGreaterThanOrEqual(9)

    const rotatedFile = withNewActiveKey(t.keyFile, new Date('2027-01-01T00:00:00Z'))
    const rotated = new Keyring(rotatedFile)
    expect(await reencryptAll(t.services.db, rotated)).toBe(before[oldId])
    expect(await valuesByKey(t.services.db)).toEqual({ [rotatedFile.activeKeyId]: before[oldId] })
    expect(await reencryptAll(t.services.db, rotated)).toBe(0)

    // Without the old key, each still reads.
    const retired = new Keyring(withoutKeys(rotatedFile, [oldId]))
    const db = t.services.db
    const m = await db.selectFrom('members').select('phone_enc').where('id', '=', member.id).executeTakeFirstOrThrow()
    expect(retired.decrypt('phone', m.phone_enc!)).toBe('13912347701')
    const tk = await db.selectFrom('tickets').select(['contact_name_enc', 'contact_phone_enc']).where('id', '=', ticket.id).executeTakeFirstOrThrow()
    expect([retired.decrypt('tickets.contact_name', tk.contact_name_enc!), retired.decrypt('tickets.contact_phone', tk.contact_phone_enc!)]).toEqual(['王先生', '13912347702'])
    const sg = await db.selectFrom('suggestions').select(['contact_phone_enc']).where('id', '=', suggestion.id).executeTakeFirstOrThrow()
    expect(retired.decrypt('phone', sg.contact_phone_enc!)).toBe('13912347703')
    const msg = await db.selectFrom('messages').select('recipient_enc').where('id', '=', message.id).executeTakeFirstOrThrow()
    expect(retired.decrypt('message_recipient', msg.recipient_enc!)).toBe('13912347701')
    const provider = await db.selectFrom('message_providers').select('settings').where('channel', '=', 'sms').executeTakeFirstOrThrow()
    expect(retired.decrypt('message_provider.webhook_sms.secret', (JSON.parse(provider.settings) as { secret: string }).secret)).toBe('gateway-secret-1')
    const staff = await db.selectFrom('staff_users').select('totp_pending_enc').where('id', '=', admin.id).executeTakeFirstOrThrow()
    expect(retired.decrypt('staff.totp_secret', staff.totp_pending_enc!)).toBe(secret)
  })
})
