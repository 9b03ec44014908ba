import { InvalidArgumentError } from 'commander'
import type { LifecycleView, ParetoView, QuadrantsView, RfmView } from '../../modules/analytics/index.js'
import type { Actor } from '../../shared/actor.js'
import type { Patron } from '../bootstrap.js'
import type { ReportOutput } from './output.js'

// patron analytics rfm | quadrants | pareto | lifecycle: the classes service's figures, the same
// the API gives (json: its document as is), as tables for reading (money in fen, shares as fractions).

const actor: Actor = { kind: 'system', name: 'cli:analytics-classes' }

interface Opts { from?: string; to?: string; asOf?: string; storeId?: string; [key: string]: unknown }

const pct = (v: number) => `${(Math.round(v * 1000) / 10).toFixed(1)}%`

const regionOption = { flags: '--region <code>', description: 'one region only' }

/** --store and --region as the service's filter. */
const scopeOf = async (patron: Patron, opts: Opts) => {
  let regionId: string | undefined
  if (opts.region !== undefined) {
    regionId = (await patron.services.org.listRegions(actor)).find((r) => r.code === String(opts.region))?.id
    if (!regionId) throw new InvalidArgumentError(`no region with code ${String(opts.region)}`)
  }
  return { ...(opts.storeId ? { storeId: opts.storeId } : {}), ...(regionId ? { regionId } : {}) }
}

/** The classes are as of the last refresh: --as-of may only name that date. */
const checkAsOf = (opts: Opts, asOf: string | null) => {
  if (opts.asOf && opts.asOf !== asOf) {
    throw new InvalidArgumentError(`the figures are as of ${asOf ?? 'no refresh yet'}; run \`patron analytics refresh --full --as-of ${opts.asOf}\` first`)
  }
}

const scopeTitle = (v: { asOf?: string | null; storeId: string | null; regionId: string | null }) =>
  `${v.asOf ? `as of ${v.asOf}` : 'no refresh yet'}${v.storeId ? `, store ${v.storeId}` : v.regionId ? `, region ${v.regionId}` : ', chain'}`

export const rfmOutput = (v: RfmView): ReportOutput => ({
  json: v,
  tables: [
    {
      title: `RFM classes, ${scopeTitle(v)}: ${v.scored} of ${v.members} members bought in the window`,
      columns: ['class', 'members', 'member_share', 'spend', 'spend_share', 'avg_recency_days', 'avg_frequency', 'avg_monetary'],
      rows: v.classes.map((c) => [c.class, c.members, pct(c.memberShare), c.spend, pct(c.spendShare), c.avgRecencyDays, c.avgFrequency, c.avgMonetary]),
    },
    {
      title: 'R × F: members (average M in fen)',
      columns: ['r', 'f1', 'f2', 'f3', 'f4', 'f5'],
      rows: [5, 4, 3, 2, 1].map((r) => [r, ...[1, 2, 3, 4, 5].map((f) => {
        const cell = v.matrix.find((c) => c.r === r && c.f === f)!
        return cell.members ? `${cell.members} (${cell.avgMonetary})` : '0'
      })]),
    },
    {
      title: v.cuts
        ? `Cut points (${v.cuts.method}): R days 5 ≤ ${v.cuts.r[0]}, 4 ≤ ${v.cuts.r[1]}, 3 ≤ ${v.cuts.r[2]}, 2 ≤ ${v.cuts.r[3]}; F and M: score 2, 3, 4, 5 from; high = at or above the average score`
        : 'Cut points: none yet (run patron analytics refresh --full)',
      columns: ['dimension', 'cut_2', 'cut_3', 'cut_4', 'cut_5', 'average_score'],
      rows: v.cuts ? [
        ['R (days, at most)', v.cuts.r[3]!, v.cuts.r[2]!, v.cuts.r[1]!, v.cuts.r[0]!, v.cuts.averages.r],
        ['F (receipts, from)', v.cuts.f[0]!, v.cuts.f[1]!, v.cuts.f[2]!, v.cuts.f[3]!, v.cuts.averages.f],
        ['M (fen, from)', v.cuts.m[0]!, v.cuts.m[1]!, v.cuts.m[2]!, v.cuts.m[3]!, v.cuts.averages.m],
      ] : [],
    },
  ],
})

export const quadrantsOutput = (v: QuadrantsView): ReportOutput => ({
  json: v,
  tables: [{
    title: `Value quadrants, ${scopeTitle(v)}: high income from ${v.thresholds?.incomeThreshold ?? '—'}, high spend from ${v.thresholds?.spendThreshold ?? '—'} fen in ${v.windowDays ?? '—'} days`,
    columns: ['quadrant', 'members', 'member_share', 'spend', 'spend_share', 'avg_spend'],
    rows: v.quadrants.map((q) => [q.quadrant, q.members, pct(q.memberShare), q.spend, pct(q.spendShare), q.avgSpend]),
  }],
})

