import { describe, expect, it } from 'vitest'
import { acceptedCoupons, addCouponCode, couponTenders, isCouponScan, MAX_COUPONS, normalizeCouponCode, offeredCoupons, removeCouponCode } from './coupons.js'
import type { Quote } from './types.js'

const outcome = (code: string, ok: boolean, discount = 0): Quote['coupons'][number] => ({
  code, ok, templateId: 'cpt_1', name: '满50减10', kind: ok ? 'threshold' : null, discount, bonusPoints: 0, refusal: ok ? null : 'below_threshold', reason: ok ? null : 'below', facts: ok ? null : { have: 4000, need: 5000 },
})

describe('coupon codes at the till', () => {
  it.each([
    ['ABCD EFGH JKLM NPQR', 'ABCDEFGHJKLMNPQR'],
    ['abcd-efgh-jklm-npqr', 'ABCDEFGHJKLMNPQR'],
    ['PATRON:CPN:ABCDEFGHJKLMNPQR', 'ABCDEFGHJKLMNPQR'],
    [' patron:cpn:abcdefghjklmnpqr ', 'ABCDEFGHJKLMNPQR'],
  ])('%j is the code %s', (raw, code) => expect(normalizeCouponCode(raw)).toBe(code))

  it.each([['PATRON:CPN:ABCD', true], ['patron:cpn:abcd', true], ['PATRON:8000000000000001', false], ['6901234567890', false]])('%j is a coupon scan: %s', (raw, yes) => {
    expect(isCouponScan(raw)).toBe(yes)
  })

  it('adds codes in order, once each, up to the limit', () => {
    const one = addCouponCode([], 'PATRON:CPN:AAAA')
    expect(one).toEqual({ codes: ['AAAA'], problem: null })
    expect(addCouponCode(one.codes, 'aaaa')).toEqual({ codes: ['AAAA'], problem: 'duplicate' })
    expect(addCouponCode(one.codes, 'BBBB').codes).toEqual(['AAAA', 'BBBB'])
    expect(addCouponCode(one.codes, '  ').problem).toBe('empty')
    const full = Array.from({ length: MAX_COUPONS }, (_, i) => `C${i}`)
    expect(addCouponCode(full, 'ONEMORE')).toEqual({ codes: full, problem: 'tooMany' })
    expect(removeCouponCode(['AAAA', 'BBBB'], 'AAAA')).toEqual(['BBBB'])
  })
})

describe('coupons into the sale', () => {
  it('sends the accepted coupons as tenders and leaves the refused ones out', () => {
    const accepted = acceptedCoupons({ coupons: [outcome('AAAA', true, 1000), outcome('BBBB', false), outcome('MULT', true, 0)] })
    expect(couponTenders(accepted)).toEqual([
      { kind: 'coupon', amount: 1000, reference: 'AAAA' },
      { kind: 'coupon', amount: 0, reference: 'MULT' },
    ])
  })

  it('offers the member coupons not applied yet', () => {
    const usable = [{ ...outcome('AAAA', true, 1000), validTo: '2026-12-31' }, { ...outcome('BBBB', false), validTo: '2026-12-31' }]
    expect(offeredCoupons({ usableCoupons: usable }, ['AAAA']).map((c) => c.code)).toEqual(['BBBB'])
  })
})
