import type { Db } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import { assertCan } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { badRequest, type ErrorDetail } from '../../../shared/errors.js'
import { scopeWithFilter, type Scope } from '../../../shared/scope.js'
import { dateIn, isLocalDate } from '../../../shared/time.js'
import type { AuditService } from '../../audit/index.js'
import { LEVELS, LIFECYCLE_STAGES, QUADRANTS, RFM_CLASSES, type LifecycleStage, type Level, type Quadrant, type RfmClass } from '../insight/insight.table.js'
import { checkSettings, INSIGHT_CUTS_KEY, INSIGHT_SETTINGS_KEY, mergeSettings, type InsightCuts, type InsightSettings, type LevelCuts } from './classes-settings.js'
import { addDays, parseCuts, parseSettings } from './classify.js'
import * as counts from './class-counts.repository.js'
import * as repo from './classes.repository.js'

export interface ScopeFilter {
  storeId?: string
  regionId?: string
}

interface ScopeEcho {
  asOf: string | null
  storeId: string | null
  regionId: string | null
}

export interface SettingsView {
  settings: InsightSettings
  /** the thresholds of the last full refresh (null before the first) */
  cuts: InsightCuts | null
}

export interface RfmView extends ScopeEcho {
  cuts: InsightCuts['rfm'] | null
  members: number
  scored: number
  spend: number
  matrix: Array<{ r: number; f: number; members: number; avgMonetary: number }>
  scores: Record<'r' | 'f' | 'm', Array<{ score: number; members: number }>>
  classes: Array<{
    class: RfmClass; members: number; spend: number; memberShare: number; spendShare: number
    avgRecencyDays: number | null; avgFrequency: number | null; avgMonetary: number | null
  }>
}

export interface QuadrantsView extends ScopeEcho {
  thresholds: InsightCuts['quadrant'] | null
  windowDays: number | null
  members: number
  spend: number
  quadrants: Array<{ quadrant: Quadrant; members: number; spend: number; memberShare: number; spendShare: number; avgSpend: number }>
}

export interface ParetoInput extends ScopeFilter {
  from?: string
  to?: string
  basis?: 'net' | 'gross'
}

export interface ParetoView {
  from: string
  to: string
  basis: 'net' | 'gross'
  storeId: string | null
  regionId: string | null
  members: number
  spend: number
  top20Members: number
  top20Share: number
  membersFor80: number
  memberShareFor80: number
  points: Array<{ memberPct: number; members: number; spendShare: number }>
}

type LevelKey = Level | 'none'
export interface DistributionsView extends ScopeEcho {
  members: number
  thresholds: { frequency: LevelCuts | null; amount: LevelCuts | null }
  frequencyAmount: Array<{ frequency: LevelKey; amount: LevelKey; members: number; spend: number }>
  departments: Array<{ department: string; members: number; spend: number; memberShare: number }>
  categories: Array<{ category: string; members: number; spend: number; memberShare: number }>
  ageGender: Array<{ ageBand: string; gender: string; members: number; spend: number }>
}

export interface LifecycleView extends ScopeEcho {
  members: number
  thresholds: InsightCuts['lifecycle'] | null
  stages: Array<{ stage: LifecycleStage; members: number; share: number }>
  trend: Array<{ month: string; stage: LifecycleStage; members: number }>
  flows: Array<{ month: string; from: LifecycleStage; to: LifecycleStage; members: number }>
}

