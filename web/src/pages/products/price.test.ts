import { describe, expect, it } from 'vitest'
import { toFen, toYuan } from './price.js'

describe('prices in the product form', () => {
  it.each([[12.5, 1250], [0.29, 29], [0, 0], [null, null], [undefined, null]])('%s yuan is %s fen', (yuan, fen) => expect(toFen(yuan)).toBe(fen))
  it.each([[1250, 12.5], [29, 0.29], [null, null]])('%s fen is %s yuan', (fen, yuan) => expect(toYuan(fen)).toBe(yuan))
})
