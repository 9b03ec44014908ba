import { unprocessable } from '../../../shared/errors.js'

// Frequent itemsets by FP-Growth (Han, Pei & Yin 2000) and association rules as arules defines
// them, over integer item ids. Pure: no I/O, no clock.
//
// Speed is the point (a million baskets in well under a second), hence the shape. Items are
// ranked once by frequency and every path, in every tree, runs in rank order. The FP-tree and
// the conditional trees are flat typed arrays, reused from one conditional tree to the next at
// the same depth. The main tree is written from baskets radix-sorted by their first ranks, so
// it needs almost no child look-ups; a conditional tree is projected by meeting each node above
// the item's nodes once (not once per path through it) and merging branches through a hash of
// (parent, item). A tree that is a single path yields its itemsets without recursion, and the
// deepest level is only counted, not built.

/** Baskets in CSR form: the items of basket i are items[offsets[i] .. offsets[i+1]), distinct ids in [0, itemCount). */
export interface Baskets { offsets: Uint32Array; items: Uint32Array; itemCount: number }

export interface MineOptions {
  /** minimum support as a fraction of baskets (0 < s ≤ 1); an itemset is frequent when count ≥ minCount(s, n) */
  minSupport: number
  /** longest itemset (default 4) */
  maxLength?: number
  /** stop with an error (code RULES_TOO_MANY) once this many frequent itemsets were found (default 1_000_000) */
  maxItemsets?: number
}

export interface Itemset { items: number[] /* ascending ids */; count: number }

export interface RuleOptions {
  minConfidence: number
  minLift?: number
  /** items on the right-hand side: 1 (default) or any ("all") */
  consequents?: 1 | 'all'
}

export interface Rule { antecedent: number[]; consequent: number[]; count: number; support: number; confidence: number; lift: number }

const DEFAULT_MAX_LENGTH = 4
const DEFAULT_MAX_ITEMSETS = 1_000_000

/** The least count of a frequent itemset; the epsilon keeps 0.07 × 100 at 7 and not 8. */
export const minCount = (minSupport: number, baskets: number): number => Math.max(1, Math.ceil(minSupport * baskets - 1e-9))

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0

const checkMineOptions = (options: MineOptions): { minSupport: number; maxLength: number; maxItemsets: number } => {
  const { minSupport } = options
  if (typeof minSupport !== 'number' || !(minSupport > 0 && minSupport <= 1)) {
    throw unprocessable('RULES_BAD_SUPPORT', [{ field: 'minSupport', reason: 'must be a fraction in (0, 1]' }])
  }
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH
  if (!isCount(maxLength) || maxLength < 1) {
    throw unprocessable('RULES_BAD_LENGTH', [{ field: 'maxLength', reason: 'must be a whole number of at least 1' }])
  }
  const maxItemsets = options.maxItemsets ?? DEFAULT_MAX_ITEMSETS
  if (!isCount(maxItemsets) || maxItemsets < 1) {
    throw unprocessable('RULES_BAD_LIMIT', [{ field: 'maxItemsets', reason: 'must be a whole number of at least 1' }])
  }
  return { minSupport, maxLength, maxItemsets }
}

const badBaskets = (reason: string) => unprocessable('RULES_BAD_BASKETS', [{ field: 'baskets', reason }])

/** Builds Baskets from arrays of item ids: duplicates within a basket are dropped, empty baskets kept (they count in n). */
export const basketsFrom = (lists: ReadonlyArray<ReadonlyArray<number>>, itemCount: number): Baskets => {
  if (!isCount(itemCount)) throw badBaskets('itemCount must be a whole number')
  const offsets = new Uint32Array(lists.length + 1)
  let total = 0
  for (const list of lists) total += list.length
  const items = new Uint32Array(total)
  // seen[id] = basket index + 1 while that basket is copied: a duplicate is skipped in O(1).
  const seen = new Int32Array(itemCount)
  let at = 0
  for (let b = 0; b < lists.length; b++) {
    for (const id of lists[b]!) {
      if (!Number.isInteger(id) || id < 0 || id >= itemCount) throw badBaskets(`item id ${id} is not in [0, ${itemCount})`)
      if (seen[id] === b + 1) continue
      seen[id] = b + 1
      items[at++] = id
    }
    offsets[b + 1] = at
  }
  return { offsets, items: at === total ? items : items.slice(0, at), itemCount }
}

