import { describe, expect, it } from 'vitest'
import { couponFace, fill, parseTemplate, signatureProblem, smsLength, smsSegments, smsText, yuanText } from './template-rules.js'

describe('parseTemplate', () => {
  it('lists the variables a text uses, in the order of the list, once each', () => {
    expect(parseTemplate('{{memberName}}您好，您有{{expiringPoints}}积分将于{{expiringDate}}到期，{{memberName}}', 'body')).toEqual({ variables: ['memberName', 'expiringPoints', 'expiringDate'] })
    expect(parseTemplate('没有变量', 'body')).toEqual({ variables: [] })
  })

  it('refuses an unknown variable, a section and a broken tag, naming the field', () => {
    expect(parseTemplate('{{memberNmae}}您好', 'bodyZh')).toMatchObject({ problems: [{ field: 'bodyZh', reason: expect.stringContaining('unknown variable {{memberNmae}}') }] })
    expect(parseTemplate('{{#couponCode}}券码{{/couponCode}}', 'body')).toMatchObject({ problems: [{ field: 'body', reason: expect.stringContaining('only {{variable}}') }] })
    expect(parseTemplate('{{memberName', 'body')).toMatchObject({ problems: [{ field: 'body', reason: expect.stringContaining('not a template') }] })
  })
})

describe('fill', () => {
  it('puts the values in as they are (no HTML escaping) and leaves a missing one empty', () => {
    expect(fill('{{memberName}}：{{couponName}}<满100减10> {{couponCode}}', { memberName: '张&三', couponName: '券<1>' })).toBe('张&三：券<1><满100减10> ')
  })
})

describe('SMS length', () => {
  it('counts every character alike, an emoji as one', () => {
    expect(smsLength('【好又多】您好 ab1，')).toBe(12)
    expect(smsLength('🎉')).toBe(1)
  })

  it('is one message up to 70 characters and parts of 67 beyond', () => {
    // a plain reading of the providers' rule
    const parts = (n: number) => { if (n === 0) return 0; if (n <= 70) return 1; let p = 0; for (let left = n; left > 0; left -= 67) p++; return p }
    for (const n of [0, 1, 69, 70, 71, 134, 135, 201, 202, 670]) expect(smsSegments(n), `${n}`).toBe(parts(n))
    expect(smsSegments(71)).toBe(2)
    expect(smsSegments(134)).toBe(2)
    expect(smsSegments(135)).toBe(3)
  })
})

describe('smsText', () => {
  it('signs the text and ends a marketing one with the unsubscribe words; a service one without', () => {
    expect(smsText('您的积分即将到期', '好又多', 'marketing', 'zh-CN')).toBe('【好又多】您的积分即将到期回T退订')
    expect(smsText('Points expire soon.', 'Haoyouduo', 'marketing', 'en-US')).toBe('【Haoyouduo】Points expire soon. Reply T to unsubscribe')
    expect(smsText('您的礼品已到店', '好又多', 'service', 'zh-CN')).toBe('【好又多】您的礼品已到店')
  })

  it('takes a signature of 2 to 12 characters without brackets', () => {
    expect(signatureProblem('好又多')).toBeNull()
    expect(signatureProblem('好')).toContain('2 to 12')
    expect(signatureProblem('【好又多】')).toContain('brackets')
    expect(signatureProblem('一二三四五六七八九十一二三')).toContain('2 to 12')
  })
})

describe('couponFace', () => {
  it('names each kind of coupon as a Chinese and an English message would', () => {
    expect(couponFace({ kind: 'amount', value: 1000, minSpend: 0 }, 'zh-CN')).toBe('10元')
    expect(couponFace({ kind: 'amount', value: 1050, minSpend: 0 }, 'en-US')).toBe('¥10.5')
    expect(couponFace({ kind: 'threshold', value: 2000, minSpend: 10000 }, 'zh-CN')).toBe('满100减20')
    expect(couponFace({ kind: 'percent', value: 10, minSpend: 0 }, 'zh-CN')).toBe('9折')
    expect(couponFace({ kind: 'percent', value: 15, minSpend: 0 }, 'zh-CN')).toBe('8.5折')
    expect(couponFace({ kind: 'percent', value: 15, minSpend: 0 }, 'en-US')).toBe('15% off')
    expect(couponFace({ kind: 'points_multiplier', value: 200, minSpend: 0 }, 'zh-CN')).toBe('2倍积分')
    expect(couponFace({ kind: 'free_item', value: 1, minSpend: 0 }, 'zh-CN')).toBe('赠品')
    expect(yuanText(1005)).toBe('10.05')
    expect(yuanText(100000)).toBe('1000')
  })
})
