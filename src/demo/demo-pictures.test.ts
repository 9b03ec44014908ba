import { describe, expect, it } from 'vitest'
import { decodePicture } from '../modules/rewards/gift-rules.js'
import { giftPicture } from './demo-pictures.js'

describe('demo gift pictures', () => {
  it('are PNGs the gift pictures accept, the same for the same name and different between gifts', async () => {
    const cup = giftPicture('不锈钢保温杯 500ml')
    expect(await decodePicture(cup.toString('base64'))).toMatchObject({ type: 'image/png' })
    expect(giftPicture('不锈钢保温杯 500ml').equals(cup)).toBe(true)
    expect(giftPicture('环保购物袋').equals(cup)).toBe(false)
    expect(cup.length).toBeLessThan(4096)
    // 96 × 96, 8-bit RGB
    expect(cup.readUInt32BE(16)).toBe(96)
    expect(cup.readUInt32BE(20)).toBe(96)
    expect([cup[24], cup[25]]).toEqual([8, 2])
  })
})
