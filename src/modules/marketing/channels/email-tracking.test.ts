import { describe, expect, it } from 'vitest'
import { Keyring } from '../../../shared/pii.js'
import { emailHtml, isWebUrl, PIXEL_GIF, pieces, trackedLinks } from './email-tracking.js'
import { clickToken, openToken, readTrackingToken } from './tracking-token.js'

describe('the links of a text', () => {
  it.each([
    ['plain text', '会员日全场双倍积分', []],
    ['one link', 'Shop now: https://shop.example.cn/sale', ['https://shop.example.cn/sale']],
    ['a sentence ends after it', 'See https://shop.example.cn/sale. Thanks!', ['https://shop.example.cn/sale']],
    ['Chinese right after it', '点击https://shop.example.cn/a?x=1&y=2查看详情', ['https://shop.example.cn/a?x=1&y=2']],
    ['in brackets', '(see https://shop.example.cn/a) and [http://b.example.cn/]', ['https://shop.example.cn/a', 'http://b.example.cn/']],
    ['a bracket of its own', 'https://en.example.org/wiki/Tea_(drink)', ['https://en.example.org/wiki/Tea_(drink)']],
    ['in quotes and angle brackets', 'a "https://a.example.cn/x" <https://b.example.cn/y>', ['https://a.example.cn/x', 'https://b.example.cn/y']],
    ['twice, kept once', 'https://a.example.cn/ then https://a.example.cn/ again', ['https://a.example.cn/']],
    ['no host', 'http:// and https://?x', []],
    ['not the web', 'ftp://a.example.cn/ mailto:a@example.cn javascript:alert(1)', []],
    ['upper case scheme', 'HTTPS://A.EXAMPLE.CN/Sale', ['HTTPS://A.EXAMPLE.CN/Sale']],
  ])('%s', (_, text, links) => {
    expect(trackedLinks(text)).toEqual(links)
  })

  it('leaves out the links the caller does not track, and puts the pieces back into the same text', () => {
    const text = '双倍积分：https://shop.example.cn/x。\n退订：https://crm.example.cn/u/abc'
    expect(trackedLinks(text, (url) => !url.includes('/u/'))).toEqual(['https://shop.example.cn/x'])
    expect(pieces(text).map((p) => ('link' in p ? p.link : p.text)).join('')).toBe(text)
  })

  it.each([
    ['https://a.example.cn/', true], ['http://a.example.cn:8080/x?y#z', true], ['https://', false], ['javascript:alert(1)', false],
    ['//a.example.cn/', false], ['/local/path', false], ['data:text/html,x', false],
  ])('%s is a web URL: %s', (url, yes) => {
    expect(isWebUrl(url)).toBe(yes)
  })
})

describe('the HTML part', () => {
  it('escapes the text, keeps its line breaks, and links each link through href', () => {
    const html = emailHtml('王 <小明> & "朋友"：\n看看 https://shop.example.cn/a?x=1&y=2 吧', { href: (l) => `https://crm.example.cn/c/${encodeURIComponent(l)}`, pixel: 'https://crm.example.cn/o/t' })
    expect(html).toContain('王 &lt;小明&gt; &amp; &quot;朋友&quot;：<br>\n看看 <a href="https://crm.example.cn/c/https%3A%2F%2Fshop.example.cn%2Fa%3Fx%3D1%26y%3D2">https://shop.example.cn/a?x=1&amp;y=2</a> 吧')
    expect(html).toContain('<img src="https://crm.example.cn/o/t" width="1" height="1" alt=""')
    expect(html).not.toContain('<小明>')
  })

  it('has no picture without a pixel', () => {
    expect(emailHtml('hi', { href: (l) => l, pixel: null })).not.toContain('<img')
  })

  it('answers a 1×1 GIF', () => {
    expect(PIXEL_GIF.subarray(0, 6).toString('latin1')).toBe('GIF89a')
    expect([PIXEL_GIF.readUInt16LE(6), PIXEL_GIF.readUInt16LE(8)]).toEqual([1, 1])
  })
})

describe('tracking tokens', () => {
  const keyring = new Keyring(Keyring.generate())
  const id = 'msg_01jxq3m5v0aaaaaaaaaaaaaaaa'

  it('name the message, and for a click the link, only when signed with this keyring', () => {
    expect(readTrackingToken(keyring, openToken(keyring, id))).toEqual({ kind: 'open', messageId: id })
    expect(readTrackingToken(keyring, clickToken(keyring, id, 3))).toEqual({ kind: 'click', messageId: id, link: 3 })
    const other = new Keyring(Keyring.generate())
    expect(readTrackingToken(keyring, clickToken(other, id, 3))).toBeNull()
  })

  it.each([
    ['empty', ''], ['no signature', Buffer.from(`o:${id}`).toString('base64url')], ['three parts', 'a.b.c'],
  ])('refuses a token that is %s', (_, token) => {
    expect(readTrackingToken(keyring, token)).toBeNull()
  })

  it('refuses another link or message under a signature made for one', () => {
    const [, sig] = clickToken(keyring, id, 0).split('.')
    expect(readTrackingToken(keyring, `${Buffer.from(`c:${id}:1`).toString('base64url')}.${sig}`)).toBeNull()
    expect(readTrackingToken(keyring, `${Buffer.from('c:msg_01jxq3m5v0bbbbbbbbbbbbbbbb:0').toString('base64url')}.${sig}`)).toBeNull()
    const [, openSig] = openToken(keyring, id).split('.')
    expect(readTrackingToken(keyring, `${Buffer.from(`c:${id}:0`).toString('base64url')}.${openSig}`)).toBeNull()
  })
})
