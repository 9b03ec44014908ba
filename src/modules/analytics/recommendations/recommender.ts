import { addDays } from '../../../shared/time.js'

/**
 * Personal recommendations, by hand (our own domain): a member's next products from
 *  - their own history ("repeat": what they buy often, and lately),
 *  - what is bought on the same sales as it ("together": item-to-item cosine over baskets, the
 *    pairs the association rules count), and
 *  - what members who buy it also buy ("similar": item-to-item cosine over members' histories,
 *    item-based collaborative filtering),
 * with the chain's most popular products as the last resort. Each suggestion carries the reason
 * that gave it most of its score.
 */

/** Rows (baskets, or members' histories) of distinct item ids in CSR form. */
export interface ItemSets {
  offsets: Uint32Array
  items: Uint32Array
  itemCount: number
}

export interface Neighbour {
  item: number
  /** cosine: together ÷ √(rows with a · rows with b) */
  score: number
  /** rows with both */
  together: number
}

export interface NeighbourOptions {
  /** neighbours kept per item, the most similar first */
  k: number
  /** fewer rows with both than this is chance, not a neighbour */
  minTogether: number
  /** a row longer than this counts its first `cap` items only (members' rows come most-bought first) */
  cap: number
}

/**
 * For every item, its `k` most similar items by cosine over the rows. Counted per item through
 * the rows it is in, with one dense counter array: the work is Σ over rows of (row length)², the
 * memory one counter per item.
 */
export const neighboursOf = (sets: ItemSets, opts: NeighbourOptions): Neighbour[][] => {
  const n = sets.itemCount
  const rows = sets.offsets.length - 1
  const end = (r: number) => Math.min(sets.offsets[r + 1]!, sets.offsets[r]! + opts.cap)
  // Transpose: the rows each item is in.
  const rowCount = new Uint32Array(n)
  for (let r = 0; r < rows; r++) for (let j = sets.offsets[r]!; j < end(r); j++) rowCount[sets.items[j]!]!++
  const starts = new Uint32Array(n + 1)
  for (let i = 0; i < n; i++) starts[i + 1] = starts[i]! + rowCount[i]!
  const rowsOfItem = new Uint32Array(starts[n]!)
  const fill = starts.slice(0, n)
  for (let r = 0; r < rows; r++) for (let j = sets.offsets[r]!; j < end(r); j++) rowsOfItem[fill[sets.items[j]!]!++] = r

  const counts = new Uint32Array(n)
  const touched = new Uint32Array(n)
  const out: Neighbour[][] = new Array(n)
  for (let a = 0; a < n; a++) {
    let t = 0
    for (let x = starts[a]!; x < starts[a + 1]!; x++) {
      const r = rowsOfItem[x]!
      for (let j = sets.offsets[r]!; j < end(r); j++) {
        const b = sets.items[j]!
        if (b === a) continue
        if (counts[b] === 0) touched[t++] = b
        counts[b]!++
      }
    }
    const found: Neighbour[] = []
    for (let i = 0; i < t; i++) {
      const b = touched[i]!
      const together = counts[b]!
      counts[b] = 0
      if (together >= opts.minTogether) found.push({ item: b, score: together / Math.sqrt(rowCount[a]! * rowCount[b]!), together })
    }
    found.sort((x, y) => y.score - x.score || y.together - x.together || x.item - y.item)
    out[a] = found.length > opts.k ? found.slice(0, opts.k) : found
  }
  return out
}

/** How many rows each item is in. */
export const rowCounts = (sets: ItemSets): Uint32Array => {
  const c = new Uint32Array(sets.itemCount)
  for (let j = 0; j < sets.items.length; j++) c[sets.items[j]!]!++
  return c
}

/** Items by the rows they are in, the most first (ties by id), at most `limit`. */
export const mostPopular = (sets: ItemSets, limit: number): number[] => {
  const c = rowCounts(sets)
  const ids = Array.from({ length: sets.itemCount }, (_, i) => i).filter((i) => c[i]! > 0)
  ids.sort((a, b) => c[b]! - c[a]! || a - b)
  return ids.slice(0, limit)
}

/** One product of a member's history: on how many days they bought it, and when last. */
export interface HistoryItem {
  item: string
  days: number
  lastDate: string
}

export type Reason =
  | { kind: 'repeat'; days: number; lastDate: string }
  | { kind: 'together'; with: string }
  | { kind: 'similar'; with: string }
  | { kind: 'popular'; rank: number }

export interface Suggestion {
  item: string
  score: number
  reason: Reason
}

