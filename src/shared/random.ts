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
