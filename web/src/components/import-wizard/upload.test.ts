import { describe, expect, it } from 'vitest'
import { percentDone } from './upload.js'

describe('import progress', () => {
  it.each([
    [{ status: 'running' as const, processedBytes: 0, totalBytes: 0 }, 0],
    [{ status: 'running' as const, processedBytes: 512, totalBytes: 1024 }, 50],
    [{ status: 'running' as const, processedBytes: 1024, totalBytes: 1024 }, 99],
    [{ status: 'completed' as const, processedBytes: 10, totalBytes: 1024 }, 100],
  ])('%j is %i%%', (imp, percent) => {
    expect(percentDone(imp)).toBe(percent)
  })
})