export interface ClassesDeps {
  db: Db
  clock: Clock
  timezone: string
  audit?: AuditService
}

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0)
const avg = (sum: number, n: number, digits = 1) => (n > 0 ? Math.round((sum / n) * 10 ** digits) / 10 ** digits : null)
/** The settings as the audit log keeps a change: one plain value per threshold (null: derived). */
const flatSettings = (s: InsightSettings): Record<string, unknown> => ({
  windowDays: s.windowDays,
  rfmMethod: s.rfm.method, rfmRecencyCuts: s.rfm.fixed?.r ?? null, rfmFrequencyCuts: s.rfm.fixed?.f ?? null, rfmMonetaryCuts: s.rfm.fixed?.m ?? null,
  incomeThreshold: s.quadrant.incomeThreshold, spendThreshold: s.quadrant.spendThreshold,
  frequencyMethod: s.frequency.method, frequencyMid: s.frequency.mid, frequencyHigh: s.frequency.high,
  amountMethod: s.amount.method, amountMid: s.amount.mid, amountHigh: s.amount.high,
  newDays: s.lifecycle.newDays, dormantDays: s.lifecycle.dormantDays, lostDays: s.lifecycle.lostDays,
  clvHorizonMonths: s.clv.horizonMonths, clvDiscountRate: s.clv.discountRate,
})
const AGE_ORDER = ['<18', '18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'unknown']
const PARETO_MAX_DAYS = 3660

export const createClassesService = ({ db, clock, timezone, audit }: ClassesDeps) => {
  const readSettings = async () => parseSettings(await repo.findMetaValue(db, INSIGHT_SETTINGS_KEY))
  const readCuts = async () => parseCuts(await repo.findMetaValue(db, INSIGHT_CUTS_KEY))

  /** The actor's scope narrowed by ?storeId= and ?regionId= (a region is its stores). */
  const scopeFor = async (actor: Actor, filter: ScopeFilter): Promise<{ scope: Scope; storeId: string | null; regionId: string | null }> => {
    let scope = scopeWithFilter(actor, filter.storeId)
    if (filter.regionId) {
      const stores = await repo.storeIdsOfRegion(db, filter.regionId)
      if (stores === null) throw badRequest('VALIDATION', [{ field: 'regionId', reason: 'no such region' }])
      const ids = scope.kind === 'chain' ? stores : scope.storeIds.filter((s) => stores.includes(s))
      scope = { kind: 'stores', storeIds: ids, regionId: filter.regionId }
    }
    // What the figures are of: the store or region asked for, else a store role's store or a region manager's region.
    const own = scope.kind === 'stores' && !filter.regionId ? scope : null
    return { scope, storeId: filter.storeId ?? (own && !own.regionId ? own.storeIds[0] ?? null : null), regionId: filter.regionId ?? own?.regionId ?? null }
  }

  const getSettings = async (actor: Actor): Promise<SettingsView> => {
    assertCan(actor, 'insight.read')
    return { settings: await readSettings(), cuts: await readCuts() }
  }

  /** HQ changes the settings; the next full refresh applies them. Nothing changes on bad input. */
  const updateSettings = async (actor: Actor, input: Partial<InsightSettings>): Promise<SettingsView> => {
    assertCan(actor, 'insight.manage')
    const before = await readSettings()
    const next = mergeSettings(before, input)
    const details: ErrorDetail[] = checkSettings(next)
    if (details.length) throw badRequest('VALIDATION', details)
    await db.transaction().execute(async (trx) => {
      await repo.saveMetaValue(trx, INSIGHT_SETTINGS_KEY, JSON.stringify(next))
      const was = flatSettings(before)
      const now = flatSettings(next)
      const changes = Object.fromEntries(Object.keys(now).filter((k) => JSON.stringify(now[k]) !== JSON.stringify(was[k])).map((k) => [k, { from: was[k], to: now[k] }]))
      await audit?.record(trx, actor, { action: 'insight_settings.update', entityType: 'insight_settings', changes })
    })
    return { settings: next, cuts: await readCuts() }
  }

  const rfm = async (actor: Actor, filter: ScopeFilter): Promise<RfmView> => {
    assertCan(actor, 'insight.read')
    const { scope, storeId, regionId } = await scopeFor(actor, filter)
    const [groups, cuts, asOf] = await Promise.all([counts.rfmGroups(db, scope), readCuts(), repo.insightAsOf(db)])
    const scoredGroups = groups.filter((g) => g.r !== null && g.f !== null && g.m !== null)
    const members = groups.reduce((s, g) => s + g.members, 0)
    const scored = scoredGroups.reduce((s, g) => s + g.members, 0)
    const spend = scoredGroups.reduce((s, g) => s + g.spend, 0)
    const matrix: RfmView['matrix'] = []
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const cell = scoredGroups.filter((g) => g.r === r && g.f === f)
        const n = cell.reduce((s, g) => s + g.members, 0)
        matrix.push({ r, f, members: n, avgMonetary: n > 0 ? Math.round(cell.reduce((s, g) => s + g.spend, 0) / n) : 0 })
      }
    }
    const scores = Object.fromEntries((['r', 'f', 'm'] as const).map((k) => [k, [1, 2, 3, 4, 5].map((score) => ({
      score, members: scoredGroups.filter((g) => g[k] === score).reduce((s, g) => s + g.members, 0),
    }))])) as RfmView['scores']
    const classes = RFM_CLASSES.map((cls) => {
      const gs = scoredGroups.filter((g) => g.rfmClass === cls)
      const n = gs.reduce((s, g) => s + g.members, 0)
      const sp = gs.reduce((s, g) => s + g.spend, 0)
      return {
        class: cls, members: n, spend: sp, memberShare: share(n, scored), spendShare: share(sp, spend),
        avgRecencyDays: avg(gs.reduce((s, g) => s + g.recency, 0), n),
        avgFrequency: avg(gs.reduce((s, g) => s + g.receipts, 0), n, 2),
        avgMonetary: n > 0 ? Math.round(sp / n) : null,
      }
    })
    return { asOf, storeId, regionId, cuts: cuts?.rfm ?? null, members, scored, spend, matrix, scores, classes }
  }

  const quadrants = async (actor: Actor, filter: ScopeFilter): Promise<QuadrantsView> => {
    assertCan(actor, 'insight.read')
    const { scope, storeId, regionId } = await scopeFor(actor, filter)
    const [groups, cuts, asOf] = await Promise.all([counts.quadrantGroups(db, scope), readCuts(), repo.insightAsOf(db)])
    const members = groups.reduce((s, g) => s + g.members, 0)
    const spend = groups.reduce((s, g) => s + g.spend, 0)
    return {
      asOf, storeId, regionId, thresholds: cuts?.quadrant ?? null, windowDays: cuts?.windowDays ?? null, members, spend,
      quadrants: QUADRANTS.map((q) => {
        const g = groups.find((x) => x.quadrant === q)
        const n = g?.members ?? 0
        const sp = g?.spend ?? 0
        return { quadrant: q, members: n, spend: sp, memberShare: share(n, members), spendShare: share(sp, spend), avgSpend: n > 0 ? Math.round(sp / n) : 0 }
      }),
    }
  }

  const pareto = async (actor: Actor, input: ParetoInput): Promise<ParetoView> => {
    assertCan(actor, 'insight.read')
    const details: ErrorDetail[] = []
    if (input.from !== undefined && !isLocalDate(input.from)) details.push({ field: 'from', reason: 'a date YYYY-MM-DD' })
    if (input.to !== undefined && !isLocalDate(input.to)) details.push({ field: 'to', reason: 'a date YYYY-MM-DD' })
    if (details.length) throw badRequest('VALIDATION', details)
    const to = input.to ?? dateIn(clock.now(), timezone)
    const from = input.from ?? addDays(to, -364)
    if (from > to) throw badRequest('VALIDATION', [{ field: 'from', reason: 'must not be after to' }])
    if (Date.parse(to) - Date.parse(from) > PARETO_MAX_DAYS * 86_400_000) throw badRequest('VALIDATION', [{ field: 'from', reason: `a period of at most ${PARETO_MAX_DAYS} days` }])
    const basis = input.basis ?? 'net'
    const { scope, storeId, regionId } = await scopeFor(actor, input)
    const f = { from, to, basis, scope }
    const totals = await repo.paretoTotals(db, f)
    const n = totals.members
    const ranks = [...new Set([...Array.from({ length: 100 }, (_, i) => Math.ceil(((i + 1) * n) / 100)), Math.ceil(0.2 * n)])].filter((k) => k > 0)
    const cum = n > 0 ? await repo.paretoAtRanks(db, f, ranks) : new Map<number, number>()
    const membersFor80 = n > 0 && totals.spend > 0 ? await repo.paretoMembersFor(db, f, totals.spend, 0.8) : 0
    const top20Members = Math.ceil(0.2 * n)
    return {
      from, to, basis, storeId, regionId, members: n, spend: totals.spend,
      top20Members, top20Share: share(cum.get(top20Members) ?? 0, totals.spend),
      membersFor80, memberShareFor80: share(membersFor80, n),
      points: Array.from({ length: 100 }, (_, i) => {
        const k = Math.ceil(((i + 1) * n) / 100)
        return { memberPct: i + 1, members: k, spendShare: share(cum.get(k) ?? 0, totals.spend) }
      }),
    }
  }

  const distributions = async (actor: Actor, filter: ScopeFilter & { top?: number }): Promise<DistributionsView> => {
    assertCan(actor, 'insight.read')
    const { scope, storeId, regionId } = await scopeFor(actor, filter)
    const top = filter.top ?? 10
    const [levels, departments, categories, ageGender, cuts, asOf] = await Promise.all([
      counts.levelGroups(db, scope), counts.preferenceGroups(db, scope, 'main_department'), counts.preferenceGroups(db, scope, 'main_category'),
      counts.ageGenderGroups(db, scope), readCuts(), repo.insightAsOf(db),
    ])
    const members = levels.reduce((s, g) => s + g.members, 0)
    const keys: LevelKey[] = [...LEVELS, 'none']
    const withDept = departments.filter((d) => d.name !== null).reduce((s, d) => s + d.members, 0)
    const withCat = categories.filter((d) => d.name !== null).reduce((s, d) => s + d.members, 0)
    const byMembers = <T extends { members: number; spend: number; name: string | null }>(a: T, b: T) => b.members - a.members || b.spend - a.spend || String(a.name).localeCompare(String(b.name))
    return {
      asOf, storeId, regionId, members,
      thresholds: { frequency: cuts?.frequency ?? null, amount: cuts?.amount ?? null },
      frequencyAmount: keys.flatMap((fq) => keys.map((am) => {
        const g = levels.find((x) => (x.frequency ?? 'none') === fq && (x.amount ?? 'none') === am)
        return { frequency: fq, amount: am, members: g?.members ?? 0, spend: g?.spend ?? 0 }
      })),
      departments: departments.filter((d) => d.name !== null).sort(byMembers).slice(0, top)
        .map((d) => ({ department: d.name!, members: d.members, spend: d.spend, memberShare: share(d.members, withDept) })),
      categories: categories.filter((d) => d.name !== null).sort(byMembers).slice(0, top)
        .map((d) => ({ category: d.name!, members: d.members, spend: d.spend, memberShare: share(d.members, withCat) })),
      ageGender: ageGender.map((g) => ({ ageBand: g.ageBand ?? 'unknown', gender: g.gender, members: g.members, spend: g.spend }))
        .sort((a, b) => AGE_ORDER.indexOf(a.ageBand) - AGE_ORDER.indexOf(b.ageBand) || a.gender.localeCompare(b.gender)),
    }
  }

  const lifecycle = async (actor: Actor, filter: ScopeFilter): Promise<LifecycleView> => {
    assertCan(actor, 'insight.read')
    const { scope, storeId, regionId } = await scopeFor(actor, filter)
    const [groups, months, flows, cuts, asOf] = await Promise.all([
      counts.lifecycleGroups(db, scope), repo.lifecycleMonths(db, scope), repo.lifecycleFlows(db, scope), readCuts(), repo.insightAsOf(db),
    ])
    const members = groups.reduce((s, g) => s + g.members, 0)
    const isStage = (s: string): s is LifecycleStage => (LIFECYCLE_STAGES as readonly string[]).includes(s)
    return {
      asOf, storeId, regionId, members, thresholds: cuts?.lifecycle ?? null,
      stages: LIFECYCLE_STAGES.map((stage) => {
        const n = groups.find((g) => g.stage === stage)?.members ?? 0
        return { stage, members: n, share: share(n, members) }
      }),
      trend: months.filter((m) => isStage(m.stage)).map((m) => ({ month: m.month, stage: m.stage as LifecycleStage, members: m.members })),
      flows: flows.filter((f) => isStage(f.from) && isStage(f.to)).map((f) => ({ month: f.month, from: f.from as LifecycleStage, to: f.to as LifecycleStage, members: f.members })),
    }
  }

  return { getSettings, updateSettings, rfm, quadrants, pareto, distributions, lifecycle }
}

export type ClassesService = ReturnType<typeof createClassesService>
