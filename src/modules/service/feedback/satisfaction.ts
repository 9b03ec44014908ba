import type { Db } from '../../../db/database.js'
import type { Scope } from '../../../shared/scope.js'
import { csatOf, npsOf, type ValueCount } from './survey-analysis.js'
import { satisfactionCounts } from './survey-results.repository.js'

export interface SatisfactionFigures {
  /** rating answers counted */
  answers: number
  /** CSAT as a fraction (0.867 = 86.7% of ratings 4 or 5), null without answers */
  csat: number | null
  /** NPS, −100…100, null without answers */
  nps: number | null
}

/**
 * Satisfaction over date ranges for the KPIs and the CRM report: every survey's answers (open or
 * closed) whose local date falls in the range, in a scope; one query for all the ranges.
 */
export const createSatisfactionReader = (db: Db) =>
  async (scope: Scope, ranges: ReadonlyArray<{ from: string; to: string }>): Promise<SatisfactionFigures[]> => {
    if (ranges.length === 0) return []
    const from = ranges.reduce((m, r) => (r.from < m ? r.from : m), ranges[0]!.from)
    const to = ranges.reduce((m, r) => (r.to > m ? r.to : m), ranges[0]!.to)
    const rows = await satisfactionCounts(db, scope, from, to)
    return ranges.map((r) => {
      const inRange = rows.filter((x) => x.day >= r.from && x.day <= r.to)
      const of = (kind: 'rating' | 'nps'): ValueCount[] => inRange.filter((x) => x.kind === kind)
      const csat = csatOf(of('rating'))
      return { answers: csat.answers, csat: csat.rate === null ? null : Math.round(csat.rate * 10) / 1000, nps: npsOf(of('nps')).score }
    })
  }

export type SatisfactionReader = ReturnType<typeof createSatisfactionReader>
