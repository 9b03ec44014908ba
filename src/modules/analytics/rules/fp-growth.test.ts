import { describe, expect, it } from 'vitest'
import { readCsvGz } from '../../../../test/real-data/csv.js'
import { associationRules, basketsFrom, frequentItemsets, minCount, type Itemset, type Rule, type RuleOptions } from './fp-growth.js'
import { seededRandom as random } from '../../../shared/random.js'

// ---------------------------------------------------------------------------------------------
// The plain computation the module is checked against: every subset (up to maxLength items) of
// each basket's frequent items is counted under a string key, and rules are read off those
// counts with the textbook formulas. Slow and obvious; it shares nothing with the module.

const plainItemsets = (lists: ReadonlyArray<ReadonlyArray<number>>, minSupport: number, maxLength: number): Map<string, number> => {
  const least = Math.max(1, Math.ceil(minSupport * lists.length - 1e-9))
  const single = new Map<number, number>()
  for (const list of lists) for (const id of new Set(list)) single.set(id, (single.get(id) ?? 0) + 1)
  const counts = new Map<string, number>()
  for (const list of lists) {
    const frequent = [...new Set(list)].filter((id) => single.get(id)! >= least).sort((a, b) => a - b)
    const visit = (from: number, chosen: number[]) => {
      for (let i = from; i < frequent.length; i++) {
        chosen.push(frequent[i]!)
        const key = chosen.join(',')
        counts.set(key, (counts.get(key) ?? 0) + 1)
        if (chosen.length < maxLength) visit(i + 1, chosen)
        chosen.pop()
      }
    }
    visit(0, [])
  }
  return new Map([...counts].filter(([, count]) => count >= least))
}

interface PlainRule { antecedent: string; consequent: string; count: number; confidence: number; lift: number }

const plainRules = (counts: Map<string, number>, n: number, options: RuleOptions): PlainRule[] => {
  const rules: PlainRule[] = []
  for (const [key, count] of counts) {
    const ids = key.split(',').map(Number)
    if (ids.length < 2) continue
    for (let mask = 1; mask < (1 << ids.length) - 1; mask++) {
      const consequent = ids.filter((_, j) => (mask & (1 << j)) !== 0)
      if (options.consequents !== 'all' && consequent.length !== 1) continue
      const antecedent = ids.filter((_, j) => (mask & (1 << j)) === 0)
      const confidence = count / counts.get(antecedent.join(','))!
      const lift = confidence / (counts.get(consequent.join(','))! / n)
      if (confidence >= options.minConfidence && lift >= (options.minLift ?? 0)) {
        rules.push({ antecedent: antecedent.join(','), consequent: consequent.join(','), count, confidence, lift })
      }
    }
  }
  return rules
}

const itemsetKeys = (itemsets: Itemset[]) => itemsets.map((s) => `${s.items.join(',')}#${s.count}`).sort()
const plainItemsetKeys = (counts: Map<string, number>) => [...counts].map(([key, count]) => `${key}#${count}`).sort()
const ruleKeys = (rules: Array<Rule | PlainRule>) =>
  rules.map((r) => `${Array.isArray(r.antecedent) ? r.antecedent.join(',') : r.antecedent}=>${Array.isArray(r.consequent) ? r.consequent.join(',') : r.consequent}#${r.count}`).sort()


const mine = (lists: number[][], itemCount: number, minSupport: number, minConfidence: number, maxLength?: number) => {
  const itemsets = frequentItemsets(basketsFrom(lists, itemCount), { minSupport, maxLength })
  return { itemsets, rules: associationRules(itemsets, lists.length, { minConfidence }) }
}

// ---------------------------------------------------------------------------------------------

