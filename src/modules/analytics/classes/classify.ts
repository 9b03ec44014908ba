import type { Trx } from '../../../db/database.js'
import { INCOME_BANDS } from '../../members/index.js'
import {
  cutsFromLeast, deriveLifecycleDays, effectiveLifecycleDays, levelThresholds, percentilePosition, recencyCutsFromMost,
} from './classes-rules.js'
import {
  INSIGHT_CUTS_KEY, INSIGHT_SETTINGS_KEY, withDefaults, type InsightCuts, type InsightSettings, type LevelCuts,
} from './classes-settings.js'
import * as repo from './classes.repository.js'
import * as counts from './class-counts.repository.js'
import { addDays, startOfLocalDay, writeLifecycleHistory } from './lifecycle-history.js'

/** Which members a refresh step covers: everyone, or the members in `insight_dirty`. */
export interface RefreshStep {
  /** the local business date the refresh is as of (YYYY-MM-DD) */
  asOf: string
  only: 'all' | 'dirty'
  /** ISO UTC time of the refresh */
  at: string
  /** the chain's time zone (registration times are compared with its local days); default Asia/Shanghai */
  timezone?: string
}

export const DEFAULT_TIMEZONE = 'Asia/Shanghai'
export { addDays, startOfLocalDay }
export const parseSettings = (value: string | undefined): InsightSettings => {
  if (!value) return withDefaults(null)
  try {
    return withDefaults(JSON.parse(value) as Partial<InsightSettings>)
  } catch {
    return withDefaults(null)
  }
}

export const parseCuts = (value: string | undefined): InsightCuts | null => {
  if (!value) return null
  try {
    return JSON.parse(value) as InsightCuts
  } catch {
    return null
  }
}

/** The least integer score that is high: at or above the average (a float a hair under a whole number counts as it). */
const highFrom = (avg: number) => Math.ceil(avg - 1e-9)

const medianBand = (counts: Array<{ band: string; members: number }>) => {
  const ordered = INCOME_BANDS.map((b) => ({ band: b, members: counts.find((c) => c.band === b)?.members ?? 0 }))
  const n = ordered.reduce((s, c) => s + c.members, 0)
  if (n === 0) return null
  const position = percentilePosition(0.5, n)
  let seen = 0
  for (const c of ordered) {
    seen += c.members
    if (seen >= position) return c.band
  }
  return null
}

const levelCuts = async (trx: Trx, column: 'receipts_w' | 'spend_w', set: InsightSettings['frequency'], from: repo.FiguresSource): Promise<LevelCuts> => {
  if (set.method === 'fixed' && set.mid !== null && set.high !== null) return { method: 'fixed', mid: set.mid, high: set.high }
  const groups = await repo.rankGroups(trx, column, 3, false, from)
  const t = levelThresholds(new Map(groups.map((g) => [g.score, g.least])), Math.max(0, ...groups.map((g) => g.most)))
  return { method: 'tercile', ...t }
}

/** Every threshold derived from the figures now in member_insight, or staged by the refresh (a full refresh). */
export const deriveCuts = async (trx: Trx, settings: InsightSettings, asOf: string, at: string, from: repo.FiguresSource = 'member_insight'): Promise<InsightCuts> => {
  const counts = await repo.countInsight(trx, from)
  let r: number[]
  let f: number[]
  let m: number[]
  if (settings.rfm.method === 'fixed' && settings.rfm.fixed) {
    ({ r, f, m } = settings.rfm.fixed)
  } else {
    const rg = await repo.rankGroups(trx, 'recency_days', 5, true, from)
    r = recencyCutsFromMost(new Map(rg.map((g) => [g.score, g.most])), rg.length ? Math.min(...rg.map((g) => g.least)) : 0)
    const fg = await repo.rankGroups(trx, 'receipts_w', 5, false, from)
    f = cutsFromLeast(new Map(fg.map((g) => [g.score, g.least])), Math.max(0, ...fg.map((g) => g.most)))
    const mg = await repo.rankGroups(trx, 'spend_w', 5, false, from)
    m = cutsFromLeast(new Map(mg.map((g) => [g.score, g.least])), Math.max(0, ...mg.map((g) => g.most)))
  }
  const averages = await repo.averageScores(trx, { r, f, m }, from)

  const incomeThreshold = settings.quadrant.incomeThreshold ?? (medianBand(await repo.incomeBandCounts(trx, from)) as InsightCuts['quadrant']['incomeThreshold'])
  const spendThreshold = settings.quadrant.spendThreshold
    ?? (counts.scored > 0 ? (await repo.valueAt(trx, 'spend_w', 'scored', percentilePosition(0.5, counts.scored), from)) ?? 0 : 0)

  const intervals = {
    members: counts.withInterval,
    p50: counts.withInterval > 0 ? await repo.valueAt(trx, 'interval_days', 'interval', percentilePosition(0.5, counts.withInterval), from) : null,
    p80: counts.withInterval > 0 ? await repo.valueAt(trx, 'interval_days', 'interval', percentilePosition(0.8, counts.withInterval), from) : null,
  }
  const derived = deriveLifecycleDays(intervals)
  const lifecycle = effectiveLifecycleDays(settings.lifecycle, derived)

  return {
    asOf, at, windowDays: settings.windowDays, windowFrom: addDays(asOf, 1 - settings.windowDays),
    members: counts.members, scored: counts.scored,
    rfm: { method: settings.rfm.method === 'fixed' && settings.rfm.fixed ? 'fixed' : 'quintile', r, f, m, averages },
    quadrant: {
      incomeThreshold, spendThreshold,
      incomeDerived: settings.quadrant.incomeThreshold === null, spendDerived: settings.quadrant.spendThreshold === null,
    },
    frequency: await levelCuts(trx, 'receipts_w', settings.frequency, from),
    amount: await levelCuts(trx, 'spend_w', settings.amount, from),
    lifecycle: {
      ...lifecycle, derived,
      overridden: { newDays: settings.lifecycle.newDays !== null, dormantDays: settings.lifecycle.dormantDays !== null, lostDays: settings.lifecycle.lostDays !== null },
      intervals,
    },
  }
}

