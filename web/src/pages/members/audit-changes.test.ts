import { describe, expect, it } from 'vitest'
import i18n from '../../i18n/index.js'
import { describeChanges } from './audit-changes.js'

const t = i18n.getFixedT('zh-CN', 'members')
const tc = i18n.getFixedT('zh-CN')

describe('audit changes as lines', () => {
  it('names changed fields, hides redacted values and translates enum values', () => {
    expect(describeChanges(t, tc, 'member.update', {
      phone: { from: '[redacted]', to: '[redacted]' },
      occupation: { from: null, to: 'retired' },
      district: { from: '罗湖区', to: '福田区' },
    })).toEqual(['手机号: （已隐去） → （已隐去）', '职业: — → 退休', '所在区县: 罗湖区 → 福田区'])
  })

  it('reads a consent change and a registration by their own channel kinds', () => {
    expect(describeChanges(t, tc, 'member.consent.grant', { channel: 'sms', granted: true, source: 'staff:cashier' }))
      .toEqual(['渠道: 短信', '同意: 是', '来源: 员工（收银员）'])
    expect(describeChanges(t, tc, 'member.register', { channel: 'qr', consents: { sms: true, email: false } }))
      .toEqual(['渠道: 扫码自助', '授权: 短信 是，邮件 否'])
  })

  it('shows unknown keys and values as they are', () => {
    expect(describeChanges(t, tc, 'member.something', { weird: 'x' })).toEqual(['weird: x'])
    expect(describeChanges(t, tc, 'member.update', null)).toEqual([])
  })
})