// ---------------------------------------------------------------------------------------------
// FP-trees in typed arrays. Node v is node[4v .. 4v+4): parent, item (its rank: 0 = the most
// frequent item), count, link (the next node of the same item). Interleaved, a node is one
// cache line's quarter: the mining follows node-links and parents across a tree of a million
// nodes, and four separate arrays cost four cache misses a node instead of one. Node 0 is the
// root; 0 also ends a node-link (the root is on none).

interface Tree {
  node: Int32Array
  nodes: number
  /** per rank: the first node of the item, and its count in this tree */
  head: Int32Array
  support: Int32Array
  /** the ranks present in this tree */
  ranks: Int32Array
  rankCount: number
  /** child hash of a conditional tree: key parent·K + rank + 1 (0 = free slot) → node */
  keys: Float64Array
  slots: Int32Array
}

const newTree = (ranks: number, node: Int32Array): Tree => ({
  node,
  nodes: 1,
  head: new Int32Array(ranks),
  support: new Int32Array(ranks),
  ranks: new Int32Array(ranks),
  rankCount: 0,
  keys: new Float64Array(16),
  slots: new Int32Array(16),
})

const hashBits = (slotsNeeded: number): number => Math.max(4, 32 - Math.clz32(Math.max(1, slotsNeeded - 1)))

// Fibonacci hashing of the packed key: the top bits of key·2^32/φ.
const slotOf = (key: number, shift: number): number => Math.imul(key | 0, 0x9e3779b1) >>> shift

const growInt32 = (a: Int32Array, size: number): Int32Array<ArrayBuffer> => {
  const b = new Int32Array(size)
  b.set(a.subarray(0, Math.min(a.length, size)))
  return b
}

/** A tree that is one path (each node has at most one child) holds nodes 1..m in order. */
const isSinglePath = (t: Tree): boolean => {
  const node = t.node
  for (let v = 2; v < t.nodes; v++) if (node[v << 2] !== v - 1) return false
  return true
}

const tooMany = (maxItemsets: number) =>
  unprocessable('RULES_TOO_MANY', [{ field: 'minSupport', reason: `finds more than ${maxItemsets} frequent itemsets: raise minSupport or lower maxLength` }])