export const classParams = (cuts: InsightCuts, asOf: string, at: string, timezone: string): repo.ClassParams => {
  const newFrom = addDays(asOf, 1 - cuts.lifecycle.newDays)
  const band = cuts.quadrant.incomeThreshold
  return {
    asOf, at, r: cuts.rfm.r, f: cuts.rfm.f, m: cuts.rfm.m,
    highFrom: { r: highFrom(cuts.rfm.averages.r), f: highFrom(cuts.rfm.averages.f), m: highFrom(cuts.rfm.averages.m) },
    richBands: band === null ? [] : INCOME_BANDS.slice(INCOME_BANDS.indexOf(band)),
    spendThreshold: cuts.quadrant.spendThreshold,
    frequency: cuts.frequency, amount: cuts.amount,
    lifecycle: { newDays: cuts.lifecycle.newDays, dormantDays: cuts.lifecycle.dormantDays, lostDays: cuts.lifecycle.lostDays },
    newFrom, newFromAt: startOfLocalDay(newFrom, timezone),
  }
}

// The classes (RFM scores and class, quadrant, frequency and amount class, lifecycle): on a full
// step the cut points are derived again (meta `insight.cuts`) and the lifecycle history written;
// an incremental step classifies the dirty members with the stored cut points (derived first if
// there are none yet). The insight refresh calls these inside its transaction.

/**
 * Before an incremental refresh rewrites the dirty members' figures: takes their old part out of
 * the class counts (finishClasses adds their new part).
 */
export const retractDirtyCounts = (trx: Trx): Promise<void> => counts.retractDirty(trx)

/** Before a full refresh deletes the rows of members merged or erased: their part of the class counts out. */
export const retractGoneCounts = (trx: Trx): Promise<void> => counts.retractGone(trx)

/**
 * A full refresh, between classifyStaged and its write: takes out of the class counts the part of
 * the members whose part changes, and moves the rest's recency by the days since `previousAsOf`
 * (finishClasses then adds the changed members' new part). Returns how many members changed;
 * null when the counts are to be written whole instead.
 */
export const retractChangedCounts = (trx: Trx, previousAsOf: string | null, asOf: string, engine: 'sqlite' | 'postgres'): Promise<number | null> =>
  counts.retractChanged(trx, previousAsOf, asOf, engine)

/** The cut points of a step: those stored (incremental; derived first if there are none), or derived from the figures in `from` and stored. */
const cutsOf = async (trx: Trx, step: RefreshStep, from: repo.FiguresSource): Promise<InsightCuts> => {
  const stored = step.only === 'dirty' ? parseCuts(await repo.findMetaValue(trx, INSIGHT_CUTS_KEY)) : null
  if (stored) return stored
  const settings = parseSettings(await repo.findMetaValue(trx, INSIGHT_SETTINGS_KEY))
  const cuts = await deriveCuts(trx, settings, step.asOf, step.at, from)
  await repo.saveMetaValue(trx, INSIGHT_CUTS_KEY, JSON.stringify(cuts))
  return cuts
}

/**
 * After the classes are written: the class counts (the new part of the members taken out before,
 * dirty or changed, or whole) and, on a full step, the lifecycle history. Says how the counts
 * were written.
 */
export const finishClasses = async (trx: Trx, step: RefreshStep, cuts: InsightCuts, counted: 'whole' | 'dirty' | 'changed'): Promise<'whole' | 'members'> => {
  const written = await counts.writeCounts(trx, counted)
  if (step.only === 'all') await writeLifecycleHistory(trx, step.asOf, { newDays: cuts.lifecycle.newDays, dormantDays: cuts.lifecycle.dormantDays, lostDays: cuts.lifecycle.lostDays }, step.timezone ?? DEFAULT_TIMEZONE, step.at)
  return written
}

/**
 * For the refresh, before it writes the rows it staged (insight_tmp_rows): sets their classes,
 * with the cut points derived from the staged figures on a full step. Returns the cut points
 * (finishClasses follows the write).
 */
export const classifyStaged = async (trx: Trx, step: RefreshStep): Promise<InsightCuts> => {
  const cuts = await cutsOf(trx, step, 'insight_tmp_rows')
  await repo.classifyStaged(trx, classParams(cuts, step.asOf, step.at, step.timezone ?? DEFAULT_TIMEZONE), step.only === 'dirty')
  return cuts
}

/** Classifies the figures already in member_insight (all, or the dirty members) in place. */
export const classifyMembers = async (trx: Trx, step: RefreshStep): Promise<void> => {
  const cuts = await cutsOf(trx, step, 'member_insight')
  await repo.applyClasses(trx, classParams(cuts, step.asOf, step.at, step.timezone ?? DEFAULT_TIMEZONE), step.only === 'dirty')
  await finishClasses(trx, step, cuts, step.only === 'dirty' ? 'dirty' : 'whole')
}
