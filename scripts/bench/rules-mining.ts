// Association-rule mining bench: Patron's FP-Growth (src/modules/analytics/rules/fp-growth.ts)
// against the npm package node-fpgrowth on the same baskets.
//
//   npx tsx scripts/bench/rules-mining.ts [--baskets 1000000] [--items 400] [--support 0.001] [--confidence 0.2] [--runs 3]
//
// node-fpgrowth (1.2.1: `new FPGrowth(support).exec(transactions)`, a promise of
// { items, support } with support a count) takes the minimum support as a fraction and keeps
// itemsets whose count is at least ceil(support·n), with no tolerance for floating error
// (0.07·100 gives 8, not 7); it is handed (minCount − ½)/n so that both use the same least
// count. It keys items by JSON.stringify and counts an item repeated in a basket twice, so it
// gets the deduplicated baskets. It finds itemsets of every
// length and no rules, so ours runs here without a length limit (maxLength = item count) and
// both must report the same number of itemsets. Its node-links are followed by recursion, one
// frame per node, which overflows Node's default stack on large trees: it runs in a worker
// thread with a large stack, timed inside the worker.
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import {
  associationRules,
  basketsFrom,
  frequentItemsets,
  minCount,
  type Baskets,
} from '../../src/modules/analytics/rules/fp-growth.js'
import { seededRandom as random } from '../../src/shared/random.js'