export interface Weights {
  /** the share of the member's purchase days that were this item */
  repeat: number
  /** plus this much × ½^(days since last bought ÷ half-life) */
  recency: number
  recencyHalfLifeDays: number
  /** × cosine × the history item's share, summed over the history */
  together: number
  similar: number
  /** × (popular.length − rank) ÷ popular.length: only breaks ties and fills a short list */
  popular: number
}

/**
 * The weights: a member's own repeat purchases count most, neighbours a fifth as much, the
 * chain's popular products only where nothing else speaks. Chosen once, held to the holdout
 * check on UCI Online Retail (README), and the same for every chain.
 */
export const DEFAULT_WEIGHTS: Weights = { repeat: 1, recency: 0.1, recencyHalfLifeDays: 30, together: 0.2, similar: 0.2, popular: 0.001 }

export interface RecommendInput {
  /** the member's local today */
  today: string
  history: readonly HistoryItem[]
  /** an item's neighbours of each kind (empty when there is no model) */
  together: (item: string) => ReadonlyArray<{ item: string; score: number }>
  similar: (item: string) => ReadonlyArray<{ item: string; score: number }>
  /** the chain's most popular items, the most first */
  popular: readonly string[]
  limit: number
  /** nothing bought in the last N days (0: no such rule) */
  excludeDays: number
  /** whether an item may be suggested at all (on sale; points-eligible for a points offer) */
  allowed?: (item: string) => boolean
  weights?: Weights
}

/**
 * A member's top `limit` suggestions, the highest score first (ties by item), each with the
 * reason that contributed most to its score.
 */
export const recommend = (input: RecommendInput): Suggestion[] => {
  const w = input.weights ?? DEFAULT_WEIGHTS
  const totalDays = input.history.reduce((s, h) => s + h.days, 0)
  const since = input.excludeDays > 0 ? addDays(input.today, -input.excludeDays + 1) : null
  const todayMs = Date.parse(`${input.today}T00:00:00Z`)
  const scores = new Map<string, { score: number; best: number; reason: Reason }>()
  const add = (item: string, value: number, reason: Reason) => {
    if (value <= 0) return
    const s = scores.get(item)
    if (!s) scores.set(item, { score: value, best: value, reason })
    else {
      s.score += value
      if (value > s.best) { s.best = value; s.reason = reason }
    }
  }
  // Each contribution is one (kind, history item): two history items that both point at y are
  // two reasons, and the larger one names y's reason.
  for (const h of input.history) {
    const share = totalDays > 0 ? h.days / totalDays : 0
    const age = Math.max(0, (todayMs - Date.parse(`${h.lastDate}T00:00:00Z`)) / 86_400_000)
    add(h.item, w.repeat * share + w.recency * Math.pow(0.5, age / w.recencyHalfLifeDays), { kind: 'repeat', days: h.days, lastDate: h.lastDate })
    for (const n of input.together(h.item)) add(n.item, w.together * n.score * share, { kind: 'together', with: h.item })
    for (const n of input.similar(h.item)) add(n.item, w.similar * n.score * share, { kind: 'similar', with: h.item })
  }
  const p = input.popular.length
  input.popular.forEach((item, rank) => add(item, (w.popular * (p - rank)) / p, { kind: 'popular', rank: rank + 1 }))

  const recent = new Set(since === null ? [] : input.history.filter((h) => h.lastDate >= since).map((h) => h.item))
  const ranked: Suggestion[] = []
  for (const [item, s] of scores) {
    if (recent.has(item) || (input.allowed && !input.allowed(item))) continue
    ranked.push({ item, score: s.score, reason: s.reason })
  }
  ranked.sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0))
  return ranked.slice(0, input.limit)
}

/** One line of a purchase for the holdout check: who, which basket, its date, which item. */
export interface Purchase {
  member: string
  basket: string
  date: string
  item: string
}

export interface HoldoutOptions {
  limit: number
  excludeDays: number
  neighbours: NeighbourOptions
  weights?: Weights
}

export interface HoldoutScore {
  /** share of the checked members with at least one of the suggestions in their hidden basket */
  hitRate: number
  /** mean over the checked members of (suggestions in the hidden basket ÷ distinct items in it) */
  recall: number
}

export interface HoldoutResult {
  /** members with at least two baskets: each one's last basket is hidden */
  members: number
  trainingBaskets: number
  patron: HoldoutScore
  popular: HoldoutScore
}

/** Nothing bought in the last week is suggested again (a query may ask otherwise). */
export const DEFAULT_EXCLUDE_DAYS = 7

export const HOLDOUT_DEFAULTS: HoldoutOptions = { limit: 10, excludeDays: DEFAULT_EXCLUDE_DAYS, neighbours: { k: 20, minTogether: 2, cap: 100 } }

