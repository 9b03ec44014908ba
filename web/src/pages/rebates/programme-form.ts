import type { Schemas } from '../../api/client.js'
import { fenToYuan, yuanToFen } from '../../shared/money.js'

// A rebate programme in the form. The API counts the basis in fen (spend) or points, and the
// rebate (a bracket's fixed part, the minimum) in fen (a coupon) or points; people type yuan for
// fen and percent for basis points.

export type Programme = Schemas['RebateProgramme']
export type ProgrammeBody = Omit<Programme, 'id' | 'status' | 'membersRewarded' | 'totalRebate' | 'pointValueFen' | 'createdBy' | 'createdAt' | 'updatedAt' | 'runAt' | 'runBy'>
export type Basis = Programme['basis']
export type Reward = Programme['reward']

export interface BracketRow {
  /** yuan of spend, or points */
  min: number | null
  /** percent: 1.5 = 150 basis points */
  ratePct: number | null
  /** yuan of coupon value, or points */
  fixed: number | null
}

export interface ProgrammeValues {
  name: string
  periodFrom: string
  periodTo: string
  basis: Basis
  reward: Reward
  couponTemplateId: string | null
  minRebate: number | null
  brackets: BracketRow[]
  /** percent per tier code; empty: the bracket's rate */
  tierRates: Record<string, number | null>
}

const basisToForm = (basis: Basis, n: number) => (basis === 'spend' ? fenToYuan(n) : n)
const basisFromForm = (basis: Basis, n: number) => (basis === 'spend' ? yuanToFen(n) : Math.round(n))
const rewardToForm = (reward: Reward, n: number) => (reward === 'coupon' ? fenToYuan(n) : n)
const rewardFromForm = (reward: Reward, n: number) => (reward === 'coupon' ? yuanToFen(n) : Math.round(n))
const pctToBp = (pct: number) => Math.round(Number((pct * 100).toFixed(4)))

export const toValues = (p: Programme): ProgrammeValues => ({
  name: p.name,
  periodFrom: p.periodFrom,
  periodTo: p.periodTo,
  basis: p.basis,
  reward: p.reward,
  couponTemplateId: p.couponTemplateId,
  minRebate: rewardToForm(p.reward, p.minRebate),
  brackets: p.brackets.map((b) => ({ min: basisToForm(p.basis, b.min), ratePct: b.rateBp / 100, fixed: rewardToForm(p.reward, b.fixed) })),
  tierRates: Object.fromEntries(Object.entries(p.tierRates ?? {}).map(([code, bp]) => [code, bp / 100])),
})

/** A new programme: last calendar year, 1% of spend from ¥1,000 as points. */
export const newValues = (today: string): ProgrammeValues => {
  const year = Number(today.slice(0, 4)) - 1
  return {
    name: '', periodFrom: `${year}-01-01`, periodTo: `${year}-12-31`, basis: 'spend', reward: 'points', couponTemplateId: null, minRebate: 0,
    brackets: [{ min: 1000, ratePct: 1, fixed: 0 }], tierRates: {},
  }
}

export const toBody = (v: ProgrammeValues): ProgrammeBody => {
  const rates = Object.entries(v.tierRates ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number' && !Number.isNaN(e[1]))
  return {
    name: v.name.trim(),
    periodFrom: v.periodFrom,
    periodTo: v.periodTo,
    basis: v.basis,
    reward: v.reward,
    couponTemplateId: v.reward === 'coupon' ? v.couponTemplateId ?? null : null,
    minRebate: rewardFromForm(v.reward, v.minRebate ?? 0),
    brackets: (v.brackets ?? []).map((b) => ({ min: basisFromForm(v.basis, b.min ?? 0), rateBp: pctToBp(b.ratePct ?? 0), fixed: rewardFromForm(v.reward, b.fixed ?? 0) })),
    tierRates: rates.length ? Object.fromEntries(rates.map(([code, pct]) => [code, pctToBp(pct)])) : null,
  }
}

/**
 * A server field (`brackets.1.rateBp`, `tierRates.gold`) as the form's name path. Dates name the
 * period; rates and amounts their row's field.
 */
export const formField = (field: string): Array<string | number> => {
  const parts = field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
  if (parts[0] === 'periodFrom' || parts[0] === 'periodTo') return ['period']
  if (parts[0] === 'brackets' && parts[2] === 'rateBp') return ['brackets', parts[1]!, 'ratePct']
  return parts
}
