import { beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../../api/client.js'
import { translator } from '../../../i18n/test-translator.js'
import { localizeProviderError, providerToValues, receiptUrl, settingReason, settingsFor, startsSending, toProviderBody, type Provider } from './provider-form.js'

const field = (name: string, over: Partial<Provider['fields'][string][number]> = {}) =>
  ({ name, type: 'string' as const, required: false, secret: false, default: null, max: null, choices: null, ...over })

const sms = (over: Partial<Provider> = {}): Provider => ({
  channel: 'sms', kind: 'sandbox', enabled: true, settings: {}, hasSecret: {}, kinds: ['sandbox', 'aliyun_sms', 'webhook_sms'],
  fields: {
    sandbox: [],
    aliyun_sms: [field('endpoint', { type: 'url', default: 'https://dysmsapi.aliyuncs.com/' }), field('accessKeySecret', { required: true, secret: true })],
    webhook_sms: [field('url', { type: 'url', required: true }), field('secret', { required: true, secret: true, max: 500 }), field('signName', { max: 40 })],
  },
  updatedBy: null, updatedAt: null,
  ...over,
})
const webhook = sms({ kind: 'webhook_sms', settings: { url: 'http://127.0.0.1:9/', signName: '惠民' }, hasSecret: { secret: true }, updatedAt: '2026-12-01T00:00:00.000Z' })

let zh: Awaited<ReturnType<typeof translator<'marketing', 'channels'>>>
beforeAll(async () => { zh = await translator('marketing', 'zh-CN', 'channels') })

describe('the provider form', () => {
  it('starts from the stored settings of the provider\'s kind, its secrets blank', () => {
    expect(providerToValues(webhook)).toEqual({ kind: 'webhook_sms', enabled: true, settings: { url: 'http://127.0.0.1:9/', secret: undefined, signName: '惠民' } })
  })

  it('starts another kind from its defaults', () => {
    expect(settingsFor(webhook, 'aliyun_sms')).toEqual({ endpoint: 'https://dysmsapi.aliyuncs.com/', accessKeySecret: undefined })
    expect(settingsFor(webhook, 'sandbox')).toEqual({})
  })

  it('sends text trimmed, blank as null, and leaves a blank secret out so the stored one is kept', () => {
    expect(toProviderBody(webhook, { kind: 'webhook_sms', enabled: true, settings: { url: ' http://gw/sms ', secret: '  ', signName: '' } }))
      .toEqual({ kind: 'webhook_sms', enabled: true, settings: { url: 'http://gw/sms', signName: null } })
    expect(toProviderBody(webhook, { kind: 'webhook_sms', enabled: false, settings: { url: 'http://gw/sms', secret: ' s3cret ' } }).settings).toEqual({ url: 'http://gw/sms', secret: 's3cret', signName: null })
  })

  it('sends only the settings of the kind chosen', () => {
    expect(toProviderBody(webhook, { kind: 'sandbox', enabled: true, settings: { url: 'http://gw/sms', signName: '惠民' } })).toEqual({ kind: 'sandbox', enabled: true, settings: {} })
  })

  it('sends ports as numbers and switches as booleans, their defaults when untouched', () => {
    const email: Provider = {
      ...sms(), channel: 'email', kinds: ['sandbox', 'smtp'],
      fields: { sandbox: [], smtp: [field('port', { type: 'port', default: 587 }), field('secure', { type: 'boolean', default: false })] },
    }
    expect(toProviderBody(email, { kind: 'smtp', enabled: true, settings: { port: 465, secure: true } }).settings).toEqual({ port: 465, secure: true })
    expect(toProviderBody(email, { kind: 'smtp', enabled: true, settings: {} }).settings).toEqual({ port: null, secure: false })
  })

  it.each([
    ['sandbox to a real provider', sms(), { kind: 'webhook_sms', enabled: true }, true],
    ['sandbox to a real provider left off', sms(), { kind: 'webhook_sms', enabled: false }, false],
    ['a provider off turned on', { ...webhook, enabled: false }, { kind: 'webhook_sms', enabled: true }, true],
    ['a provider on kept on', webhook, { kind: 'webhook_sms', enabled: true }, false],
    ['back to the sandbox', webhook, { kind: 'sandbox', enabled: true }, false],
  ] as const)('asks first, or not, before saving %s', (_, p, v, asks) => {
    expect(startsSending(p, v)).toBe(asks)
  })

  it.each([
    ['required', '必填'],
    ['empty', '必填'],
    ['must be an http(s) URL', '请输入 http(s) 网址'],
    ['must be a port number (1–65535)', '端口为 1–65535 的整数'],
    ['must be an email address (or "Name <address>")', '请输入邮箱地址（或“名称 <地址>”）'],
    ['must be at most 40 characters', '最多 40 个字符'],
    ['not a setting of webhook_sms', '这一类服务商没有此项设置'],
    ['something new', 'something new'],
  ])('says "%s" as %s', (reason, text) => {
    expect(settingReason(zh, reason)).toBe(text)
  })

  it("puts a 422's reasons in the user's language, on the fields it names", () => {
    const err = localizeProviderError(zh, new ApiError(422, 'MARKETING_PROVIDER_SETTINGS', 'bad', [{ field: 'settings.url', reason: 'must be an http(s) URL' }, { field: 'settings.secret', reason: 'required' }]))
    expect(err).toMatchObject({ status: 422, code: 'MARKETING_PROVIDER_SETTINGS', details: [{ field: 'settings.url', reason: '请输入 http(s) 网址' }, { field: 'settings.secret', reason: '必填' }] })
  })

  it('gives the receipt callback of the kinds that have one', () => {
    expect(receiptUrl('https://crm.example.com', 'webhook_sms')).toBe('https://crm.example.com/api/v1/public/marketing/receipts/webhook_sms')
    expect(receiptUrl('https://crm.example.com', 'sandbox')).toBeNull()
    expect(receiptUrl('https://crm.example.com', 'smtp')).toBeNull()
  })
})
