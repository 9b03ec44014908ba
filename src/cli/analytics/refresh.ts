import type { RefreshResult } from '../../modules/analytics/index.js'
import type { AnalyticsReport } from './report.js'
import type { ReportOutput } from './output.js'

/** What a refresh did, as `patron analytics refresh` prints it. */
export const refreshOutput = (r: RefreshResult): ReportOutput => ({
  json: r,
  tables: [{
    title: r.mode === 'full'
      ? `Full refresh${r.fullReason && r.fullReason !== 'requested' ? ` (${r.fullReason.replace('_', ' ')})` : ''}${r.rebuilt ? ', days by category rebuilt from every line' : ''}`
      : 'Incremental refresh',
    columns: ['as of', 'window', 'members recomputed', 'receipts read', 'seconds'],
    rows: [[r.asOf, `${r.window.from} … ${r.window.to}`, r.members, r.receiptsRead, r.seconds]],
  }],
})

/**
 * `patron analytics refresh [--full] [--rebuild] [--as-of D]`: brings the insight figures up to date now
 * (what the jobs do every few minutes and each night), and prints what it did.
 */
export const refreshReport: AnalyticsReport = {
  name: 'refresh',
  description: 'Refresh the insight figures now: incremental (what changed since the last refresh) or --full',
  options: [
    { flags: '--full', description: 'recompute every member' },
    { flags: '--rebuild', description: 'also rebuild the days by category from every receipt line (implies --full)' },
  ],
  run: async (patron, opts) => refreshOutput(await patron.services.insight.refresh({
    full: opts.full === true, rebuild: opts.rebuild === true, ...(opts.asOf ? { asOf: opts.asOf } : {}),
  })),
}
