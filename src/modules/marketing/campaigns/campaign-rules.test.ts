import { describe, expect, it } from 'vitest'
import { readCsvGz } from '../../../../test/real-data/csv.js'
import { chainHoldoutBound, inChainHoldout, nextDue, quietUntil, uplift, type GroupFigures } from './campaign-rules.js'

const TZ = 'Asia/Shanghai'

describe('quiet hours', () => {
  it.each([
    // [UTC instant, start, end, the end of the quiet hours or null]
    ['2026-03-02T13:00:00.000Z', '21:00', '08:00', '2026-03-03T00:00:00.000Z'], // 21:00 local: quiet until 08:00
    ['2026-03-02T12:59:00.000Z', '21:00', '08:00', null], // 20:59 local
    ['2026-03-02T15:30:00.000Z', '21:00', '08:00', '2026-03-03T00:00:00.000Z'], // 23:30 local → 08:00 next day
    ['2026-03-02T18:00:00.000Z', '21:00', '08:00', '2026-03-03T00:00:00.000Z'], // 02:00 local (after midnight) → 08:00 same day
    ['2026-03-03T00:00:00.000Z', '21:00', '08:00', null], // 08:00 local: the end is not quiet
    ['2026-03-02T04:30:00.000Z', '12:00', '14:00', '2026-03-02T06:00:00.000Z'], // a window inside one day
    ['2026-03-02T04:30:00.000Z', '09:00', '09:00', null], // no quiet hours
  ])('%s in %s–%s', (at, start, end, until) => {
    expect(quietUntil(new Date(at), TZ, start, end)?.toISOString() ?? null).toBe(until)
  })
})

describe('recurrence', () => {
  it.each([
    ['daily', '2026-03-02T02:00:00.000Z', '2026-03-02T02:00:00.000Z', '2026-03-03T02:00:00.000Z'],
    ['daily', '2026-03-02T02:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-03-02T02:00:00.000Z'],
    ['weekly', '2026-03-02T02:00:00.000Z', '2026-03-10T00:00:00.000Z', '2026-03-16T02:00:00.000Z'],
    // 31 January, 10:00 local, monthly: the last day of February, then 31 March.
    ['monthly', '2026-01-31T02:00:00.000Z', '2026-01-31T02:00:00.000Z', '2026-02-28T02:00:00.000Z'],
    ['monthly', '2026-01-31T02:00:00.000Z', '2026-02-28T02:00:00.000Z', '2026-03-31T02:00:00.000Z'],
    // Local 00:30 on the 1st (the day before in UTC) stays local 00:30 on the 1st.
    ['monthly', '2026-02-28T16:30:00.000Z', '2026-03-01T00:00:00.000Z', '2026-03-31T16:30:00.000Z'],
    ['daily', '2020-01-01T02:00:00.000Z', '2026-03-02T03:00:00.000Z', '2026-03-03T02:00:00.000Z'],
  ] as const)('%s from %s after %s', (recurrence, first, after, next) => {
    expect(nextDue(first, recurrence, new Date(after), TZ).toISOString()).toBe(next)
  })
})

describe('the chain-wide holdout', () => {
  it('is a stable share of members by the random end of their ids', () => {
    expect(chainHoldoutBound(0)).toBeNull()
    expect(chainHoldoutBound(50)).toBe('g0') // 512 of 1,024 buckets: 16 × 32
    const ids = Array.from({ length: 20_000 }, (_, i) => `mem_${(i * 7919 % 1024).toString(32).padStart(2, '0')}`)
    const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'
    const crockford = ids.map((id) => `mem_${[...id.slice(4)].map((c) => alphabet[parseInt(c, 32)]).join('')}`)
    const share = crockford.filter((id) => inChainHoldout(id, 10)).length / crockford.length
    expect(share).toBeGreaterThan(0.095)
    expect(share).toBeLessThan(0.105)
    expect(inChainHoldout('mem_01jxq3m5v0aaaaaaaaaaaaaa00', 5)).toBe(true)
    expect(inChainHoldout('mem_01jxq3m5v0aaaaaaaaaaaaaazz', 20)).toBe(false)
  })
})

