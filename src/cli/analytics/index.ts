import { Command, InvalidArgumentError } from 'commander'
import { storeByCode } from '../../modules/org/index.js'
import { openPatron } from '../bootstrap.js'
import { FORMATS, render, type Format } from './output.js'
import type { AnalyticsReport, ReportOptions } from './report.js'
import { refreshReport } from './refresh.js'
import { clvReport } from './clv.js'
import { forecastReport } from './forecast.js'
import { recommendReport } from './recommend.js'
import { rulesReport } from './rules.js'
import { kpisReport } from './kpis.js'
import { segmentCountReport } from './segments.js'
import { tagsReport } from './tags.js'
import { lifecycleReport, paretoReport, quadrantsReport, rfmReport } from './classes.js'

// Each part of issue 12 adds its reports here (one file per report family in this folder).
const REPORTS: AnalyticsReport[] = [segmentCountReport, tagsReport, kpisReport, refreshReport, rfmReport, quadrantsReport, paretoReport, lifecycleReport, clvReport, rulesReport, recommendReport, forecastReport]

const DATE = /^\d{4}-\d{2}-\d{2}$/
const date = (name: string) => (v: string) => {
  if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw new InvalidArgumentError(`${name} must be a date YYYY-MM-DD`)
  }
  return v
}

/** Runs one report: opens Patron, resolves --store, prints the output; exit 2 on bad input. */
const runReport = async (report: AnalyticsReport, raw: Record<string, unknown>) => {
  if (raw.from && raw.to && String(raw.from) > String(raw.to)) throw new InvalidArgumentError('--from must not be after --to')
  const patron = await openPatron()
  try {
    let storeId: string | undefined
    if (raw.store) {
      const store = await storeByCode(patron.services.db, String(raw.store))
      if (!store) throw new InvalidArgumentError(`no store with code ${String(raw.store)}`)
      storeId = store.id
    }
    const out = await report.run(patron, { ...raw, storeId, format: (raw.format as Format | undefined) ?? 'table' } as ReportOptions)
    process.stdout.write(render(out, (raw.format as Format | undefined) ?? 'table'))
  } finally {
    await patron.close()
  }
}

/** `patron analytics <report> [--from D] [--to D] [--as-of D] [--store CODE] [--format table|json|csv]`. */
export const registerAnalyticsCommands = (program: Command, reports: readonly AnalyticsReport[] = REPORTS) => {
  const analytics = program.command('analytics').description('Customer insight reports: the same figures as the console and the API')
  for (const report of reports) {
    const cmd = analytics.command(report.name).description(report.description)
      .option('--from <date>', 'first business date of the period (YYYY-MM-DD)', date('--from'))
      .option('--to <date>', 'last business date of the period (YYYY-MM-DD)', date('--to'))
      .option('--as-of <date>', 'the date the figures are as of (YYYY-MM-DD)', date('--as-of'))
      .option('--store <code>', 'one store only')
      .option('--format <format>', 'table, json (one JSON document) or csv', (v: string) => {
        if (!(FORMATS as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${FORMATS.join(', ')}`)
        return v
      }, 'table')
    for (const o of report.options ?? []) cmd.option(o.flags, o.description)
    cmd.action(async (opts: Record<string, unknown>) => runReport(report, opts))
  }
  return analytics
}

export { REPORTS }
export type { AnalyticsReport, ReportOptions } from './report.js'