/** All frequent itemsets of at most maxLength items, ordered by length, then ids. */
export const frequentItemsets = (baskets: Baskets, options: MineOptions): Itemset[] => {
  const { minSupport, maxLength, maxItemsets } = checkMineOptions(options)
  const { offsets, items, itemCount } = baskets
  if (!isCount(itemCount)) throw badBaskets('itemCount must be a whole number')
  const n = Math.max(0, offsets.length - 1)
  const min = minCount(minSupport, n)

  // 1. Item frequencies (a repeated id counts once per basket, though the contract excludes it).
  const freq = new Int32Array(itemCount)
  const seen = new Int32Array(itemCount)
  const itemsLength = items.length
  for (let b = 0; b < n; b++) {
    const start = offsets[b]!
    const end = offsets[b + 1]!
    if (end < start || end > itemsLength) throw badBaskets(`offsets are not ascending within items at basket ${b}`)
    for (let j = start; j < end; j++) {
      const id = items[j]!
      if (id >= itemCount) throw badBaskets(`item id ${id} is not in [0, ${itemCount})`)
      if (seen[id] !== b + 1) {
        seen[id] = b + 1
        freq[id]!++
      }
    }
  }

  // 2. Rank the frequent items: most frequent first, ties by id. Ranks order every path.
  const frequent: number[] = []
  for (let id = 0; id < itemCount; id++) if (freq[id]! >= min) frequent.push(id)
  frequent.sort((a, b) => freq[b]! - freq[a]! || a - b)
  const K = frequent.length
  const out: Itemset[] = []
  if (K === 0) return out
  const idOf = Int32Array.from(frequent)
  const rankOf = new Int32Array(itemCount).fill(-1)
  for (let r = 0; r < K; r++) rankOf[idOf[r]!] = r

  const prefix = new Int32Array(Math.min(maxLength, K))
  const emit = (length: number, count: number): void => {
    if (out.length >= maxItemsets) throw tooMany(maxItemsets)
    const ids = new Array<number>(length)
    for (let i = 0; i < length; i++) ids[i] = idOf[prefix[i]!]!
    if (length > 1) ids.sort((a, b) => a - b)
    out.push({ items: ids, count })
  }

  if (maxLength === 1) {
    for (let r = 0; r < K; r++) {
      prefix[0] = r
      emit(1, freq[idOf[r]!]!)
    }
    return sortItemsets(out)
  }

  // 3. The FP-tree of all baskets, each inserted along its frequent items in rank order.
  const levels: Tree[] = [buildMainTree(offsets, items, n, rankOf, K)]

  // Scratch of the conditional-tree builder, shared by every depth (a build ends before the
  // recursion goes deeper). Per item: conditional counts, the items met, which are kept. Per
  // node of the tree being projected (none has more nodes than the main tree): 0 if not met,
  // else 1 + the weight of the paths through it, then its image in the conditional tree; back
  // to 0 after each build. Then the nodes met, in chains (each walked up from a node of the
  // item to the first node already met).
  const condCount = new Int32Array(K)
  const touched = new Int32Array(K)
  const keep = new Uint8Array(K)
  const mainNodes = levels[0]!.nodes
  const state = new Int32Array(mainNodes)
  const met = new Int32Array(mainNodes)
  const chains = new Int32Array(mainNodes + 1)
  let metCount = 0
  let chainCount = 0
  let touchedCount = 0

  /**
   * Counts the items of rank r's conditional pattern base in t (into condCount, the items in
   * touched) and leaves in `state` the weight of each node met. Each node above a node of r is
   * met once: the walk up from a node of r stops at a node already met, and the weights are
   * then carried up children first (chains from the last, each from its deep end, as a chain
   * ends below a node of an earlier chain).
   */
  const countConditional = (t: Tree, r: number): void => {
    const node = t.node
    metCount = 0
    chainCount = 0
    touchedCount = 0
    for (let v = t.head[r]!; v !== 0; v = node[(v << 2) + 3]!) {
      const w = node[(v << 2) + 2]!
      let u = node[v << 2]!
      if (u === 0) continue
      if (state[u] !== 0) {
        state[u]! += w
        continue
      }
      chains[chainCount++] = metCount
      state[u] = 1 + w
      met[metCount++] = u
      for (u = node[u << 2]!; u !== 0 && state[u] === 0; u = node[u << 2]!) {
        state[u] = 1
        met[metCount++] = u
      }
    }
    chains[chainCount] = metCount
    for (let c = chainCount - 1; c >= 0; c--) {
      for (let i = chains[c]!, end = chains[c + 1]!; i < end; i++) {
        const u = met[i]!
        const w = state[u]! - 1
        const it = node[(u << 2) + 1]!
        if (condCount[it] === 0) touched[touchedCount++] = it
        condCount[it]! += w
        const p = node[u << 2]!
        if (p !== 0) state[p]! += w
      }
    }
  }

  const clearState = (): void => {
    for (let i = 0; i < metCount; i++) state[met[i]!] = 0
  }

  /** Builds in `c` the conditional FP-tree of rank r in `t`; false when it would be empty. */
  const buildConditional = (t: Tree, r: number, c: Tree): boolean => {
    countConditional(t, r)
    c.rankCount = 0
    for (let i = 0; i < touchedCount; i++) {
      const it = touched[i]!
      if (condCount[it]! >= min) {
        keep[it] = 1
        c.ranks[c.rankCount++] = it
        c.support[it] = condCount[it]!
        c.head[it] = 0
      }
      condCount[it] = 0
    }
    c.nodes = 1
    if (c.rankCount === 0) {
      clearState()
      return false
    }

    // Top-down (chains in order, each from its upper end), a node met goes to its parent's
    // image, or to that image's child of its item when the item is kept: found through the hash,
    // as nodes of different branches merge once items are dropped. The image replaces the
    // weight in `state` once the weight is counted (children read their parent's image).
    if (c.node.length < 4 * (metCount + 1)) c.node = new Int32Array(4 * Math.max(metCount + 1, Math.ceil(0.4 * c.node.length)))
    const bits = hashBits(2 * (metCount + 1))
    const size = 1 << bits
    if (c.keys.length < size) {
      c.keys = new Float64Array(size)
      c.slots = new Int32Array(size)
    } else c.keys.fill(0, 0, size)
    const node = t.node
    const { node: cNode, head: cHead, keys, slots } = c
    const shift = 32 - bits
    const mask = size - 1
    let nodes = 1
    for (let ch = 0; ch < chainCount; ch++) {
      for (let i = chains[ch + 1]! - 1, end = chains[ch]!; i >= end; i--) {
        const u = met[i]!
        const p = node[u << 2]!
        const up = p === 0 ? 0 : state[p]!
        const it = node[(u << 2) + 1]!
        if (keep[it] === 0) {
          state[u] = up
          continue
        }
        const key = up * K + it + 1
        let h = slotOf(key, shift)
        let image: number
        for (;;) {
          const k = keys[h]!
          if (k === key) {
            image = slots[h]!
            break
          }
          if (k === 0) {
            image = nodes++
            keys[h] = key
            slots[h] = image
            const o = image << 2
            cNode[o] = up
            cNode[o + 1] = it
            cNode[o + 2] = 0
            cNode[o + 3] = cHead[it]!
            cHead[it] = image
            break
          }
          h = (h + 1) & mask
        }
        cNode[(image << 2) + 2]! += state[u]! - 1
        state[u] = image
      }
    }
    c.nodes = nodes
    for (let i = 0; i < c.rankCount; i++) keep[c.ranks[i]!] = 0
    clearState()
    return true
  }

  /** Every combination of a single path's items: its count is that of its deepest node. */
  const emitPath = (t: Tree, depth: number): void => {
    const room = maxLength - depth
    const node = t.node
    const combine = (from: number, chosen: number): void => {
      for (let v = from; v < t.nodes; v++) {
        prefix[depth + chosen] = node[(v << 2) + 1]!
        emit(depth + chosen + 1, node[(v << 2) + 2]!)
        if (chosen + 1 < room) combine(v + 1, chosen + 1)
      }
    }
    combine(1, 0)
  }

  /** Mines the tree at `level`, whose itemsets all extend prefix[0 .. level). */
  const mine = (level: number): void => {
    const t = levels[level]!
    if (isSinglePath(t)) {
      emitPath(t, level)
      return
    }
    const deeper = level + 1 < maxLength
    // One level above the longest itemsets the conditional trees would only be counted.
    const last = level + 2 === maxLength
    if (deeper && !last && levels.length === level + 1) levels.push(newTree(K, new Int32Array(64)))
    for (let i = 0; i < t.rankCount; i++) {
      const r = t.ranks[i]!
      prefix[level] = r
      emit(level + 1, t.support[r]!)
      if (!deeper) continue
      if (last) {
        countConditional(t, r)
        clearState()
        for (let j = 0; j < touchedCount; j++) {
          const it = touched[j]!
          if (condCount[it]! >= min) {
            prefix[level + 1] = it
            emit(level + 2, condCount[it]!)
          }
          condCount[it] = 0
        }
      } else if (buildConditional(t, r, levels[level + 1]!)) mine(level + 1)
    }
  }

  mine(0)
  return sortItemsets(out)
}

