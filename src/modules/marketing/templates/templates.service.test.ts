import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { SAMPLE_COUPON_CODE } from './templates.service.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

const sms = { name: '积分到期提醒', channel: 'sms' as const, purpose: 'marketing' as const, bodyZh: '{{memberName}}您好，您有{{expiringPoints}}积分将于{{expiringDate}}到期，当前积分{{pointsBalance}}。' }

describe('message templates', () => {
  it('keeps a template with the variables it uses, refuses unknown ones and a second of one name, and is audited', async () => {
    const tpl = await t.services.templates.create(t.actors.hq_marketing, sms)
    expect(tpl).toMatchObject({ name: '积分到期提醒', channel: 'sms', purpose: 'marketing', status: 'active', version: 1, variables: ['memberName', 'pointsBalance', 'expiringPoints', 'expiringDate'], bodyEn: null })
    await expect(t.services.templates.create(t.actors.hq_marketing, sms)).rejects.toMatchObject({ code: 'MESSAGE_TEMPLATE_NAME_TAKEN', details: [{ field: 'name' }] })
    await expect(t.services.templates.create(t.actors.hq_marketing, { ...sms, name: '坏模板', bodyZh: '{{memberNmae}}您好', subjectZh: '标题' })).rejects.toMatchObject({
      code: 'MESSAGE_TEMPLATE_INVALID',
      details: [{ field: 'bodyZh', reason: expect.stringContaining('unknown variable {{memberNmae}}') }, { field: 'subjectZh', reason: 'a sms message has no subject' }],
    })
    await expect(t.services.templates.create(t.actors.hq_marketing, { name: '邮件', channel: 'email', purpose: 'marketing', bodyZh: '您好' })).rejects.toMatchObject({ code: 'MESSAGE_TEMPLATE_INVALID', details: [{ field: 'subjectZh' }] })
    await expect(t.services.templates.create(t.actors.hq_marketing, { ...sms, name: '太长', bodyZh: '字'.repeat(671) })).rejects.toMatchObject({ details: [{ field: 'bodyZh', reason: 'at most 670 characters on sms' }] })
    await expect(t.services.templates.create(t.actors.store_manager, { ...sms, name: '门店' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await t.services.templates.list(t.actors.analyst, { channel: 'sms' })).map((x) => x.id)).toContain(tpl.id)
    await expect(t.services.templates.list(t.actors.cashier)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const trail = await t.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', tpl.id).execute()
    expect(trail.map((a) => a.action)).toEqual(['message_template.create'])
  })

  it('changes from the version read only, and archives', async () => {
    const tpl = await t.services.templates.create(t.actors.hq_marketing, { ...sms, name: '生日祝福', bodyZh: '{{memberName}}，生日快乐！', bodyEn: 'Happy birthday, {{memberName}}!' })
    const changed = await t.services.templates.update(t.actors.hq_marketing, tpl.id, { version: 1, bodyZh: '{{memberName}}，祝您生日快乐！' })
    expect(changed).toMatchObject({ version: 2, bodyZh: '{{memberName}}，祝您生日快乐！', bodyEn: 'Happy birthday, {{memberName}}!' })
    await expect(t.services.templates.update(t.actors.hq_marketing, tpl.id, { version: 1, status: 'archived' })).rejects.toMatchObject({ code: 'MESSAGE_TEMPLATE_VERSION' })
    expect(await t.services.templates.update(t.actors.hq_marketing, tpl.id, { version: 2, status: 'archived' })).toMatchObject({ status: 'archived', version: 3 })
    expect((await t.services.templates.list(t.actors.hq_marketing, { status: 'active' })).map((x) => x.id)).not.toContain(tpl.id)
    await expect(t.services.templates.update(t.actors.hq_marketing, 'mtp_missing', { version: 1 })).rejects.toMatchObject({ code: 'MESSAGE_TEMPLATE_NOT_FOUND' })
  })

  it('previews an SMS with a real member: their values, the signature, the unsubscribe words, its length and parts', async () => {
    await t.services.templates.saveSettings(t.actors.hq_marketing, { smsSignature: '好又多' })
    await expect(t.services.templates.saveSettings(t.actors.hq_marketing, { smsSignature: '【好】' })).rejects.toMatchObject({ code: 'MARKETING_SETTINGS_INVALID', details: [{ field: 'smsSignature' }] })
    const member = await t.given.member({ name: '李晓红' })
    await t.given.receipt({ member: { id: member.id }, lines: [['SKU-T', 1, 25_000]] })
    const points = await t.services.loyalty.points(t.actors.hq_admin, member.id)
    const tpl = await t.services.templates.create(t.actors.hq_marketing, { ...sms, name: '预览用' })
    // The name as staff see it, masked to the same length: the member's message carries it whole.
    const p = await t.services.templates.preview(t.actors.hq_marketing, { templateId: tpl.id, memberId: member.id })
    const next = points.expiring[0]
    const expected = `【好又多】李**您好，您有${next?.points ?? ''}积分将于${next?.expiresOn ?? ''}到期，当前积分${points.balance}。回T退订`
    expect(p).toMatchObject({ channel: 'sms', lang: 'zh-CN', text: expected, length: [...expected].length, variables: ['memberName', 'pointsBalance', 'expiringPoints', 'expiringDate'] })
    expect(p.segments).toBe([...expected].length <= 70 ? 1 : Math.ceil([...expected].length / 67))
    expect(points.balance).toBeGreaterThan(0)
    expect(p.missing).toEqual(next ? [] : ['expiringPoints', 'expiringDate'])
    // A service notice carries no unsubscribe words; without a member the values are missing.
    const notice = await t.services.templates.preview(t.actors.hq_marketing, { channel: 'sms', purpose: 'service', body: '{{memberName}}，您的礼品已到店' })
    expect(notice).toMatchObject({ text: '【好又多】，您的礼品已到店', missing: ['memberName'], length: 13, segments: 1 })
  })

  it('previews an email with the coupon\'s face and a sample code, in English when asked', async () => {
    const coupon = await t.services.coupons.createTemplate(t.actors.hq_marketing, { name: '满100减20', kind: 'threshold', value: 2000, minSpend: 10000, validDays: 30 })
    const tpl = await t.services.templates.create(t.actors.hq_marketing, {
      name: '回归礼', channel: 'email', purpose: 'marketing', subjectZh: '{{memberName}}，送您一张券', subjectEn: 'A coupon for you, {{memberName}}',
      bodyZh: '您的{{couponValue}}券码：{{couponCode}}', bodyEn: 'Your {{couponValue}} coupon: {{couponCode}}',
    })
    const member = await t.given.member({ name: '陈静' })
    const zh = await t.services.templates.preview(t.actors.hq_marketing, { templateId: tpl.id, memberId: member.id, couponTemplateId: coupon.id })
    expect(zh).toMatchObject({ subject: '陈*，送您一张券', length: null, segments: null, samples: ['couponCode'], missing: [] })
    expect(zh.text).toBe(`您的满100减20券码：${SAMPLE_COUPON_CODE}\n\n如不想再收到此类邮件，请点击退订：https://…/u/…`)
    const en = await t.services.templates.preview(t.actors.hq_marketing, { templateId: tpl.id, memberId: member.id, couponTemplateId: coupon.id, lang: 'en-US' })
    expect(en).toMatchObject({ subject: 'A coupon for you, 陈*', lang: 'en-US' })
    expect(en.text.startsWith(`Your ¥20 off ¥100 coupon: ${SAMPLE_COUPON_CODE}\n\nTo stop receiving`)).toBe(true)
    await expect(t.services.templates.preview(t.actors.hq_marketing, { channel: 'sms' })).rejects.toMatchObject({ code: 'MESSAGE_TEMPLATE_INVALID', details: [{ field: 'body' }] })
    await expect(t.services.templates.preview(t.actors.hq_marketing, { templateId: tpl.id, memberId: 'mem_missing' })).rejects.toMatchObject({ status: 404 })
  })
})