describe('frequent itemsets and rules on small hand-made baskets', () => {
  // The five baskets of node-fpgrowth's README; at 40 % an itemset needs 2 of them.
  const FIVE = [[1, 3, 4], [2, 3, 5], [1, 2, 3, 5], [2, 5], [1, 2, 3, 5]]

  it('finds exactly the itemsets counted by hand, ids ascending, by length then ids', () => {
    const { itemsets } = mine(FIVE, 6, 0.4, 0)
    expect(itemsets).toEqual([
      { items: [1], count: 3 }, { items: [2], count: 4 }, { items: [3], count: 4 }, { items: [5], count: 4 },
      { items: [1, 2], count: 2 }, { items: [1, 3], count: 3 }, { items: [1, 5], count: 2 },
      { items: [2, 3], count: 3 }, { items: [2, 5], count: 4 }, { items: [3, 5], count: 3 },
      { items: [1, 2, 3], count: 2 }, { items: [1, 2, 5], count: 2 }, { items: [1, 3, 5], count: 2 }, { items: [2, 3, 5], count: 3 },
      { items: [1, 2, 3, 5], count: 2 },
    ])
  })

  it('measures a rule as arules does: support of the union, confidence, lift over the consequent support', () => {
    const { rules } = mine(FIVE, 6, 0.4, 0)
    const rule = rules.find((r) => r.antecedent.join() === '2' && r.consequent.join() === '5')
    expect(rule).toEqual({ antecedent: [2], consequent: [5], count: 4, support: 0.8, confidence: 1, lift: 1.25 })
    const weak = rules.find((r) => r.antecedent.join() === '2' && r.consequent.join() === '1')!
    expect(weak).toMatchObject({ count: 2, support: 0.4, confidence: 0.5 })
    expect(weak.lift).toBeCloseTo(0.5 / 0.6, 12)
  })

  it('sorts rules by lift, then confidence, then count, then antecedent ids', () => {
    const { rules } = mine(FIVE, 6, 0.4, 0)
    const byIds = (a: number[], b: number[]) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!
      return a.length - b.length
    }
    for (let i = 1; i < rules.length; i++) {
      const [a, b] = [rules[i - 1]!, rules[i]!]
      const order = b.lift - a.lift || b.confidence - a.confidence || b.count - a.count || byIds(a.antecedent, b.antecedent)
      expect(order, `${JSON.stringify(a)} before ${JSON.stringify(b)}`).toBeLessThanOrEqual(0)
    }
    expect(rules.slice(0, 2)).toMatchObject([
      { antecedent: [2], consequent: [5], confidence: 1, lift: 1.25, count: 4 },
      { antecedent: [5], consequent: [2], confidence: 1, lift: 1.25, count: 4 },
    ])
  })

  it('finds nothing in no baskets', () => {
    const baskets = basketsFrom([], 10)
    expect(Array.from(baskets.offsets)).toEqual([0])
    expect(frequentItemsets(baskets, { minSupport: 0.1 })).toEqual([])
    expect(associationRules([], 0, { minConfidence: 0.5 })).toEqual([])
  })

  it('counts empty baskets in n: they lower every support', () => {
    const lists = [[0, 1], [0, 1], [], [], [0]]
    expect(basketsFrom(lists, 2).offsets.length).toBe(6)
    expect(mine(lists, 2, 0.4, 0).itemsets).toEqual([{ items: [0], count: 3 }, { items: [1], count: 2 }, { items: [0, 1], count: 2 }])
    expect(mine(lists, 2, 0.5, 0).itemsets).toEqual([{ items: [0], count: 3 }])
    const rule = mine(lists, 2, 0.4, 0).rules.find((r) => r.antecedent[0] === 1)!
    expect(rule).toEqual({ antecedent: [1], consequent: [0], count: 2, support: 0.4, confidence: 1, lift: 1 / 0.6 })
  })

  it('finds every subset of one basket, each once, and rules of confidence and lift 1', () => {
    const { itemsets, rules } = mine([[7, 2, 5]], 8, 1, 0)
    expect(itemsets.map((s) => s.items)).toEqual([[2], [5], [7], [2, 5], [2, 7], [5, 7], [2, 5, 7]])
    expect(itemsets.every((s) => s.count === 1)).toBe(true)
    expect(rules).toHaveLength(9)
    expect(rules.every((r) => r.confidence === 1 && r.lift === 1 && r.support === 1)).toBe(true)
  })

  it('drops an id repeated within a basket, so it counts once for that basket', () => {
    const baskets = basketsFrom([[3, 1, 3, 3], [1, 1]], 4)
    expect(Array.from(baskets.items)).toEqual([3, 1, 1])
    expect(Array.from(baskets.offsets)).toEqual([0, 2, 3])
    expect(frequentItemsets(baskets, { minSupport: 0.5 })).toEqual([{ items: [1], count: 2 }, { items: [3], count: 1 }, { items: [1, 3], count: 1 }])
  })

  it('counts a repeated id once even when the CSR arrays are built by hand', () => {
    const baskets = { offsets: Uint32Array.from([0, 3, 4]), items: Uint32Array.from([2, 0, 2, 2]), itemCount: 3 }
    expect(frequentItemsets(baskets, { minSupport: 0.5 })).toEqual([{ items: [0], count: 1 }, { items: [2], count: 2 }, { items: [0, 2], count: 1 }])
  })

  it.each([
    [1, [1]],
    [2, [1, 2]],
    [3, [1, 2, 3]],
    [4, [1, 2, 3, 4]],
  ])('stops at maxLength %i', (maxLength, lengths) => {
    const itemsets = frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4, maxLength })
    expect([...new Set(itemsets.map((s) => s.items.length))]).toEqual(lengths)
    expect(itemsetKeys(itemsets)).toEqual(plainItemsetKeys(plainItemsets(FIVE, 0.4, maxLength)))
  })

  it('makes no rule from itemsets of one item', () => {
    const itemsets = frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4, maxLength: 1 })
    expect(associationRules(itemsets, 5, { minConfidence: 0 })).toEqual([])
  })

  it('puts several items on the right-hand side with consequents "all"', () => {
    const itemsets = frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4 })
    const all = associationRules(itemsets, 5, { minConfidence: 0, consequents: 'all' })
    const one = associationRules(itemsets, 5, { minConfidence: 0, consequents: 1 })
    // 6 pairs · 2 + 4 triples · 6 + 1 quadruple · 14
    expect(all).toHaveLength(50)
    expect(one).toHaveLength(6 * 2 + 4 * 3 + 4)
    expect(all.find((r) => r.antecedent.join() === '1' && r.consequent.join() === '2,3,5')).toMatchObject({ count: 2, confidence: 2 / 3 })
    expect(ruleKeys(all)).toEqual(ruleKeys(plainRules(plainItemsets(FIVE, 0.4, 4), 5, { minConfidence: 0, consequents: 'all' })))
  })

  it('keeps only rules of at least minLift (and minConfidence)', () => {
    const itemsets = frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4 })
    const all = associationRules(itemsets, 5, { minConfidence: 0 })
    const lifted = associationRules(itemsets, 5, { minConfidence: 0.6, minLift: 1.2 })
    expect(lifted.length).toBeGreaterThan(0)
    expect(lifted.length).toBeLessThan(all.length)
    expect(lifted).toEqual(all.filter((r) => r.lift >= 1.2 && r.confidence >= 0.6))
  })

  it('stops with RULES_TOO_MANY past maxItemsets', () => {
    expect(frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4, maxItemsets: 15 })).toHaveLength(15)
    expect(() => frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4, maxItemsets: 14 }))
      .toThrow(expect.objectContaining({ status: 422, code: 'RULES_TOO_MANY', details: [expect.objectContaining({ field: 'minSupport' })] }))
  })

  it.each<[string, () => unknown, string, string]>([
    ['minSupport 0', () => frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0 }), 'RULES_BAD_SUPPORT', 'minSupport'],
    ['minSupport above 1', () => frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 1.5 }), 'RULES_BAD_SUPPORT', 'minSupport'],
    ['minSupport NaN', () => frequentItemsets(basketsFrom(FIVE, 6), { minSupport: Number.NaN }), 'RULES_BAD_SUPPORT', 'minSupport'],
    ['maxLength 0', () => frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4, maxLength: 0 }), 'RULES_BAD_LENGTH', 'maxLength'],
    ['maxLength 2.5', () => frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4, maxLength: 2.5 }), 'RULES_BAD_LENGTH', 'maxLength'],
    ['maxItemsets 0', () => frequentItemsets(basketsFrom(FIVE, 6), { minSupport: 0.4, maxItemsets: 0 }), 'RULES_BAD_LIMIT', 'maxItemsets'],
    ['minConfidence above 1', () => associationRules([], 5, { minConfidence: 1.01 }), 'RULES_BAD_CONFIDENCE', 'minConfidence'],
    ['minConfidence below 0', () => associationRules([], 5, { minConfidence: -0.1 }), 'RULES_BAD_CONFIDENCE', 'minConfidence'],
    ['minLift below 0', () => associationRules([], 5, { minConfidence: 0.5, minLift: -1 }), 'RULES_BAD_LIFT', 'minLift'],
    ['consequents 2', () => associationRules([], 5, { minConfidence: 0.5, consequents: 2 as never }), 'RULES_BAD_CONSEQUENTS', 'consequents'],
    ['a negative basket count', () => associationRules([], -1, { minConfidence: 0.5 }), 'RULES_BAD_BASKETS', 'basketCount'],
    ['an itemset without its subsets', () => associationRules([{ items: [1, 2], count: 2 }], 5, { minConfidence: 0.5 }), 'RULES_BAD_ITEMSETS', 'itemsets'],
    ['an id out of range', () => basketsFrom([[0, 6]], 6), 'RULES_BAD_BASKETS', 'baskets'],
    ['an id out of range in CSR arrays', () => frequentItemsets({ offsets: Uint32Array.from([0, 1]), items: Uint32Array.from([9]), itemCount: 6 }, { minSupport: 0.5 }), 'RULES_BAD_BASKETS', 'baskets'],
  ])('refuses %s with a 422 naming the field', (_name, run, code, field) => {
    expect(run).toThrow(expect.objectContaining({ status: 422, code, details: [expect.objectContaining({ field })] }))
  })

  it.each([
    [0.001, 9835, 10],
    [0.07, 100, 7],
    [0.1, 3, 1],
    [0.5, 0, 1],
    [1, 7, 7],
  ])('minCount(%d, %i) = %i', (minSupport, n, count) => {
    expect(minCount(minSupport, n)).toBe(count)
  })
})

