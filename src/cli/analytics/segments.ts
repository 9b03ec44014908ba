import { InvalidArgumentError } from 'commander'
import type { Actor } from '../../shared/actor.js'
import type { Patron } from '../bootstrap.js'
import type { ReportOutput } from './output.js'

const actor: Actor = { kind: 'system', name: 'cli:analytics-segment-count' }

// Typed by its use in index.ts's REPORTS (the shape is AnalyticsReport, ./report.ts).
export const segmentCountReport = {
  name: 'segment-count',
  description: "How many members a saved segment has (the API's count): now, or with windows ending --as-of; --store narrows a chain segment to one store",
  options: [{ flags: '--segment <id>', description: 'the segment (seg_…), as the console shows it' }],
  async run(patron: Patron, opts: { asOf?: string; storeId?: string; [key: string]: unknown }): Promise<ReportOutput> {
    if (typeof opts.segment !== 'string' || opts.segment.trim() === '') throw new InvalidArgumentError('--segment <id> is required')
    const id = opts.segment.trim()
    const segment = await patron.services.segments.get(actor, id)
    const { count, asOf } = await patron.services.segments.countSegment(actor, id, { asOf: opts.asOf, storeId: opts.storeId })
    return {
      json: { segment: { id: segment.id, name: segment.name, storeId: segment.storeId, definition: segment.definition, summary: segment.summaryZh }, storeId: opts.storeId ?? null, asOf, count },
      tables: [{ title: `${segment.name}: ${segment.summaryZh}`, columns: ['segment', 'as of', 'members'], rows: [[segment.name, asOf, count]] }],
    }
  },
}
