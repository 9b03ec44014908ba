// Issue 13 §3: the recommendation holdout check on the two real data sets with repeat customers
// (../shared/data), as test/recommendations-real-data.test.ts holds it: each member's last basket
// hidden, 10 suggestions from the rest, hit rate and recall@10 beside the 10 most popular products.
// `npx tsx scripts/bench/recommend-offline.ts`, or `npm run bench -- --only recommend`.
import { performance } from 'node:perf_hooks'
import { holdoutCheck, type HoldoutResult } from '../../src/modules/analytics/recommendations/recommender.js'
import { cjPurchases, uciPurchases } from '../../test/real-data/purchases.js'

export interface OfflineFigure { dataSet: string; result: HoldoutResult; ms: number }

const pct = (v: number) => `${(v * 100).toFixed(1)} %`

export const recommendOffline = (): OfflineFigure[] =>
  ([['UCI Online Retail', uciPurchases], ['Complete Journey sample', cjPurchases]] as const).map(([dataSet, read]) => {
    const purchases = read()
    const started = performance.now()
    const result = holdoutCheck(purchases)
    return { dataSet, result, ms: performance.now() - started }
  })

export const offlineText = (f: OfflineFigure) => ({
  figure: `Patron hit rate ${pct(f.result.patron.hitRate)}, recall@10 ${pct(f.result.patron.recall)} (${f.result.members.toLocaleString('en-US')} members' last baskets hidden; learned and suggested in ${(f.ms / 1000).toFixed(1)} s)`,
  baseline: `most popular: hit rate ${pct(f.result.popular.hitRate)}, recall@10 ${pct(f.result.popular.recall)}`,
  target: `target: beat the baseline on both: ${f.result.patron.hitRate > f.result.popular.hitRate && f.result.patron.recall > f.result.popular.recall ? 'met' : 'NOT MET'}`,
})

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of recommendOffline()) {
    const t = offlineText(f)
    console.log(`${f.dataSet}: ${t.figure}\n  ${t.baseline}\n  ${t.target}`)
  }
}
