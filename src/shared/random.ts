import { randomFillSync } from 'node:crypto'

// Cryptographically random bytes from a pooled buffer. Bulk imports ask for several small
// random values per member (ids, card numbers, IVs); one system call per value made them
// the slowest step. The pool is refilled from the OS CSPRNG, so the bytes are as good.
const pool = Buffer.allocUnsafe(64 * 1024)
let offset = pool.length

export const randomBytesPooled = (size: number): Buffer => {
  if (size > 1024) return randomFillSync(Buffer.allocUnsafe(size))
  if (offset + size > pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  const out = Buffer.from(pool.subarray(offset, offset + size))
  offset += size
  return out
}

/** A uniform float in [0, 1) with 32 random bits. */
export const randomFloat = (): number => randomBytesPooled(4).readUInt32BE() / 0x1_0000_0000

/**
 * A small, fast, seedable source of uniform floats in [0, 1) (mulberry32), for generated test
 * and bench data: the same seed gives the same sequence. Not for anything secret.
 */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
