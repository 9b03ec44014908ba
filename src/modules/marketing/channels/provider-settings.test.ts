import { describe, expect, it } from 'vitest'
import { normalizePhone } from '../../members/index.js'
import { checkRecipient, checkSettings } from './provider-settings.js'
import { parseAliyunReports, parseSignedReceipts, parseWechatEvent } from './receipts.js'

describe('provider settings', () => {
  it('fills defaults and keeps a stored secret an update leaves out', () => {
    const stored = { endpoint: 'https://dysmsapi.aliyuncs.com/', accessKeyId: 'k', accessKeySecret: 'old-secret', signName: '好邻居', templateCode: 'SMS_1', receiptToken: null }
    expect(checkSettings('sms', 'aliyun_sms', { accessKeyId: 'k2', signName: ' 好邻居超市 ', templateCode: 'SMS_2' }, stored)).toEqual({
      settings: { endpoint: 'https://dysmsapi.aliyuncs.com/', accessKeyId: 'k2', accessKeySecret: 'old-secret', signName: '好邻居超市', templateCode: 'SMS_2', receiptToken: null },
      details: [],
    })
    expect(checkSettings('email', 'smtp', { host: 'smtp.example.test', from: 'Patron <crm@example.test>' }, null).settings).toEqual({
      host: 'smtp.example.test', port: 587, secure: false, username: null, password: null, from: 'Patron <crm@example.test>',
    })
  })

  it.each([
    ['sms', 'smtp', {}, [{ field: 'kind', reason: 'a sms provider is one of sandbox, aliyun_sms, webhook_sms' }]],
    ['push', 'http_push', { url: 'https://push.example.test', token: '' }, [{ field: 'settings.token', reason: 'required' }]],
    ['push', 'http_push', { url: 'javascript:alert(1)', token: 't' }, [{ field: 'settings.url', reason: 'must be an http(s) URL' }]],
    ['email', 'smtp', { host: 'h', from: 'a@b.c', secure: 'yes' }, [{ field: 'settings.secure', reason: 'must be a boolean' }]],
    ['wechat', 'wechat_template', { appId: 'wx1', appSecret: 's', templateId: 't', extra: 1 }, [{ field: 'settings.extra', reason: 'not a setting of wechat_template' }]],
    ['wechat', 'wechat_template', { appId: 'wx1', appSecret: 's', templateId: 't', messageType: 'letter' }, [{ field: 'settings.messageType', reason: 'must be one of template, subscribe' }]],
  ] as const)('refuses %s %s %j', (channel, kind, input, details) => {
    expect(checkSettings(channel, kind, input, null).details).toEqual(details)
  })

  it.each([
    ['sms', '+86 139-1234-5678', { to: '13912345678' }],
    ['sms', '0571-1234567', { reason: 'not a mainland China mobile number' }],
    ['email', 'Wang@Example.TEST', { to: 'wang@example.test' }],
    ['email', 'wang@', { reason: 'not an email address' }],
    ['wechat', 'oAbCdEf1234567', { to: 'oAbCdEf1234567' }],
    ['wechat', 'o 1', { reason: 'not a WeChat OpenID' }],
    ['push', 'token with space', { reason: 'not a push token' }],
  ] as const)('checks a %s recipient %s', (channel, to, expected) => {
    expect(checkRecipient(channel, to, normalizePhone)).toEqual(expected)
  })
})

describe('delivery receipts', () => {
  it.each([
    [{}, [{ field: 'body', reason: 'an array of reports' }]],
    [[], [{ field: 'body', reason: 'no reports' }]],
    [[1], [{ field: '0', reason: 'a report object' }]],
    [[{ biz_id: 'b', success: true, report_time: 'yesterday' }], [{ field: '0.report_time', reason: 'yyyy-MM-dd HH:mm:ss' }]],
  ])('refuses an Alibaba report %j', (body, details) => {
    expect(parseAliyunReports(body).details).toEqual(details)
  })

  it('reads report times as Beijing time', () => {
    expect(parseAliyunReports([{ biz_id: 'b', success: true, report_time: '2026-03-02 10:00:05' }]).receipts).toEqual([{ providerMessageId: 'b', status: 'delivered', error: null, at: '2026-03-02T02:00:05.000Z' }])
  })

  it.each([
    [null, [{ field: 'receipts', reason: 'required: an array' }]],
    [{ receipts: [] }, [{ field: 'receipts', reason: '1 to 1000 receipts' }]],
    [{ receipts: [{ messageId: 'x', status: 'delivered', at: 'soon' }] }, [{ field: 'receipts.0.at', reason: 'an ISO-8601 time' }]],
    [{ receipts: [{ status: 'failed', error: 5 }] }, [{ field: 'receipts.0.messageId', reason: 'required: the id the provider answered' }, { field: 'receipts.0.error', reason: 'a string' }]],
  ])('refuses a signed receipt %j', (body, details) => {
    expect(parseSignedReceipts(body).details).toEqual(details)
  })
})

describe("WeChat's pushes", () => {
  const push = (event: string, status: string, id = '200163836') =>
    `<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[oia2TjuEGTNoeX76QEjQNrcURxG8]]></FromUserName><CreateTime>1395658920</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event><MsgID>${id}</MsgID><Status><![CDATA[${status}]]></Status></xml>`

  it.each([
    [push('TEMPLATESENDJOBFINISH', 'success'), { receipts: [{ providerMessageId: '200163836', status: 'delivered', error: null, at: '2014-03-24T11:02:00.000Z' }], details: [], unfollowed: null }],
    [push('TEMPLATESENDJOBFINISH', 'failed:user block'), { receipts: [{ providerMessageId: '200163836', status: 'failed', error: 'failed:user block', at: '2014-03-24T11:02:00.000Z' }], details: [], unfollowed: null }],
    [push('subscribe', ''), { receipts: [], details: [], unfollowed: null }],
    [push('TEMPLATESENDJOBFINISH', 'read', 'x'), { receipts: [], details: [{ field: 'MsgID', reason: 'required: the msgid the send answered' }, { field: 'Status', reason: 'success or failed:…' }], unfollowed: null }],
    // A follower unfollows the 公众号: the OpenID whose WeChat consent is withdrawn.
    [push('unsubscribe', ''), { receipts: [], details: [], unfollowed: 'oia2TjuEGTNoeX76QEjQNrcURxG8' }],
    [push('unsubscribe', '').replace('oia2TjuEGTNoeX76QEjQNrcURxG8', 'bad id!'), { receipts: [], details: [{ field: 'FromUserName', reason: "required: the follower's OpenID" }], unfollowed: null }],
    ['{"a":1}', { receipts: [], details: [{ field: 'body', reason: 'a WeChat XML message' }], unfollowed: null }],
    ['<xml><Content>hi</Content></xml>', { receipts: [], details: [{ field: 'MsgType', reason: 'required' }], unfollowed: null }],
  ])('reads %s', (body, expected) => {
    expect(parseWechatEvent(body)).toEqual(expected)
  })
})