/**
 * The FP-tree of all baskets. The baskets are first sorted by their leading ranks (a radix sort
 * of keys packing up to W of them), so that a node of those depths is met in one run of baskets
 * and is written without a child look-up: the tree comes out in depth-first order, which also
 * keeps the upward walks of the mining close in memory. Only ranks past the W-th, in longer
 * baskets, are looked up among the children of a node, within a small subtree.
 */
const buildMainTree = (offsets: Uint32Array, items: Uint32Array, n: number, rankOf: Int32Array, K: number): Tree => {
  // Key of a basket: its first W ranks + 1 (0 past its end), `perWord` to a 32-bit word, the
  // first rank in the high bits of `hi`. The ranks past the W-th go to `tails` as
  // [length, ranks…], and `tail` says where (-1 for none).
  const bits = 32 - Math.clz32(K)
  const perWord = Math.floor(32 / bits)
  const W = 2 * perWord
  const rankMask = (1 << bits) - 1
  let hi = new Uint32Array(n)
  let lo = new Uint32Array(n)
  let tail = new Int32Array(n)
  let tails = new Int32Array(1024)
  const basket = new Int32Array(K)
  const support = new Int32Array(K)
  let m = 0
  let tailsAt = 0
  let occurrences = 0
  for (let b = 0; b < n; b++) {
    // The basket's frequent items as ascending ranks (insertion sort: baskets are short), repeats dropped.
    let length = 0
    const end = offsets[b + 1]!
    for (let j = offsets[b]!; j < end; j++) {
      const r = rankOf[items[j]!]!
      if (r < 0) continue
      let i = length - 1
      while (i >= 0 && basket[i]! > r) i--
      if (i >= 0 && basket[i] === r) continue
      for (let k = length - 1; k > i; k--) basket[k + 1] = basket[k]!
      basket[i + 1] = r
      length++
    }
    if (length === 0) continue
    occurrences += length
    for (let p = 0; p < length; p++) support[basket[p]!]!++
    let h = 0
    let l = 0
    for (let p = 0; p < perWord; p++) h = (h << bits) | (p < length ? basket[p]! + 1 : 0)
    for (let p = perWord; p < W; p++) l = (l << bits) | (p < length ? basket[p]! + 1 : 0)
    hi[m] = h >>> 0
    lo[m] = l >>> 0
    if (length > W) {
      if (tailsAt + 1 + length - W > tails.length) tails = growInt32(tails, 2 * (tailsAt + 1 + length))
      tail[m] = tailsAt
      tails[tailsAt++] = length - W
      for (let p = W; p < length; p++) tails[tailsAt++] = basket[p]!
    } else tail[m] = -1
    m++
  }

  // LSD radix sort of (lo, then hi) in 16-bit digits, the tail offsets carried along. The four
  // histograms are taken in one pass; a digit that is the same in every key costs no pass.
  {
    let hi2 = new Uint32Array(m)
    let lo2 = new Uint32Array(m)
    let tail2 = new Int32Array(m)
    const counts = new Int32Array(4 << 16)
    for (let i = 0; i < m; i++) {
      const h = hi[i]!
      const l = lo[i]!
      counts[l & 0xffff]!++
      counts[(1 << 16) + (l >>> 16)]!++
      counts[(2 << 16) + (h & 0xffff)]!++
      counts[(3 << 16) + (h >>> 16)]!++
    }
    for (let pass = 0; pass < 4; pass++) {
      const base = pass << 16
      const shift = (pass & 1) << 4
      const key = pass < 2 ? lo : hi
      if (m === 0 || counts[base + ((key[0]! >>> shift) & 0xffff)] === m) continue
      let sum = 0
      for (let d = base; d < base + (1 << 16); d++) {
        const c = counts[d]!
        counts[d] = sum
        sum += c
      }
      for (let i = 0; i < m; i++) {
        const to = counts[base + ((key[i]! >>> shift) & 0xffff)]!++
        hi2[to] = hi[i]!
        lo2[to] = lo[i]!
        tail2[to] = tail[i]!
      }
      ;[hi, hi2] = [hi2, hi]
      ;[lo, lo2] = [lo2, lo]
      ;[tail, tail2] = [tail2, tail]
    }
  }

  let capacity = Math.max(1024, Math.min(occurrences + 1, occurrences >> 2))
  let node = new Int32Array(4 * capacity)
  let firstChild = new Int32Array(capacity)
  let nextSibling = new Int32Array(capacity)
  const head = new Int32Array(K)
  const pathNodes = new Int32Array(K)
  const previous = new Int32Array(K)
  let previousLength = 0
  let nodes = 1
  for (let i = 0; i < m; i++) {
    const h = hi[i]!
    const l = lo[i]!
    const at = tail[i]!
    let length = 0
    for (let p = 0; p < perWord; p++) {
      const d = (h >>> ((perWord - 1 - p) * bits)) & rankMask
      if (d === 0) break
      basket[length++] = d - 1
    }
    if (length === perWord) {
      for (let p = 0; p < perWord; p++) {
        const d = (l >>> ((perWord - 1 - p) * bits)) & rankMask
        if (d === 0) break
        basket[length++] = d - 1
      }
    }
    if (at >= 0) for (let k = 1, e = tails[at]!; k <= e; k++) basket[length++] = tails[at + k]!
    if (nodes + length > capacity) {
      capacity = Math.max(nodes + length, Math.min(occurrences + 1, Math.ceil(capacity * 1.5)))
      node = growInt32(node, 4 * capacity)
      firstChild = growInt32(firstChild, capacity)
      nextSibling = growInt32(nextSibling, capacity)
    }
    // The path shared with the previous basket is walked again, not looked up.
    let same = 0
    while (same < length && same < previousLength && basket[same] === previous[same]) node[(pathNodes[same++]! << 2) + 2]!++
    // Diverging within the sorted ranks, the node is new; deeper, an earlier basket of the run
    // may have made it, until a node is created (whose children are then all new).
    let fresh = same < W
    let up = same === 0 ? 0 : pathNodes[same - 1]!
    for (let p = same; p < length; p++) {
      const r = basket[p]!
      let v = 0
      if (!fresh) {
        for (let c = firstChild[up]!; c !== 0; c = nextSibling[c]!) {
          if (node[(c << 2) + 1] === r) {
            v = c
            break
          }
        }
      }
      if (v === 0) {
        v = nodes++
        const o = v << 2
        node[o] = up
        node[o + 1] = r
        node[o + 2] = 0
        node[o + 3] = head[r]!
        head[r] = v
        firstChild[v] = 0
        nextSibling[v] = firstChild[up]!
        firstChild[up] = v
        fresh = true
      }
      node[(v << 2) + 2]!++
      pathNodes[p] = v
      previous[p] = r
      up = v
    }
    previousLength = length
  }

  const t = newTree(K, node)
  t.nodes = nodes
  t.head = head
  t.support = support
  for (let r = 0; r < K; r++) if (support[r]! > 0) t.ranks[t.rankCount++] = r
  return t
}

