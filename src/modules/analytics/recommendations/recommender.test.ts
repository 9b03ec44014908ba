import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../shared/random.js'
import { holdoutCheck, mostPopular, neighboursOf, recommend, type ItemSets, type Purchase, type RecommendInput } from './recommender.js'

const setsOf = (rows: number[][], itemCount: number): ItemSets => {
  const offsets = [0]
  const items: number[] = []
  for (const r of rows) { items.push(...r); offsets.push(items.length) }
  return { offsets: Uint32Array.from(offsets), items: Uint32Array.from(items), itemCount }
}

/** Every pair counted by brute force: rows with a, rows with both. */
const plainCosines = (rows: number[][], itemCount: number, minTogether: number) => {
  const n = new Array<number>(itemCount).fill(0)
  const both = new Map<string, number>()
  for (const r of rows) {
    for (const a of r) n[a]!++
    for (const a of r) for (const b of r) if (a !== b) both.set(`${a},${b}`, (both.get(`${a},${b}`) ?? 0) + 1)
  }
  const out: Array<Array<{ item: number; score: number; together: number }>> = []
  for (let a = 0; a < itemCount; a++) {
    const list = []
    for (let b = 0; b < itemCount; b++) {
      const t = both.get(`${a},${b}`) ?? 0
      if (a !== b && t >= minTogether) list.push({ item: b, score: t / Math.sqrt(n[a]! * n[b]!), together: t })
    }
    list.sort((x, y) => y.score - x.score || y.together - x.together || x.item - y.item)
    out.push(list)
  }
  return out
}

describe('neighboursOf', () => {
  it('finds by hand the cosine neighbours of three baskets', () => {
    // milk(0) and bread(1) together twice; milk with eggs(2) once; bread alone once.
    const rows = [[0, 1], [0, 1, 2], [1]]
    const nb = neighboursOf(setsOf(rows, 3), { k: 5, minTogether: 1, cap: 100 })
    // milk in 2 rows, bread in 3, eggs in 1: cos(milk, bread) = 2/√6, cos(milk, eggs) = 1/√2.
    expect(nb[0]).toEqual([{ item: 1, score: 2 / Math.sqrt(6), together: 2 }, { item: 2, score: 1 / Math.sqrt(2), together: 1 }])
    expect(nb[2]!.map((n) => n.item)).toEqual([0, 1])
    // A pair on one row only is not a neighbour at minTogether 2.
    expect(neighboursOf(setsOf(rows, 3), { k: 5, minTogether: 2, cap: 100 })[0]).toEqual([{ item: 1, score: 2 / Math.sqrt(6), together: 2 }])
  })

  it('equals a brute-force count of every pair on random rows, keeping the top k', () => {
    const rand = seededRandom(11)
    const items = 40
    const rows = Array.from({ length: 500 }, () => [...new Set(Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * rand() * items)))])
    const got = neighboursOf(setsOf(rows, items), { k: 7, minTogether: 2, cap: 100 })
    const want = plainCosines(rows, items, 2)
    for (let a = 0; a < items; a++) {
      expect(got[a]!.map((n) => n.item)).toEqual(want[a]!.slice(0, 7).map((n) => n.item))
      got[a]!.forEach((n, i) => expect(n.score).toBeCloseTo(want[a]![i]!.score, 12))
    }
  })

  it('counts only the first `cap` items of a long row', () => {
    const nb = neighboursOf(setsOf([[0, 1, 2], [0, 1, 2]], 3), { k: 5, minTogether: 1, cap: 2 })
    expect(nb[0]!.map((n) => n.item)).toEqual([1])
    expect(nb[2]).toEqual([])
  })

  it('ranks the popular items by rows, ties by id', () => {
    expect(mostPopular(setsOf([[2, 1], [1], [0, 2], [3]], 5), 3)).toEqual([1, 2, 0])
  })
})