describe('frequent itemsets and rules on random baskets, against the plain computation', () => {
  it.each([
    // seed, baskets, items, most items a basket, minSupport, maxLength, minConfidence
    [1, 3000, 30, 8, 0.01, 4, 0.1],
    [2, 2000, 12, 10, 0.05, 6, 0.3],
    [3, 4000, 60, 6, 0.004, 3, 0.2],
    [4, 1500, 8, 8, 0.2, 8, 0],
    [5, 2500, 200, 12, 0.003, 4, 0.5],
    [6, 3000, 600, 16, 0.01, 5, 0.3],
  ])('seed %i: %i baskets of %i items', (seed, count, itemCount, most, minSupport, maxLength, minConfidence) => {
    const rand = random(seed)
    const lists: number[][] = []
    for (let i = 0; i < count; i++) {
      const size = Math.floor(rand() * (most + 1))
      // Skewed popularity, repeats and the odd empty basket included.
      lists.push(Array.from({ length: size }, () => Math.floor(rand() ** 2 * itemCount)))
    }
    const plain = plainItemsets(lists, minSupport, maxLength)
    const itemsets = frequentItemsets(basketsFrom(lists, itemCount), { minSupport, maxLength })
    expect(itemsets.length).toBeGreaterThan(itemCount / 4)
    expect(itemsetKeys(itemsets)).toEqual(plainItemsetKeys(plain))
    for (const consequents of [1, 'all'] as const) {
      const options = { minConfidence, consequents, minLift: consequents === 'all' ? 1.05 : undefined }
      const rules = associationRules(itemsets, lists.length, options)
      const expected = plainRules(plain, lists.length, options)
      expect(ruleKeys(rules)).toEqual(ruleKeys(expected))
      const byKey = new Map(expected.map((r) => [`${r.antecedent}=>${r.consequent}`, r]))
      for (const r of rules) {
        const p = byKey.get(`${r.antecedent.join(',')}=>${r.consequent.join(',')}`)!
        expect(r.confidence).toBeCloseTo(p.confidence, 12)
        expect(r.lift).toBeCloseTo(p.lift, 12)
        expect(r.support).toBe(r.count / lists.length)
      }
    }
  })

  it('counts long baskets that share their first items and differ further on', () => {
    // The tree is built from baskets sorted by their first few items; past those, nodes are
    // looked up among siblings. Here most baskets start alike and differ in a long tail.
    const rand = random(11)
    const lists = Array.from({ length: 3000 }, () => [
      ...[0, 1, 2, 3, 4, 5, 6, 7].filter(() => rand() < 0.9),
      ...Array.from({ length: 2 + Math.floor(rand() * 6) }, () => 8 + Math.floor(rand() ** 2 * 300)),
    ])
    const plain = plainItemsets(lists, 0.01, 3)
    const itemsets = frequentItemsets(basketsFrom(lists, 308), { minSupport: 0.01, maxLength: 3 })
    expect(itemsets.length).toBeGreaterThan(1000)
    expect(itemsetKeys(itemsets)).toEqual(plainItemsetKeys(plain))
  })
})