const compareIds = (a: readonly number[], b: readonly number[]): number => {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

const sortItemsets = (itemsets: Itemset[]): Itemset[] =>
  itemsets.sort((a, b) => a.items.length - b.items.length || compareIds(a.items, b.items))

// ---------------------------------------------------------------------------------------------
// Association rules.

const checkRuleOptions = (basketCount: number, options: RuleOptions): { minConfidence: number; minLift: number; all: boolean } => {
  if (!isCount(basketCount)) throw unprocessable('RULES_BAD_BASKETS', [{ field: 'basketCount', reason: 'must be a whole number' }])
  const { minConfidence, minLift, consequents = 1 } = options
  if (typeof minConfidence !== 'number' || !(minConfidence >= 0 && minConfidence <= 1)) {
    throw unprocessable('RULES_BAD_CONFIDENCE', [{ field: 'minConfidence', reason: 'must be a fraction in [0, 1]' }])
  }
  if (minLift !== undefined && (typeof minLift !== 'number' || !(minLift >= 0 && minLift < Infinity))) {
    throw unprocessable('RULES_BAD_LIFT', [{ field: 'minLift', reason: 'must be a number of at least 0' }])
  }
  if (consequents !== 1 && consequents !== 'all') {
    throw unprocessable('RULES_BAD_CONSEQUENTS', [{ field: 'consequents', reason: 'must be 1 or "all"' }])
  }
  return { minConfidence, minLift: minLift ?? 0, all: consequents === 'all' }
}

const badItemsets = (reason: string) => unprocessable('RULES_BAD_ITEMSETS', [{ field: 'itemsets', reason }])

/**
 * The rules X ⇒ Y (X non-empty, X ∩ Y = ∅) of the frequent itemsets X ∪ Y of two items or more,
 * with confidence and lift at least the options' (arules' definitions), by lift, confidence,
 * count, then antecedent and consequent ids. `itemsets` must hold every subset of each of its
 * itemsets, as frequentItemsets returns them.
 */
export const associationRules = (itemsets: Itemset[], basketCount: number, options: RuleOptions): Rule[] => {
  const { minConfidence, minLift, all } = checkRuleOptions(basketCount, options)
  const n = basketCount
  // Each itemset is found from its prefix without its last item: key (prefix index + 1)·base
  // + last id, a number well within 2^53, so a subset's count costs one Map look-up per item.
  let base = 1
  let longest = 0
  for (const s of itemsets) {
    const length = s.items.length
    if (length === 0) throw badItemsets('an itemset is empty')
    if (!isCount(s.count) || s.count < 1 || s.count > n) throw badItemsets(`count ${s.count} is not in [1, basketCount]`)
    for (let i = 0; i < length; i++) {
      const id = s.items[i]!
      if (!isCount(id) || (i > 0 && id <= s.items[i - 1]!)) throw badItemsets('items must be ascending whole ids')
      if (id >= base) base = id + 1
    }
    if (length > longest) longest = length
  }
  if ((itemsets.length + 1) * base > Number.MAX_SAFE_INTEGER) throw badItemsets('too many itemsets for ids this large')
  const byLength = itemsets.map((_, i) => i).sort((a, b) => itemsets[a]!.items.length - itemsets[b]!.items.length)
  const index = new Map<number, number>()
  const missing = () => badItemsets('a subset of a frequent itemset is missing')
  for (const i of byLength) {
    const ids = itemsets[i]!.items
    let at = 0
    for (let j = 0; j < ids.length - 1; j++) {
      const found = index.get(at * base + ids[j]!)
      if (found === undefined) throw missing()
      at = found + 1
    }
    index.set(at * base + ids[ids.length - 1]!, i)
  }
  /** The count of the items of `ids` whose bit is set in `mask`. */
  const countOf = (ids: readonly number[], mask: number): number => {
    let at = 0
    for (let j = 0; j < ids.length; j++) {
      if ((mask & (1 << j)) === 0) continue
      const found = index.get(at * base + ids[j]!)
      if (found === undefined) throw missing()
      at = found + 1
    }
    return itemsets[at - 1]!.count
  }
  const pick = (ids: readonly number[], mask: number): number[] => {
    const out: number[] = []
    for (let j = 0; j < ids.length; j++) if ((mask & (1 << j)) !== 0) out.push(ids[j]!)
    return out
  }

  if (longest > 30) throw badItemsets('itemsets of more than 30 items')
  const rules: Rule[] = []
  for (const s of itemsets) {
    const ids = s.items
    const k = ids.length
    if (k < 2) continue
    const full = (1 << k) - 1
    const support = s.count / n
    const consider = (consequent: number) => {
      const antecedent = full & ~consequent
      const confidence = s.count / countOf(ids, antecedent)
      if (confidence < minConfidence) return
      const lift = confidence / (countOf(ids, consequent) / n)
      if (lift < minLift) return
      rules.push({ antecedent: pick(ids, antecedent), consequent: pick(ids, consequent), count: s.count, support, confidence, lift })
    }
    if (all) for (let y = 1; y < full; y++) consider(y)
    else for (let j = 0; j < k; j++) consider(1 << j)
  }
  return rules.sort((a, b) =>
    b.lift - a.lift || b.confidence - a.confidence || b.count - a.count
    || compareIds(a.antecedent, b.antecedent) || compareIds(a.consequent, b.consequent))
}
