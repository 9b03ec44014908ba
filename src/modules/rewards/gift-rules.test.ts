import { describe, expect, it } from 'vitest'
import { checkGift, decodePicture, MAX_PICTURE_BYTES, newOrderNo, pictureTypeOf, redeemBlock, stockLocation, validityOn, type GiftInput } from './gift-rules.js'

const PNG = /* a real 1×1 PNG */ Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16])
const WEBP = Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')
const GIF = Buffer.from('GIF89a\x01\x00', 'latin1')

describe('pictureTypeOf', () => {
  it.each([
    ['a PNG', PNG, 'image/png'],
    ['a JPEG', JPEG, 'image/jpeg'],
    ['a WebP', WEBP, 'image/webp'],
    ['a GIF', GIF, null],
    ['a RIFF that is not WebP', Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'), null],
    ['text', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ['nothing', Buffer.alloc(0), null],
  ])('tells %s by its content', async (_label, bytes, type) => {
    expect(await pictureTypeOf(bytes)).toBe(type)
  })
})

describe('decodePicture', () => {
  it('reads base64 and data: URLs', async () => {
    expect(await decodePicture(PNG.toString('base64'))).toMatchObject({ type: 'image/png' })
    expect(await decodePicture(`data:image/jpeg;base64,${JPEG.toString('base64')}`)).toMatchObject({ type: 'image/jpeg', bytes: JPEG })
  })

  it.each([
    ['not base64', '!!!!', 'invalid'],
    ['empty', '', 'invalid'],
    ['a GIF', GIF.toString('base64'), 'invalid'],
    ['over 1 MiB', Buffer.concat([PNG, Buffer.alloc(MAX_PICTURE_BYTES)]).toString('base64'), 'too_large'],
  ])('refuses %s', async (_label, data, problem) => {
    expect(await decodePicture(data)).toEqual({ problem })
  })

  it('takes exactly 1 MiB', async () => {
    expect(await decodePicture(Buffer.concat([PNG, Buffer.alloc(MAX_PICTURE_BYTES - PNG.length)]).toString('base64'))).toMatchObject({ type: 'image/png' })
  })
})

describe('checkGift', () => {
  const ok: GiftInput = { name: '保温杯', pointsPrice: 1000, cashPrice: 0, stockMode: 'central', pickupDays: 7 }
  it('accepts a plain gift', () => {
    expect(checkGift(ok, ['silver'])).toEqual([])
  })
  it.each([
    ['a blank name', { name: '  ' }, 'name'],
    ['points in fractions', { pointsPrice: 1.5 }, 'pointsPrice'],
    ['a free gift', { pointsPrice: 0, cashPrice: 0 }, 'pointsPrice'],
    ['negative cash', { cashPrice: -1 }, 'cashPrice'],
    ['an unknown stock mode', { stockMode: 'warehouse' }, 'stockMode'],
    ['a bad date', { validFrom: '2026-02-30' }, 'validFrom'],
    ['an end before the start', { validFrom: '2026-05-01', validTo: '2026-04-30' }, 'validTo'],
    ['a zero limit', { perMemberLimit: 0 }, 'perMemberLimit'],
    ['an unknown tier', { minTier: 'platinum' }, 'minTier'],
    ['no pick-up days', { pickupDays: 0 }, 'pickupDays'],
    ['a huge points price', { pointsPrice: 1e12 }, 'pointsPrice'],
  ])('refuses %s', (_label, patch, field) => {
    expect(checkGift({ ...ok, ...patch } as GiftInput, ['silver']).map((d) => d.field)).toContain(field)
  })
})

describe('validityOn', () => {
  it.each([
    [null, null, '2026-03-02', 'valid'],
    ['2026-03-02', '2026-03-02', '2026-03-02', 'valid'],
    ['2026-03-03', null, '2026-03-02', 'early'],
    [null, '2026-03-01', '2026-03-02', 'ended'],
  ])('from %s to %s on %s is %s', (from, to, today, expected) => {
    expect(validityOn({ valid_from: from, valid_to: to }, today)).toBe(expected)
  })
})

describe('redeemBlock', () => {
  const tiers = [{ code: 'normal', rank: 1 }, { code: 'gold', rank: 3 }]
  const base = {
    gift: { status: 'active' as const, valid_from: null, valid_to: null, min_tier: null, per_member_limit: null, points_price: 500 },
    today: '2026-03-02', tiers, memberTier: 'normal', redeemed: 0, available: 3, spendable: 1000,
  }
  it.each([
    ['nothing in the way', {}, null],
    ['an inactive gift', { gift: { ...base.gift, status: 'inactive' as const } }, 'inactive'],
    ['an ended gift', { gift: { ...base.gift, valid_to: '2026-03-01' } }, 'not_valid'],
    ['a tier too low', { gift: { ...base.gift, min_tier: 'gold' } }, 'tier'],
    ['the limit reached', { gift: { ...base.gift, per_member_limit: 2 }, redeemed: 2 }, 'limit'],
    ['two more than the limit leaves', { gift: { ...base.gift, per_member_limit: 2 }, redeemed: 1, quantity: 2 }, 'limit'],
    ['no stock', { available: 0 }, 'stock'],
    ['too few points', { spendable: 499 }, 'points'],
    ['too few points for three', { quantity: 3 }, 'points'],
  ])('with %s: %s', (_label, patch, expected) => {
    expect(redeemBlock({ ...base, ...patch })).toBe(expected)
  })
})

describe('orders', () => {
  it('numbers orders G and nine symbols, and takes stock centrally or at the pick-up store', () => {
    expect(newOrderNo()).toMatch(/^G[0-9A-HJKMNP-TV-Z]{9}$/)
    expect(stockLocation('central', 'sto_1')).toBe('central')
    expect(stockLocation('per_store', 'sto_1')).toBe('sto_1')
  })
})