/** Rows of item ids (with a count each) in CSR form; members' rows the most-bought first, as the service reads them. */
const toSets = (rows: Array<Map<number, number>>, itemCount: number, byCountDesc: boolean): ItemSets => {
  const offsets = new Uint32Array(rows.length + 1)
  let total = 0
  for (const r of rows) total += r.size
  const items = new Uint32Array(total)
  let used = 0
  rows.forEach((r, i) => {
    const entries = [...r]
    if (byCountDesc) entries.sort((a, b) => b[1] - a[1] || a[0] - b[0])
    for (const [item] of entries) items[used++] = item
    offsets[i + 1] = used
  })
  return { offsets, items, itemCount }
}

/**
 * The offline check: hide each member's last basket (the latest date; the greatest basket id on
 * that date), learn from every other basket, suggest `limit` items as of the hidden basket's date,
 * and score them against it — beside the `limit` most popular items of the same training data.
 */
export const holdoutCheck = (purchases: readonly Purchase[], options: Partial<HoldoutOptions> = {}): HoldoutResult => {
  const o = { ...HOLDOUT_DEFAULTS, ...options }
  const baskets = new Map<string, { member: string; date: string; items: Set<string> }>()
  for (const p of purchases) {
    let b = baskets.get(p.basket)
    if (!b) baskets.set(p.basket, (b = { member: p.member, date: p.date, items: new Set() }))
    b.items.add(p.item)
  }
  const last = new Map<string, string>()
  const count = new Map<string, number>()
  for (const [id, b] of baskets) {
    count.set(b.member, (count.get(b.member) ?? 0) + 1)
    const l = last.get(b.member)
    const lb = l === undefined ? undefined : baskets.get(l)!
    if (!lb || b.date > lb.date || (b.date === lb.date && id > l!)) last.set(b.member, id)
  }
  const hidden = new Set<string>()
  for (const [m, id] of last) if (count.get(m)! >= 2) hidden.add(id)

  const ids = new Map<string, number>()
  const keys: string[] = []
  const idOf = (k: string) => {
    let v = ids.get(k)
    if (v === undefined) { v = keys.length; ids.set(k, v); keys.push(k) }
    return v
  }
  // As the service reads them: a member's product counts the distinct days it was bought.
  const basketRows: Array<Map<number, number>> = []
  const dates = new Map<string, Map<string, Set<string>>>()
  for (const [id, b] of baskets) {
    if (hidden.has(id)) continue
    const row = new Map<number, number>()
    let mine = dates.get(b.member)
    if (!mine) dates.set(b.member, (mine = new Map()))
    for (const item of b.items) {
      row.set(idOf(item), 1)
      let d = mine.get(item)
      if (!d) mine.set(item, (d = new Set()))
      d.add(b.date)
    }
    basketRows.push(row)
  }
  const history = new Map<string, HistoryItem[]>()
  const memberRows: Array<Map<number, number>> = []
  for (const [member, items] of dates) {
    const list: HistoryItem[] = []
    const row = new Map<number, number>()
    for (const [item, d] of items) {
      list.push({ item, days: d.size, lastDate: [...d].reduce((a, x) => (x > a ? x : a)) })
      row.set(ids.get(item)!, d.size)
    }
    history.set(member, list)
    memberRows.push(row)
  }
  const basketSets = toSets(basketRows, keys.length, false)
  const memberSets = toSets(memberRows, keys.length, true)
  const together = neighboursOf(basketSets, o.neighbours)
  const similar = neighboursOf(memberSets, o.neighbours)
  const popular = mostPopular(basketSets, 50).map((i) => keys[i]!)
  const lookup = (nbs: Neighbour[][]) => (item: string) => {
    const i = ids.get(item)
    return i === undefined ? [] : nbs[i]!.map((n) => ({ item: keys[n.item]!, score: n.score }))
  }
  const score = (suggest: (member: string, date: string) => string[]): HoldoutScore => {
    let hits = 0
    let recall = 0
    for (const id of hidden) {
      const b = baskets.get(id)!
      const got = suggest(b.member, b.date).filter((i) => b.items.has(i)).length
      if (got > 0) hits++
      recall += got / b.items.size
    }
    return { hitRate: hidden.size ? hits / hidden.size : 0, recall: hidden.size ? recall / hidden.size : 0 }
  }
  const top = popular.slice(0, o.limit)
  return {
    members: hidden.size,
    trainingBaskets: basketRows.length,
    patron: score((member, date) => recommend({
      today: date, history: history.get(member) ?? [], together: lookup(together), similar: lookup(similar),
      popular, limit: o.limit, excludeDays: o.excludeDays, ...(o.weights ? { weights: o.weights } : {}),
    }).map((s) => s.item)),
    popular: score(() => top),
  }
}
