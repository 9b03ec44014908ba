import type { Policy } from './types.js'

// The policy form: the expiry's mode and its number are two fields.

export interface PolicyValues {
  pointValueFen: number
  maxPointsPaymentPct: number
  expiryMode: Policy['expiry']['mode']
  years: number
  months: number
  expiringNoticeDays: number
  tierBasis: Policy['tierBasis']
  tierGraceDays: number
}

export const toPolicyValues = (p: Policy): PolicyValues => ({
  pointValueFen: p.pointValueFen,
  maxPointsPaymentPct: p.maxPointsPaymentPct,
  expiryMode: p.expiry.mode,
  years: p.expiry.mode === 'calendar_years' ? p.expiry.years : 1,
  months: p.expiry.mode === 'rolling_months' ? p.expiry.months : 12,
  expiringNoticeDays: p.expiringNoticeDays,
  tierBasis: p.tierBasis,
  tierGraceDays: p.tierGraceDays,
})

export const toPolicy = (v: PolicyValues): Policy => ({
  pointValueFen: v.pointValueFen,
  maxPointsPaymentPct: v.maxPointsPaymentPct,
  expiry: v.expiryMode === 'calendar_years' ? { mode: 'calendar_years', years: v.years } : { mode: 'rolling_months', months: v.months },
  expiringNoticeDays: v.expiringNoticeDays,
  tierBasis: v.tierBasis,
  tierGraceDays: v.tierGraceDays,
})

/** The last day points earned on `date` (YYYY-MM-DD) can be used, as the server computes it. */
export const expiresOn = (expiry: Policy['expiry'], date: string): string => {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  if (expiry.mode === 'calendar_years') return `${year + expiry.years}-12-31`
  const total = year * 12 + (month - 1) + expiry.months
  const y = Math.floor(total / 12)
  const m = (total % 12) + 1
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return `${y}-${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`
}

/** The form field a server detail names: the expiry's one error goes on the number shown. */
export const policyFieldName = (field: string, mode: PolicyValues['expiryMode']): keyof PolicyValues | null => {
  if (field === 'expiry') return mode === 'calendar_years' ? 'years' : 'months'
  const known: Array<keyof PolicyValues> = ['pointValueFen', 'maxPointsPaymentPct', 'expiringNoticeDays', 'tierBasis', 'tierGraceDays']
  return (known as string[]).includes(field) ? (field as keyof PolicyValues) : null
}
