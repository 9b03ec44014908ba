import type { Baskets } from './fp-growth.js'

/**
 * Baskets from lines ordered by receipt: each receipt's distinct items, as integer ids in CSR
 * form (`keys[id]` is the item's key). A receipt with no line is no basket.
 */
export const basketsOf = (lines: ReadonlyArray<{ r: string; k: string }>): { baskets: Baskets; keys: string[] } => {
  const ids = new Map<string, number>()
  const keys: string[] = []
  const items = new Uint32Array(lines.length)
  const offsets: number[] = [0]
  let used = 0
  let start = 0
  let receipt: string | null = null
  for (const line of lines) {
    if (line.r !== receipt) {
      if (receipt !== null) {
        offsets.push(used)
        start = used
      }
      receipt = line.r
    }
    let id = ids.get(line.k)
    if (id === undefined) {
      id = keys.length
      ids.set(line.k, id)
      keys.push(line.k)
    }
    // An item twice on a receipt (two lines of it) is in its basket once.
    let seen = false
    for (let j = start; j < used; j++) if (items[j] === id) { seen = true; break }
    if (!seen) items[used++] = id
  }
  if (receipt !== null) offsets.push(used)
  return { baskets: { offsets: Uint32Array.from(offsets), items: items.slice(0, used), itemCount: keys.length }, keys }
}