/** Independent: per-member values, two-pass sample variance, the normal quantile of 97.5%. */
const plainUplift = (t: number[], h: number[]) => {
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length
  const sampleVar = (x: number[]) => { const m = mean(x); return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1) }
  const diff = mean(t) - mean(h)
  const se = Math.sqrt(sampleVar(t) / t.length + sampleVar(h) / h.length)
  return { inc: diff * t.length, low: (diff - 1.96 * se) * t.length, high: (diff + 1.96 * se) * t.length }
}
const figures = (x: number[]): GroupFigures => ({ members: x.length, buyers: x.filter((v) => v > 0).length, sales: x.reduce((a, b) => a + b, 0), salesSquares: x.reduce((a, b) => a + b * b, 0) })

describe('uplift against a holdout', () => {
  it('is the difference of means times the targets, with Welch\'s 95% interval', () => {
    const t = [0, 0, 5000, 12000, 0, 3000]
    const h = [0, 4000, 0, 0]
    const u = uplift(figures(t), figures(h))
    const p = plainUplift(t, h)
    expect(u.incrementalSales).toBe(Math.round(p.inc))
    expect(Math.abs(u.incrementalLow! - p.low)).toBeLessThan((p.high - p.low) * 1e-4 + 1)
    expect(Math.abs(u.incrementalHigh! - p.high)).toBeLessThan((p.high - p.low) * 1e-4 + 1)
    expect(u.buyRateTarget).toBeCloseTo(3 / 6)
    expect(uplift(figures(t), figures([]))).toMatchObject({ incrementalSales: null, incrementalLow: null })
  })

  // The Complete Journey (84.51°): the households one campaign reached against the households it did
  // not, their spend in the campaign's weeks — a real spread of sales (many zeros, a long tail).
  it('matches a plain computation on real campaign recipients (Complete Journey)', () => {
    const campaigns = readCsvGz('complete_journey_8451/campaigns.csv.gz')
    const descriptions = readCsvGz('complete_journey_8451/campaign_descriptions.csv.gz')
    const tx = readCsvGz('complete_journey_8451/transactions_sample.csv.gz')
    const [cid, start, end] = (() => {
      const c = descriptions.rows.find((r) => r[descriptions.col('campaign_id')] === '18') ?? descriptions.rows[0]!
      return [c[descriptions.col('campaign_id')]!, c[descriptions.col('start_date')]!, c[descriptions.col('end_date')]!]
    })()
    const reached = new Set(campaigns.rows.filter((r) => r[campaigns.col('campaign_id')] === cid).map((r) => r[campaigns.col('household_id')]!))
    const spend = new Map<string, number>()
    const hh = tx.col('household_id')
    const ts = tx.col('transaction_timestamp')
    const sv = tx.col('sales_value')
    for (const r of tx.rows) {
      spend.set(r[hh]!, spend.get(r[hh]!) ?? 0)
      const day = r[ts]!.slice(0, 10)
      if (day >= start && day <= end) spend.set(r[hh]!, spend.get(r[hh]!)! + Math.round(Number(r[sv]) * 100))
    }
    const t = [...spend].filter(([k]) => reached.has(k)).map(([, v]) => v)
    const h = [...spend].filter(([k]) => !reached.has(k)).map(([, v]) => v)
    expect(t.length).toBeGreaterThan(100)
    expect(h.length).toBeGreaterThan(100)
    const u = uplift(figures(t), figures(h))
    const p = plainUplift(t, h)
    expect(u.incrementalSales).toBe(Math.round(p.inc))
    // 1.959964 against 1.96: the bounds agree to 0.01% of the interval's width.
    const width = p.high - p.low
    expect(Math.abs(u.incrementalLow! - p.low)).toBeLessThan(width * 1e-4 + 1)
    expect(Math.abs(u.incrementalHigh! - p.high)).toBeLessThan(width * 1e-4 + 1)
    expect(u.buyRateTarget).toBeCloseTo(t.filter((v) => v > 0).length / t.length, 12)
  })
})
