// A small seeded random source for the demo catalogue and receipts. Faker (demo-data.ts) is
// fine for 20,000 members, but a year of receipts takes millions of draws, and every receipt
// gets its own stream so its content does not depend on how many receipts came before it.

/** A 32-bit hash of a seed and labels (FNV-1a, then avalanched), to derive independent streams. */
export const hashSeed = (...parts: Array<string | number>): number => {
  let h = 0x811c9dc5
  for (const part of parts) {
    const s = `${part}\u0001`
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i)
      h = Math.imul(h, 0x01000193)
    }
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

export interface Random {
  /** uniform in [0, 1) */
  next(): number
  /** uniform integer in [min, max] */
  int(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  /** standard normal (Box–Muller) */
  normal(): number
  /** a new 32-bit seed, for a stream of its own */
  seed(): number
}

/** sfc32, seeded through `hashSeed`: fast, and good enough for demo data. */
export const createRandom = (...seed: Array<string | number>): Random => {
  let a = hashSeed(...seed, 'a')
  let b = hashSeed(...seed, 'b')
  let c = hashSeed(...seed, 'c')
  let d = 1
  const next = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    seed: () => Math.floor(next() * 4294967296) >>> 0,
  }
}

/** Draws items by weight in O(log n): cumulative weights and a binary search. */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array
  readonly total: number

  constructor(readonly items: readonly T[], weights: readonly number[]) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('WeightedTable: items and weights must match and not be empty')
    this.cumulative = new Float64Array(items.length)
    let sum = 0
    weights.forEach((w, i) => {
      sum += Math.max(0, w)
      this.cumulative[i] = sum
    })
    if (sum <= 0) throw new Error('WeightedTable: all weights are 0')
    this.total = sum
  }

  /** The item at cumulative position `u × total`, u in [0, 1). */
  at(u: number): T {
    return this.items[this.indexAt(u * this.total)]!
  }

  draw(random: Random): T {
    return this.at(random.next())
  }

  /** The index holding cumulative position `x`, optionally among indexes [from, to). */
  indexAt(x: number, from = 0, to = this.items.length): number {
    let lo = from
    let hi = to - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cumulative[mid]! > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  /** Draws among indexes [from, to) only (e.g. the days after a member registered). */
  drawIndexBetween(random: Random, from: number, to: number): number {
    const before = from > 0 ? this.cumulative[from - 1]! : 0
    const span = this.cumulative[to - 1]! - before
    return this.indexAt(before + random.next() * span, from, to)
  }
}
