import { beforeAll, describe, expect, it } from 'vitest'
import { translator } from '../../i18n/test-translator.js'
import { translateReceiptReason } from './reasons.js'

let zh: Awaited<ReturnType<typeof translator<'imports', 'receipts'>>>
beforeAll(async () => {
  zh = await translator('imports', 'zh-CN', 'receipts')
})

describe('receipt import reasons', () => {
  it.each([
    ['no store with this code', '没有此编码的门店'],
    ['not a date-time (YYYY-MM-DD HH:MM[:SS], or ISO-8601 with a zone)', '不是日期时间（YYYY-MM-DD HH:MM[:SS]，或带时区的 ISO-8601）'],
    ['no member with this card number; receipt not posted', '没有此会员卡号的会员，小票未入账'],
    ['no member with this external code (--create-members registers them); receipt not posted', '没有此原系统会员编号的会员，小票未入账'],
    ['longer than 32 characters', '超过 32 个字符'],
    ['something new', 'something new'],
  ])('%s', (reason, text) => {
    expect(translateReceiptReason(zh, reason)).toBe(text)
  })
})