export const paretoOutput = (v: ParetoView): ReportOutput => ({
  json: v,
  tables: [
    {
      title: `80/20, ${v.from} – ${v.to} (${v.basis})${v.storeId ? `, store ${v.storeId}` : v.regionId ? `, region ${v.regionId}` : ', chain'}`,
      columns: ['members', 'spend', 'top20_members', 'top20_share', 'members_for_80', 'member_share_for_80'],
      rows: [[v.members, v.spend, v.top20Members, pct(v.top20Share), v.membersFor80, pct(v.memberShareFor80)]],
    },
    {
      title: 'The curve: the top X% of members and their share of spend',
      columns: ['member_pct', 'members', 'spend_share'],
      rows: v.points.filter((p) => p.memberPct % 10 === 0 || p.memberPct === 1 || p.memberPct === 5).map((p) => [`${p.memberPct}%`, p.members, pct(p.spendShare)]),
    },
  ],
})

export const lifecycleOutput = (v: LifecycleView): ReportOutput => {
  const months = [...new Set(v.trend.map((x) => x.month))]
  const stages = v.stages.map((s) => s.stage)
  return {
    json: v,
    tables: [
      {
        title: `Lifecycle, ${scopeTitle(v)}${v.thresholds ? `: new ${v.thresholds.newDays} days, dormant after ${v.thresholds.dormantDays}, lost after ${v.thresholds.lostDays}` : ''}`,
        columns: ['stage', 'members', 'share'],
        rows: v.stages.map((s) => [s.stage, s.members, pct(s.share)]),
      },
      {
        title: 'Members by stage at each month-end',
        columns: ['month', ...stages],
        rows: months.map((m) => [m, ...stages.map((s) => v.trend.find((x) => x.month === m && x.stage === s)?.members ?? 0)]),
      },
      {
        title: 'Flows: stage at the month-end before → stage at the month-end',
        columns: ['month', 'from', 'to', 'members'],
        rows: v.flows.filter((f) => f.from !== f.to).map((f) => [f.month, f.from, f.to, f.members]),
      },
    ],
  }
}

// Typed by their use in index.ts's REPORTS (the shape is AnalyticsReport, ./report.ts).

type Filter = Awaited<ReturnType<typeof scopeOf>>

/** A report of classes as of the last refresh: read with the scope, --as-of checked, printed. */
const classReport = <V extends { asOf: string | null }>(name: string, description: string, read: (patron: Patron, filter: Filter) => Promise<V>, output: (v: V) => ReportOutput) => ({
  name,
  description,
  options: [regionOption],
  async run(patron: Patron, opts: Opts): Promise<ReportOutput> {
    const v = await read(patron, await scopeOf(patron, opts))
    checkAsOf(opts, v.asOf)
    return output(v)
  },
})

export const rfmReport = classReport('rfm',
  'RFM: the eight classes (members, spend, shares, average R/F/M), the R × F matrix and the cut points, as of the last refresh',
  (patron, filter) => patron.services.classes.rfm(actor, filter), rfmOutput)

export const quadrantsReport = classReport('quadrants',
  'Value quadrants (income band × spend in the window): members, spend and shares, members without an income band apart',
  (patron, filter) => patron.services.classes.quadrants(actor, filter), quadrantsOutput)

export const lifecycleReport = classReport('lifecycle',
  'Lifecycle: members by stage now, the 13 month-ends, the month-over-month flows and the days that define the stages',
  (patron, filter) => patron.services.classes.lifecycle(actor, filter), lifecycleOutput)

export const paretoReport = {
  name: 'pareto',
  description: 'The 80/20 curve of a period from the receipts (default the 365 days to today; --store: purchases made there): top 20% share, members for 80%',
  options: [regionOption, { flags: '--basis <basis>', description: 'net (sales less returns, default) or gross (sales only)' }],
  async run(patron: Patron, opts: Opts): Promise<ReportOutput> {
    if (opts.basis !== undefined && !['net', 'gross'].includes(String(opts.basis))) throw new InvalidArgumentError('--basis must be net or gross')
    const to = opts.to ?? opts.asOf
    return paretoOutput(await patron.services.classes.pareto(actor, {
      ...(await scopeOf(patron, opts)), ...(opts.from ? { from: opts.from } : {}), ...(to ? { to } : {}), ...(opts.basis ? { basis: opts.basis as 'net' | 'gross' } : {}),
    }))
  },
}
