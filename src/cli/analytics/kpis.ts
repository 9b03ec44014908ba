import { InvalidArgumentError } from 'commander'
import { GRAINS, METRICS, type KpiResult } from '../../modules/analytics/index.js'
import type { Actor } from '../../shared/actor.js'
import type { Patron } from '../bootstrap.js'
import type { ReportOutput } from './output.js'

const actor: Actor = { kind: 'system', name: 'cli:analytics-kpis' }

const pct = (v: number | null) => (v === null ? null : `${(Math.round(v * 1000) / 10).toFixed(1)}%`)

/** The KPIs as the API gives them (json), and one row per period and metric with 环比 and 同比 (table, csv). */
export const kpisOutput = (result: KpiResult): ReportOutput => ({
  json: result,
  tables: [{
    title: `KPIs by ${result.grain}, ${result.from} – ${result.to}, ${result.scope.kind}${result.scope.name ? ` ${result.scope.name}` : ''}`,
    columns: ['period', 'metric', 'value', 'previous', 'previous_change', 'last_year', 'last_year_change'],
    rows: result.periods.flatMap((p) => METRICS.map((m) => {
      const f = p.figures[m]
      return [p.key, m, f.value, f.previous, pct(f.previousChange), f.lastYear, pct(f.lastYearChange)]
    })),
  }],
})

// Typed by its use in index.ts's REPORTS (the shape is AnalyticsReport, ./report.ts).
export const kpisReport = {
  name: 'kpis',
  description: 'Members, new and active members, member sales share, average tickets, frequency, repurchase and churn, points and coupons, with 环比 and 同比 (money in fen, rates as fractions)',
  options: [
    { flags: '--grain <grain>', description: `${GRAINS.join(', ')} (default month)` },
    { flags: '--region <code>', description: 'one region only' },
  ],
  async run(patron: Patron, opts: { from?: string; to?: string; storeId?: string; [key: string]: unknown }): Promise<ReportOutput> {
    if (opts.grain !== undefined && !(GRAINS as readonly string[]).includes(String(opts.grain))) throw new InvalidArgumentError(`--grain must be one of ${GRAINS.join(', ')}`)
    let regionId: string | undefined
    if (opts.region !== undefined) {
      regionId = (await patron.services.org.listRegions(actor)).find((r) => r.code === String(opts.region))?.id
      if (!regionId) throw new InvalidArgumentError(`no region with code ${String(opts.region)}`)
    }
    const result = await patron.services.kpis.kpis(actor, {
      grain: opts.grain as string | undefined, from: opts.from, to: opts.to, storeId: opts.storeId, regionId,
    })
    return kpisOutput(result)
  },
}
