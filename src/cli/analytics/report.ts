import type { Patron } from '../bootstrap.js'
import type { Format, ReportOutput } from './output.js'

/** The options every `patron analytics <report>` takes, parsed and checked. */
export interface ReportOptions {
  from?: string
  to?: string
  asOf?: string
  /** the store given by --store CODE, resolved to its id */
  storeId?: string
  format: Format
  /** report-specific options (e.g. --segment) */
  [key: string]: unknown
}

/** One report: its own options (beyond the common ones) and how it computes its output. */
export interface AnalyticsReport {
  name: string
  description: string
  options?: Array<{ flags: string; description: string }>
  run(patron: Patron, opts: ReportOptions): Promise<ReportOutput>
}
