import { beforeAll, describe, expect, it } from 'vitest'
import { translateLoyaltyReason } from './reasons.js'
import { translator } from './test-i18n.js'

let zh: Awaited<ReturnType<typeof translator>>
let en: Awaited<ReturnType<typeof translator>>
beforeAll(async () => {
  zh = await translator('zh-CN')
  en = await translator('en-US')
})

describe('loyalty validation reasons', () => {
  it.each([
    ['a higher rank needs a higher threshold', '级别越高，升级门槛须越高'],
    ['a whole number of fen (or points) from 0', '须为不小于 0 的整数'],
    ['a factor above 0 and at most 100 (2 = double points)', '倍数须大于 0 且不超过 100'],
    ['a new version must start after the current one (2026-03-01T16:00:00.000Z)', '新版本的生效时间须晚于当前版本（2026-03-02 00:00）'],
    ['something else', 'something else'],
  ])('%s', (reason, text) => {
    expect(translateLoyaltyReason(zh, reason, 'Asia/Shanghai')).toBe(text)
  })

  it('has an English text for each', () => {
    expect(translateLoyaltyReason(en, 'ranks must be unique', 'Asia/Shanghai')).toBe('Each tier needs its own rank')
  })
})
