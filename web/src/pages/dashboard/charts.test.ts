import { describe, expect, it } from 'vitest'
import { membersByChannelOption, membersByStoreOption } from './charts.js'

describe('dashboard chart options', () => {
  it('lists stores smallest first (so the largest bar is on top) and names members without a store', () => {
    const option = membersByStoreOption(
      [{ storeName: '上海店', count: 30 }, { storeName: null, count: 5 }, { storeName: '北京店', count: 12 }],
      { unassigned: '未指定门店', members: '会员数' },
    )
    expect(option.yAxis.data).toEqual(['未指定门店', '北京店', '上海店'])
    expect(option.series[0]!.data).toEqual([5, 12, 30])
    expect(option.series[0]!.name).toBe('会员数')
  })

  it('labels channels through the given translation', () => {
    const option = membersByChannelOption([{ channel: 'till', count: 7 }, { channel: 'qr', count: 3 }], (c) => ({ till: '收银台', qr: '扫码' })[c] ?? c)
    expect(option.series[0]!.data).toEqual([{ name: '收银台', value: 7 }, { name: '扫码', value: 3 }])
  })
})
