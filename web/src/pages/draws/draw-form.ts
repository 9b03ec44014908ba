import type { Dayjs } from 'dayjs'
import type { Schemas } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import { fenToYuan, optionalYuanToFen } from '../../shared/money.js'
import { fromZoneWallTime, nowInZone, toZoneWallTime } from '../loyalty/zone-time.js'

// The draw form's values and the API's body, both ways, and what the pages show of a draw.

export type Draw = Schemas['Draw']
export type DrawEntry = Schemas['DrawEntry']
export type Prize = Draw['prizes'][number]
export type PrizeKind = Prize['kind']
export type DrawBody = paths['/api/v1/draws']['post']['requestBody']['content']['application/json']
export type DrawReport = paths['/api/v1/draws/{id}/report']['get']['responses']['200']['content']['application/json']

export const PRIZE_KINDS: PrizeKind[] = ['points', 'coupon', 'gift']

export interface PrizeRow {
  name?: string
  kind: PrizeKind
  couponTemplateId?: string | null
  points?: number | null
  giftId?: string | null
  stock?: number | null
  weight?: number | null
}

/** Field names follow the API's, so its field errors land on them; money is in yuan here. */
export interface DrawFormValues {
  name: string
  description?: string | null
  startsAt: Dayjs
  endsAt: Dayjs
  entryPoints: number
  freeTiers?: string[]
  /** yuan */
  freeMinSpend?: number | null
  perMemberLimit?: number | null
  perDayLimit?: number | null
  noPrizeWeight: number
  /** 1-based position of the fallback prize; 0 = no prize */
  fallbackPrize: number
  prizes: PrizeRow[]
}

const orNull = (n: number | null | undefined): number | null => (n === undefined || n === null || Number.isNaN(n) ? null : n)

export const newPrize = (kind: PrizeKind = 'points'): PrizeRow => ({ kind, name: '', stock: 10, weight: 1, points: kind === 'points' ? 100 : null })

/** A new draw's form: from now for 30 days, 100 points an entry, one prize in ten. */
export const emptyDraw = (tz: string, now = new Date()): DrawFormValues => {
  const start = nowInZone(tz, now)
  return {
    name: '', description: null, startsAt: start, endsAt: start.add(30, 'day'), entryPoints: 100, freeTiers: [], freeMinSpend: null,
    perMemberLimit: null, perDayLimit: null, noPrizeWeight: 90, fallbackPrize: 0, prizes: [{ ...newPrize('points'), weight: 10 }],
  }
}

export const toFormValues = (draw: Draw, tz: string): DrawFormValues => ({
  name: draw.name,
  description: draw.description,
  startsAt: toZoneWallTime(draw.startsAt, tz),
  endsAt: toZoneWallTime(draw.endsAt, tz),
  entryPoints: draw.entryPoints,
  freeTiers: draw.freeTiers,
  freeMinSpend: draw.freeMinSpend === null ? null : fenToYuan(draw.freeMinSpend),
  perMemberLimit: draw.perMemberLimit,
  perDayLimit: draw.perDayLimit,
  noPrizeWeight: draw.noPrizeWeight,
  fallbackPrize: draw.prizes.find((p) => p.id === draw.fallbackPrizeId)?.seq ?? 0,
  prizes: draw.prizes.map((p) => ({ name: p.name, kind: p.kind, couponTemplateId: p.couponTemplateId, points: p.points, giftId: p.giftId, stock: p.stock, weight: p.weight })),
})

export const toDrawBody = (v: DrawFormValues, tz: string): DrawBody => ({
  name: v.name.trim(),
  description: v.description?.trim() || null,
  startsAt: fromZoneWallTime(v.startsAt, tz),
  endsAt: fromZoneWallTime(v.endsAt, tz),
  entryPoints: v.entryPoints ?? 0,
  freeTiers: v.freeTiers?.length ? v.freeTiers : null,
  freeMinSpend: optionalYuanToFen(v.freeMinSpend),
  perMemberLimit: orNull(v.perMemberLimit),
  perDayLimit: orNull(v.perDayLimit),
  noPrizeWeight: v.noPrizeWeight ?? 0,
  fallbackPrize: v.fallbackPrize ? v.fallbackPrize : null,
  prizes: (v.prizes ?? []).map((p) => ({
    name: (p.name ?? '').trim(),
    kind: p.kind,
    couponTemplateId: p.kind === 'coupon' ? p.couponTemplateId ?? null : null,
    points: p.kind === 'points' ? orNull(p.points) : null,
    giftId: p.kind === 'gift' ? p.giftId ?? null : null,
    stock: p.stock ?? 0,
    weight: p.weight ?? 0,
  })),
})

/** Each prize's chance and the no-prize chance, in percent, as the form is being filled. */
export const chances = (prizes: ReadonlyArray<{ weight?: number | null } | undefined>, noPrizeWeight: number | null | undefined): { prizes: number[]; noPrize: number } => {
  const weights = prizes.map((p) => Math.max(0, p?.weight ?? 0))
  const none = Math.max(0, noPrizeWeight ?? 0)
  const total = weights.reduce((a, w) => a + w, none)
  const pct = (w: number) => (total === 0 ? 0 : Math.round((w / total) * 10_000) / 100)
  return { prizes: weights.map(pct), noPrize: pct(none) }
}

export type DrawPhase = 'draft' | 'scheduled' | 'open' | 'ended' | 'closed'

/** Where a draw stands for people: an active draw is scheduled, open or over by its window. */
export const drawPhase = (draw: Pick<Draw, 'status' | 'startsAt' | 'endsAt'>, now: Date): DrawPhase => {
  if (draw.status !== 'active') return draw.status
  if (now.getTime() < Date.parse(draw.startsAt)) return 'scheduled'
  if (now.getTime() >= Date.parse(draw.endsAt)) return 'ended'
  return 'open'
}

export const PHASE_COLORS: Record<DrawPhase, string> = { draft: 'default', scheduled: 'blue', open: 'green', ended: 'orange', closed: 'default' }