// ---------------------------------------------------------------------------------------------
// Groceries (arules): 9,835 real baskets of 169 categories (../shared/data/README.md §3).

describe('Groceries, as arules mines it', () => {
  const csv = readCsvGz('groceries_arules/groceries_basket_items.csv.gz')
  const [basketCol, itemCol, level2Col] = [csv.col('basket_id'), csv.col('item'), csv.col('level2')]
  const basketCount = csv.rows.reduce((most, row) => Math.max(most, Number(row[basketCol])), 0)

  /** Baskets of labels of one column, as ids into the sorted labels. */
  const basketsOf = (col: number) => {
    const labels = [...new Set(csv.rows.map((row) => row[col]!))].sort()
    const idOf = new Map(labels.map((label, i) => [label, i]))
    const lists: number[][] = Array.from({ length: basketCount }, () => [])
    for (const row of csv.rows) lists[Number(row[basketCol]) - 1]!.push(idOf.get(row[col]!)!)
    return { labels, lists, baskets: basketsFrom(lists, labels.length) }
  }
  const items = basketsOf(itemCol)
  const named = (ids: number[]) => ids.map((id) => items.labels[id])

  it('reads the data set as published', () => {
    expect(basketCount).toBe(9835)
    expect(csv.rows).toHaveLength(43367)
    expect(items.labels).toHaveLength(169)
    expect(items.labels).toContain('cream cheese ')
    expect(items.baskets.items.length).toBe(43367)
  })

  it('gives {other vegetables} ⇒ {whole milk} the figures arules gives', () => {
    const itemsets = frequentItemsets(items.baskets, { minSupport: 0.01 })
    const rules = associationRules(itemsets, basketCount, { minConfidence: 0.1 })
    const rule = rules.find((r) => named(r.antecedent).join() === 'other vegetables' && named(r.consequent).join() === 'whole milk')!
    expect(rule.count).toBe(736)
    expect(rule.support).toBeCloseTo(0.07483, 4)
    expect(rule.confidence).toBeCloseTo(0.3868, 4)
    expect(rule.lift).toBeCloseTo(1.5136, 4)
    expect(itemsets.find((s) => named(s.items).join() === 'whole milk')!.count).toBe(2513)
  })

  it.each([
    ['item', 0.01, 0.1],
    ['item', 0.005, 0.2],
    ['item', 0.02, 0.3],
    ['level2', 0.01, 0.2],
  ] as const)('finds exactly the rules of the plain computation (%s, support %d, confidence %d)', (column, minSupport, minConfidence) => {
    const { lists, baskets } = column === 'item' ? items : basketsOf(level2Col)
    const plain = plainItemsets(lists, minSupport, 4)
    const itemsets = frequentItemsets(baskets, { minSupport })
    expect(itemsetKeys(itemsets)).toEqual(plainItemsetKeys(plain))
    const rules = associationRules(itemsets, basketCount, { minConfidence })
    expect(rules.length).toBeGreaterThan(10)
    expect(ruleKeys(rules)).toEqual(ruleKeys(plainRules(plain, basketCount, { minConfidence })))
  })

  it('finds the 5,668 rules of arules apriori(supp = 0.001, conf = 0.5)', () => {
    // arules (apriori's default maxlen is 10, minlen 1): `apriori(Groceries, parameter =
    // list(supp = 0.001, conf = 0.5))` reports "set of 5668 rules". No rule has an empty
    // left-hand side there (no item is in half the baskets), so the counts are comparable.
    const itemsets = frequentItemsets(items.baskets, { minSupport: 0.001, maxLength: 10 })
    const rules = associationRules(itemsets, basketCount, { minConfidence: 0.5 })
    expect(rules).toHaveLength(5668)
    expect(Math.max(...itemsets.map((s) => s.items.length))).toBeLessThan(10)
  })
})
