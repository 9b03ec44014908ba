import type { Services } from '../services.js'
import { sweepUploads, uploadDirIn } from '../shared/uploaded-file.js'

/** A running import that has shown no progress for this long at start was the stopped process's. */
const STALE_AT_START_MS = 60_000

/**
 * At start: imports left running by a process that stopped are marked interrupted, and the
 * uploads folder keeps only the files running imports still read (a crash leaves the rest).
 * Returns the names of the files removed.
 */
export const sweepImportUploads = async (services: Pick<Services, 'memberImports' | 'receiptImports'>, dataDir: string, options: { staleMs?: number; graceMs?: number } = {}): Promise<string[]> => {
  const staleMs = options.staleMs ?? STALE_AT_START_MS
  await services.memberImports.settleInterrupted(staleMs)
  await services.receiptImports.settleInterrupted(staleMs)
  const inUse = new Set([...(await services.memberImports.uploadsInUse()), ...(await services.receiptImports.uploadsInUse())])
  return sweepUploads(uploadDirIn(dataDir), inUse, options.graceMs)
}