describe('recommend', () => {
  const none = () => []

  it('puts what a member buys most first, gives the reason, and leaves out the last days', () => {
    const out = recommend({
      today: '2026-03-10',
      history: [
        { item: 'milk', days: 6, lastDate: '2026-03-01' },
        { item: 'bread', days: 3, lastDate: '2026-02-01' },
        { item: 'tea', days: 1, lastDate: '2026-03-09' },
      ],
      together: (i) => (i === 'milk' ? [{ item: 'cereal', score: 0.5 }] : []),
      similar: (i) => (i === 'bread' ? [{ item: 'jam', score: 0.9 }] : []),
      popular: ['water', 'milk'],
      limit: 10,
      excludeDays: 7,
    })
    expect(out.map((s) => s.item)).toEqual(['milk', 'bread', 'cereal', 'jam', 'water'])
    expect(out[0]!.reason).toEqual({ kind: 'repeat', days: 6, lastDate: '2026-03-01' })
    expect(out[2]!.reason).toEqual({ kind: 'together', with: 'milk' })
    expect(out[3]!.reason).toEqual({ kind: 'similar', with: 'bread' })
    expect(out[4]!.reason).toEqual({ kind: 'popular', rank: 1 })
    // milk: 0.6 share + 0.1 × ½^(9/30) + 0.001 (popular rank 2 of 2 → 1/2 × 0.001 × 2)…
    expect(out[0]!.score).toBeCloseTo(0.6 + 0.1 * Math.pow(0.5, 9 / 30) + 0.001 * 1 / 2, 12)
    // cereal: 0.2 × 0.5 × 0.6
    expect(out[2]!.score).toBeCloseTo(0.06, 12)
    // Tea, bought yesterday, is not suggested; with no rule it is.
    expect(recommend({ today: '2026-03-10', history: [{ item: 'tea', days: 1, lastDate: '2026-03-09' }], together: none, similar: none, popular: [], limit: 3, excludeDays: 0 }).map((s) => s.item)).toEqual(['tea'])
    // Bought exactly excludeDays days ago (3 March, 7 days before 10 March) is allowed again.
    expect(recommend({ today: '2026-03-10', history: [{ item: 'tea', days: 1, lastDate: '2026-03-03' }], together: none, similar: none, popular: [], limit: 3, excludeDays: 7 }).map((s) => s.item)).toEqual(['tea'])
    expect(recommend({ today: '2026-03-10', history: [{ item: 'tea', days: 1, lastDate: '2026-03-04' }], together: none, similar: none, popular: [], limit: 3, excludeDays: 7 })).toEqual([])
  })

  it('names the history item that contributed most, keeps only allowed items and the limit', () => {
    const input: RecommendInput = {
      today: '2026-03-10',
      history: [{ item: 'a', days: 1, lastDate: '2025-01-01' }, { item: 'b', days: 3, lastDate: '2025-01-01' }],
      together: (i) => [{ item: 'x', score: i === 'a' ? 0.9 : 0.4 }, { item: 'off', score: 1 }],
      similar: none,
      popular: [],
      limit: 3,
      excludeDays: 7,
      allowed: (i: string) => i !== 'off',
    }
    const out = recommend(input)
    // x: a gives 0.2 × 0.9 × ¼ = 0.045, b gives 0.2 × 0.4 × ¾ = 0.06: b names it.
    // b and a are bought themselves (¾ and ¼ of the days, a year ago: recency adds next to nothing).
    expect(out.map((s) => s.item)).toEqual(['b', 'a', 'x'])
    expect(out[2]!.reason).toEqual({ kind: 'together', with: 'b' })
    expect(out[2]!.score).toBeCloseTo(0.105, 12)
    expect(recommend({ ...input, limit: 1 }).map((s) => s.item)).toEqual(['b'])
  })

  it('fills a new member\'s list from the popular products', () => {
    const out = recommend({ today: '2026-03-10', history: [], together: none, similar: none, popular: ['p1', 'p2', 'p3'], limit: 2, excludeDays: 7 })
    expect(out.map((s) => [s.item, s.reason])).toEqual([['p1', { kind: 'popular', rank: 1 }], ['p2', { kind: 'popular', rank: 2 }]])
  })
})

describe('holdoutCheck', () => {
  it('hides each repeat member\'s last basket and scores both lists by hand', () => {
    const p = (member: string, basket: string, date: string, ...items: string[]): Purchase[] => items.map((item) => ({ member, basket, date, item }))
    const purchases = [
      ...p('m1', 'b0', '2025-12-20', 'milk'),
      ...p('m1', 'b1', '2026-01-01', 'milk', 'bread'),
      ...p('m1', 'b2', '2026-01-20', 'milk', 'eggs'), // hidden: milk is suggested (repeat), eggs is not
      ...p('m2', 'b3', '2026-01-02', 'bread'),
      ...p('m2', 'b4', '2026-01-03', 'bread'),
      ...p('m2', 'b5', '2026-01-30', 'tea'), // hidden: tea was never seen
      ...p('m3', 'b6', '2026-01-05', 'bread', 'jam'), // one basket: not checked, but learned from
    ]
    const r = holdoutCheck(purchases, { limit: 1, excludeDays: 0 })
    expect(r.members).toBe(2)
    expect(r.trainingBaskets).toBe(5)
    // Patron's one suggestion: m1 → milk, 2 of their 3 days (hit, 1 of 2 items); m2 → bread (miss).
    expect(r.patron).toEqual({ hitRate: 0.5, recall: 0.25 })
    // The most popular item of the training baskets is bread (3 baskets): a miss for both.
    expect(r.popular).toEqual({ hitRate: 0, recall: 0 })
  })
})
