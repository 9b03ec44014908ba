import { describe, expect, it } from 'vitest'
import { holdoutCheck, type Purchase } from '../src/modules/analytics/recommendations/recommender.js'
import { cjPurchases, uciPurchases } from './real-data/purchases.js'

// Issue 13 §3: personal recommendations checked offline on real data sets with repeat customers
// (../shared/data: UCI Online Retail; the Complete Journey's transaction sample). Each member's
// last basket is hidden, Patron suggests 10 products from everything else (with the production
// rule of leaving out what the member bought in the last 7 days), and the hits are counted —
// beside the 10 most popular products of the same training data. The baseline is also counted
// here plainly, sharing no code with the check.

/** The "most popular" baseline written out plainly: members with 2+ baskets, their last hidden. */
const plainPopular = (purchases: readonly Purchase[]) => {
  const baskets = new Map<string, { member: string; date: string; items: Set<string> }>()
  for (const p of purchases) {
    const b = baskets.get(p.basket) ?? baskets.set(p.basket, { member: p.member, date: p.date, items: new Set() }).get(p.basket)!
    b.items.add(p.item)
  }
  const byMember = new Map<string, string[]>()
  for (const [id, b] of baskets) byMember.set(b.member, [...(byMember.get(b.member) ?? []), id])
  const hidden = new Set<string>()
  for (const ids of byMember.values()) {
    if (ids.length < 2) continue
    ids.sort((x, y) => baskets.get(x)!.date.localeCompare(baskets.get(y)!.date) || x.localeCompare(y))
    hidden.add(ids[ids.length - 1]!)
  }
  const counts = new Map<string, number>()
  for (const [id, b] of baskets) if (!hidden.has(id)) for (const i of b.items) counts.set(i, (counts.get(i) ?? 0) + 1)
  const top = new Set([...counts].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([i]) => i))
  let hits = 0
  let recall = 0
  for (const id of hidden) {
    const items = [...baskets.get(id)!.items]
    const got = items.filter((i) => top.has(i)).length
    if (got > 0) hits++
    recall += got / items.length
  }
  return { members: hidden.size, hitRate: hits / hidden.size, recall: recall / hidden.size }
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`

describe('recommendations on real data: hide the last basket, suggest 10', () => {
  it.each([
    ['UCI Online Retail', 'customers', uciPurchases],
    ['the Complete Journey sample', 'households', cjPurchases],
  ] as const)('beats "most popular" on %s', (name, who, read) => {
    const purchases = read()
    const plain = plainPopular(purchases)
    const r = holdoutCheck(purchases)
    console.log(`${name}, ${r.members} ${who}: Patron hit rate ${pct(r.patron.hitRate)}, recall@10 ${pct(r.patron.recall)}; most popular ${pct(r.popular.hitRate)}, ${pct(r.popular.recall)}`)
    expect(r.members).toBe(plain.members)
    expect(r.popular.hitRate).toBeCloseTo(plain.hitRate, 12)
    expect(r.popular.recall).toBeCloseTo(plain.recall, 12)
    expect(r.patron.hitRate).toBeGreaterThan(r.popular.hitRate)
    expect(r.patron.recall).toBeGreaterThan(r.popular.recall)
  }, 120_000)
})
