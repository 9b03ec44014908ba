import type { Db } from '../../../db/database.js'
import type { Scope } from '../../../shared/scope.js'
import { csatOf, npsOf, type ValueCount } from './survey-analysis.js'
import { satisfactionCounts, satisfactionCountsByStore } from './survey-results.repository.js'

export interface SatisfactionFigures {
  /** rating answers counted */
  answers: number
  /** CSAT as a fraction (0.867 = 86.7% of ratings 4 or 5), null without answers */
  csat: number | null
  /** NPS, −100…100, null without answers */
  nps: number | null
}

/** A range's figures for some of its stores together (recomputed from their counts), or for the whole scope. */
export type StoresSatisfaction = (storeIds?: readonly string[]) => SatisfactionFigures

type Counted = { kind: 'rating' | 'nps' } & ValueCount

const figuresOf = (rows: readonly Counted[]): SatisfactionFigures => {
  const of = (kind: Counted['kind']) => rows.filter((x) => x.kind === kind)
  const csat = csatOf(of('rating'))
  return { answers: csat.answers, csat: csat.rate === null ? null : Math.round(csat.rate * 10) / 1000, nps: npsOf(of('nps')).score }
}

/**
 * Satisfaction over date ranges for the KPIs and the CRM report: every survey's answers (open or
 * closed) whose local date falls in the range, in a scope. Called, one query for all the ranges;
 * `byStore`, one query per range grouped by store, so a report's stores and regions (sums of
 * stores) cost no query each.
 */
export const createSatisfactionReader = (db: Db) => {
  const inRanges = async (scope: Scope, ranges: ReadonlyArray<{ from: string; to: string }>): Promise<SatisfactionFigures[]> => {
    if (ranges.length === 0) return []
    const from = ranges.reduce((m, r) => (r.from < m ? r.from : m), ranges[0]!.from)
    const to = ranges.reduce((m, r) => (r.to > m ? r.to : m), ranges[0]!.to)
    const rows = await satisfactionCounts(db, scope, from, to)
    return ranges.map((r) => figuresOf(rows.filter((x) => x.day >= r.from && x.day <= r.to)))
  }
  const byStore = (scope: Scope, ranges: ReadonlyArray<{ from: string; to: string }>): Promise<StoresSatisfaction[]> =>
    Promise.all(ranges.map(async (r): Promise<StoresSatisfaction> => {
      const rows = await satisfactionCountsByStore(db, scope, r.from, r.to)
      const ofStore = new Map<string | null, Counted[]>()
      for (const x of rows) ofStore.set(x.storeId, [...(ofStore.get(x.storeId) ?? []), x])
      return (storeIds) => figuresOf(storeIds ? storeIds.flatMap((id) => ofStore.get(id) ?? []) : rows)
    }))
  return Object.assign(inRanges, { byStore })
}

export type SatisfactionReader = ReturnType<typeof createSatisfactionReader>
