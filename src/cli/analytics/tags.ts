import type { TagSummary } from '../../modules/analytics/index.js'
import type { Actor } from '../../shared/actor.js'
import type { Patron } from '../bootstrap.js'
import type { ReportOutput } from './output.js'

const actor: Actor = { kind: 'system', name: 'cli:analytics-tags' }

interface DailyCounts { from: string; to: string; items: Array<{ day: string; tagId: string; name: string; members: number }> }

/** The tags as the API lists them and their day counts (json), a table of each (table, csv). */
export const tagsOutput = (tags: TagSummary[], daily: DailyCounts): ReportOutput => ({
  json: {
    tags: tags.map((t) => ({ id: t.id, name: t.name, kind: t.kind, status: t.status, members: t.members, rule: t.ruleText })),
    daily,
  },
  tables: [
    {
      title: 'Tags: members now',
      columns: ['tag', 'kind', 'status', 'members', 'rule'],
      rows: tags.map((t) => [t.name, t.kind, t.status, t.members, t.ruleText?.['zh-CN'] ?? null]),
    },
    {
      title: `Members per tag after each full refresh, ${daily.from} – ${daily.to}`,
      columns: ['day', 'tag', 'members'],
      rows: daily.items.map((d) => [d.day, d.name, d.members]),
    },
  ],
})

// Typed by its use in index.ts's REPORTS (the shape is AnalyticsReport, ./report.ts).
export const tagsReport = {
  name: 'tags',
  description: 'Members per tag now (--store: of one store) and per day of the full refreshes between --from and --to (default the last 30 days)',
  async run(patron: Patron, opts: { from?: string; to?: string; storeId?: string; [key: string]: unknown }): Promise<ReportOutput> {
    const tags = await patron.services.tags.list(actor, { storeId: opts.storeId })
    const daily = await patron.services.tags.counts(actor, { from: opts.from, to: opts.to })
    return tagsOutput(tags, daily)
  },
}
