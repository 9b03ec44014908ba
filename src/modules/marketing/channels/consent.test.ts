import { describe, expect, it } from 'vitest'
import { Keyring } from '../../../shared/pii.js'
import { consentChannelOf, isUnsubscribeReply, linkSource, pickChannel } from './consent.js'
import { parseAliyunReplies, parseSignedReplies } from './inbound.js'
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token.js'

describe('the consent a marketing message needs', () => {
  it.each([['sms', 'sms'], ['email', 'email'], ['wechat', 'wechat'], ['push', 'app_push']] as const)('%s needs consent by %s', (channel, consent) => {
    expect(consentChannelOf(channel)).toBe(consent)
  })

  it('records an unsubscribe through a link by its channel', () => {
    expect(linkSource('email')).toBe('email_link')
  })
})

describe('the channel a campaign or journey message goes on', () => {
  const who = (consents: string[], has: string[]) => ({ consents: new Set(consents), has: new Set(has) })
  it('takes the first channel in order the member agreed to and can be reached on', () => {
    expect(pickChannel(['wechat', 'sms', 'email'], who(['sms', 'email', 'wechat'], ['sms', 'email']))).toBe('sms')
    expect(pickChannel(['email', 'sms'], who(['sms', 'email'], ['sms', 'email']))).toBe('email')
    // App push needs the app_push consent and a push token.
    expect(pickChannel(['push', 'sms'], who(['app_push'], ['push', 'sms']))).toBe('push')
  })

  it('finds none without consent, without an address, or without a member', () => {
    expect(pickChannel(['sms', 'email'], who(['wechat'], ['sms', 'email', 'wechat']))).toBeUndefined()
    expect(pickChannel(['email'], who(['email'], ['sms']))).toBeUndefined()
    expect(pickChannel(['sms'], undefined)).toBeUndefined()
  })
})

describe('an SMS reply that unsubscribes', () => {
  it.each(['T', 't', ' TD ', 'td', '退订', 'N', 'n', 'STOP', 'Stop', 'UNSUBSCRIBE', 'unsubscribe', '取消', '\n退订\n', 'Ｔ', 'ＴＤ'])('%j unsubscribes', (text) => {
    expect(isUnsubscribeReply(text)).toBe(true)
  })

  it.each(['', 'ok', '好的', 'T退订', '退订谢谢', 'STOP!', 'please stop', 'NO', 'TT', '1'])('%j does not', (text) => {
    expect(isUnsubscribeReply(text)).toBe(false)
  })
})

describe('inbound SMS callbacks', () => {
  it("reads Alibaba's SmsUp push, its Beijing time in UTC", () => {
    expect(parseAliyunReplies([
      { phone_number: '13912345678', send_time: '2026-03-02 10:00:00', content: 'TD', sign_name: '好邻居', dest_code: '1234', sequence_id: 1234 },
      { phone_number: '13912345679', content: '' },
    ])).toEqual({
      replies: [{ from: '13912345678', text: 'TD', at: '2026-03-02T02:00:00.000Z' }, { from: '13912345679', text: '', at: null }],
      details: [],
    })
  })

  it.each([
    [{}, [{ field: 'body', reason: 'an array of replies' }]],
    [[], [{ field: 'body', reason: '1 to 1000 replies' }]],
    [[5], [{ field: '0', reason: 'a reply object' }]],
    [[{ content: 'T' }], [{ field: '0.phone_number', reason: "required: the member's number" }]],
    [[{ phone_number: '13912345678', content: 7, send_time: 'now' }], [{ field: '0.content', reason: 'required: the text (at most 1000 characters)' }, { field: '0.send_time', reason: 'yyyy-MM-dd HH:mm:ss' }]],
  ])('refuses an Alibaba push %j', (body, details) => {
    expect(parseAliyunReplies(body).details).toEqual(details)
  })

  it("reads Patron's own reply shape, one or an array", () => {
    expect(parseSignedReplies({ from: '+86 139 1234 5678', text: 'STOP', at: '2026-03-02T10:00:00+08:00' })).toEqual({ replies: [{ from: '+86 139 1234 5678', text: 'STOP', at: '2026-03-02T02:00:00.000Z' }], details: [] })
    expect(parseSignedReplies([{ from: '13912345678', text: 'T' }, { from: '13912345679', text: '谢谢' }]).replies.map((r) => r.text)).toEqual(['T', '谢谢'])
  })

  it.each([
    ['T', [{ field: 'body', reason: 'a reply { from, text, at? } or an array of them' }]],
    [{ text: 'T' }, [{ field: 'from', reason: "required: the member's number" }]],
    [{ from: '13912345678', text: 'T', at: 'yesterday' }, [{ field: 'at', reason: 'an ISO-8601 time' }]],
    [[{ from: '13912345678' }], [{ field: '0.text', reason: 'required: the text (at most 1000 characters)' }]],
    [[], [{ field: 'body', reason: '1 to 1000 replies' }]],
  ])('refuses a signed reply %j', (body, details) => {
    expect(parseSignedReplies(body).details).toEqual(details)
  })
})

describe('the token of an unsubscribe link', () => {
  const keyring = new Keyring(Keyring.generate())

  it('names the member and channel it was made for', () => {
    const token = unsubscribeToken(keyring, 'mem_01hz8k2m3n4p5q6r7s8t9v0w1x', 'email')
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
    expect(readUnsubscribeToken(keyring, token)).toEqual({ memberId: 'mem_01hz8k2m3n4p5q6r7s8t9v0w1x', channel: 'email' })
    expect(unsubscribeToken(keyring, 'mem_01hz8k2m3n4p5q6r7s8t9v0w1x', 'sms')).not.toBe(token)
  })

  it('is not read when changed, made with another key, or not a token at all', () => {
    const token = unsubscribeToken(keyring, 'mem_01hz8k2m3n4p5q6r7s8t9v0w1x', 'email')
    const [, sig] = token.split('.')
    // Another member's id with the first one's signature.
    expect(readUnsubscribeToken(keyring, `${Buffer.from('email:mem_01hz8k2m3n4p5q6r7s8t9v0w1y').toString('base64url')}.${sig}`)).toBeNull()
    expect(readUnsubscribeToken(keyring, `${Buffer.from('sms:mem_01hz8k2m3n4p5q6r7s8t9v0w1x').toString('base64url')}.${sig}`)).toBeNull()
    expect(readUnsubscribeToken(new Keyring(Keyring.generate()), token)).toBeNull()
    // The signature's last character changed (to another one: a token may end in A already).
    const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
    for (const bad of ['', 'x', `${token}.x`, changed, token.split('.')[0]!]) expect(readUnsubscribeToken(keyring, bad)).toBeNull()
  })
})