export interface RulesMiningResult {
  ours: { ms: number; itemsets: number; rules: number }
  nodeFpgrowth: { ms: number; itemsets: number } | null
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const toLists = (b: Baskets): number[][] => {
  const out: number[][] = []
  for (let i = 0; i + 1 < b.offsets.length; i++) out.push(Array.from(b.items.subarray(b.offsets[i]!, b.offsets[i + 1]!)))
  return out
}

// Plain JavaScript run in the worker: node-fpgrowth is CommonJS, loaded by its resolved path.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { FPGrowth } = require(workerData.module)
const started = performance.now()
new FPGrowth(workerData.support).exec(workerData.lists).then((itemsets) => {
  parentPort.postMessage({ ms: performance.now() - started, itemsets: itemsets.length })
}, (error) => parentPort.postMessage({ error: String(error && error.stack || error) }))
`

const runNodeFpgrowth = (lists: number[][], support: number): Promise<{ ms: number; itemsets: number } | null> =>
  new Promise((resolve) => {
    const module = createRequire(import.meta.url).resolve('node-fpgrowth')
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { module, lists, support },
      resourceLimits: { stackSizeMb: 1024, maxOldGenerationSizeMb: 12_288 },
    })
    let settled = false
    const done = (value: { ms: number; itemsets: number } | null, why?: string) => {
      if (settled) return
      settled = true
      if (why) console.error(`node-fpgrowth failed: ${why}`)
      void worker.terminate()
      resolve(value)
    }
    worker.on('message', (m: { ms: number; itemsets: number } | { error: string }) =>
      'error' in m ? done(null, m.error) : done(m))
    worker.on('error', (e) => done(null, String(e)))
    worker.on('exit', (code) => done(null, `worker exited with ${code}`))
  })

/** Times ours (median of `runs`: frequent itemsets and rules) and node-fpgrowth (one run, itemsets only). */
export async function rulesMiningCase(opts: {
  baskets: number[][] | Baskets
  itemCount: number
  minSupport: number
  minConfidence: number
  runs?: number
}): Promise<RulesMiningResult> {
  const { itemCount, minSupport, minConfidence, runs = 3 } = opts
  const baskets = Array.isArray(opts.baskets) ? basketsFrom(opts.baskets, itemCount) : opts.baskets
  const n = baskets.offsets.length - 1
  const times: number[] = []
  let itemsets = 0
  let rules = 0
  // One run first, untimed: the timed ones measure the compiled code, not its compilation.
  associationRules(frequentItemsets(baskets, { minSupport, maxLength: Math.max(1, itemCount) }), n, { minConfidence })
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const found = frequentItemsets(baskets, { minSupport, maxLength: Math.max(1, itemCount) })
    const mined = associationRules(found, n, { minConfidence })
    times.push(performance.now() - started)
    itemsets = found.length
    rules = mined.length
  }
  const lists = toLists(baskets)
  const nodeFpgrowth = n === 0 ? null : await runNodeFpgrowth(lists, (minCount(minSupport, n) - 0.5) / n)
  if (nodeFpgrowth && nodeFpgrowth.itemsets !== itemsets) {
    throw new Error(`the two found different numbers of frequent itemsets: ours ${itemsets}, node-fpgrowth ${nodeFpgrowth.itemsets}`)
  }
  return { ours: { ms: median(times), itemsets, rules }, nodeFpgrowth }
}


/**
 * Supermarket-like baskets, the same for a seed: `items` items of Zipf-like popularity (the
 * i-th most popular drawn with weight 1/(i+1)), 1–8 distinct items per basket (3.9 on average),
 * and a few planted associations (a basket holding `when` gets `then` with chance `p`).
 */
export const supermarketBaskets = (count: number, items = 400, seed = 7): number[][] => {
  const rand = random(seed)
  const cdf = new Float64Array(items)
  let total = 0
  for (let i = 0; i < items; i++) cdf[i] = total += 1 / (i + 1)
  for (let i = 0; i < items; i++) cdf[i]! /= total
  const draw = () => {
    const x = rand()
    let lo = 0
    let hi = items - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const sizes = [0.12, 0.18, 0.2, 0.18, 0.13, 0.09, 0.06, 0.04]
  const planted = [
    { when: 3, then: 17, p: 0.5 }, { when: 8, then: 40, p: 0.4 }, { when: 12, then: 5, p: 0.3 },
    { when: 25, then: 60, p: 0.6 }, { when: 33, then: 2, p: 0.35 }, { when: 50, then: 51, p: 0.7 },
    { when: 70, then: 90, p: 0.5 }, { when: 120, then: 9, p: 0.4 },
  ]
  const out: number[][] = []
  for (let b = 0; b < count; b++) {
    let x = rand()
    let size = 1
    while (size < sizes.length && x >= sizes[size - 1]!) x -= sizes[size++ - 1]!
    const basket: number[] = []
    for (let tries = 0; basket.length < size && tries < 4 * size; tries++) {
      const id = draw()
      if (!basket.includes(id)) basket.push(id)
    }
    for (const { when, then, p } of planted) if (basket.includes(when) && !basket.includes(then) && rand() < p) basket.push(then)
    out.push(basket)
  }
  return out
}

const main = async () => {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`)
    return i > 0 ? Number(process.argv[i + 1]) : fallback
  }
  const count = arg('baskets', 1_000_000)
  const items = arg('items', 400)
  const minSupport = arg('support', 0.001)
  const minConfidence = arg('confidence', 0.2)
  const runs = arg('runs', 3)
  // The arrays are dropped once converted: a million of them on the heap would make every full
  // GC slower while ours is timed (node-fpgrowth gets its own copy, as its API takes arrays).
  const { baskets, generated, converted } = (() => {
    let started = performance.now()
    const lists = supermarketBaskets(count, items)
    const generated = performance.now() - started
    started = performance.now()
    const baskets = basketsFrom(lists, items)
    return { baskets, generated, converted: performance.now() - started }
  })()
  const mean = baskets.items.length / count
  console.log(`${count} baskets of ${items} items (${mean.toFixed(2)} per basket): generated in ${generated.toFixed(0)} ms, basketsFrom ${converted.toFixed(0)} ms`)
  console.log(`minSupport ${minSupport} (count ≥ ${minCount(minSupport, count)}), minConfidence ${minConfidence}`)
  const result = await rulesMiningCase({ baskets, itemCount: items, minSupport, minConfidence, runs })
  console.log(`ours:          ${result.ours.ms.toFixed(0)} ms (median of ${runs}), ${result.ours.itemsets} itemsets, ${result.ours.rules} rules`)
  if (result.nodeFpgrowth) {
    console.log(`node-fpgrowth: ${result.nodeFpgrowth.ms.toFixed(0)} ms (one run), ${result.nodeFpgrowth.itemsets} itemsets`)
    console.log(`ratio:         ${(result.nodeFpgrowth.ms / result.ours.ms).toFixed(1)}× faster`)
  } else console.log('node-fpgrowth: failed (see above)')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e)
    process.exitCode = 1
  })
}
