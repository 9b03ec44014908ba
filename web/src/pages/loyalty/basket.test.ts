import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import { filledLines, toEarnTestBody } from './basket.js'

describe('the tester basket', () => {
  it('sends lines by department, category, brand or SKU in fen, with the rest paid in cash', () => {
    const body = toEarnTestBody({
      storeId: 'sto_1', at: dayjs('2026-05-01T10:00:00'), tierCode: 'gold', birthday: dayjs('1990-05-20'),
      lines: [
        { by: 'department', value: ' 饮料 ', amount: 100 },
        { by: 'sku', value: '6901', amount: 12.3 },
        { by: 'brand', value: '', amount: 5 },
        { by: 'category', value: '进口', amount: null },
      ],
      pointsPaid: 10, couponPaid: 2.3,
    }, 'Asia/Shanghai')
    expect(body).toEqual({
      storeId: 'sto_1', businessAt: '2026-05-01T02:00:00.000Z', tierCode: 'gold', birthday: '1990-05-20',
      lines: [{ department: '饮料', amount: 10000 }, { sku: '6901', amount: 1230 }],
      tenders: [{ kind: 'points', amount: 1000 }, { kind: 'coupon', amount: 230 }, { kind: 'cash', amount: 10000 }],
    })
  })

  it('leaves the time to the server (now) and the tier to the lowest when not chosen', () => {
    const body = toEarnTestBody({ storeId: 's', lines: [{ by: 'category', value: '进口', amount: 0 }] }, 'Asia/Shanghai')
    expect(body).toEqual({ storeId: 's', tierCode: null, birthday: null, lines: [{ category: '进口', amount: 0 }], tenders: [] })
  })

  it('keeps only lines with a name and an amount', () => {
    expect(filledLines([{ by: 'sku', value: 'a', amount: 1 }, { by: 'sku', value: ' ', amount: 1 }, { by: 'sku', value: 'b' }])).toHaveLength(1)
  })
})
