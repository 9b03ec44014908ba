import { createReadStream, mkdirSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'

/** The directory uploads wait in until their import has read them. */
export const uploadDirIn = (dataDir: string): string => {
  const dir = join(dataDir, 'uploads')
  mkdirSync(dir, { recursive: true })
  return dir
}

/**
 * Hands an uploaded file to a background import: `create` records the import (if it throws, the
 * file is removed and the error goes to the caller); `run` then reads the file in the background,
 * and the file is removed when it ends, whatever the outcome (the import records its own failure).
 */
export const importInBackground = async (
  file: { path: string; sourceName: string },
  create: (totalBytes: number) => Promise<string>,
  run: (id: string, source: { totalBytes: number; gzip: boolean; source: Readable }) => Promise<unknown>,
): Promise<string> => {
  const totalBytes = statSync(file.path).size
  const id = await create(totalBytes).catch(async (e: unknown) => {
    await rm(file.path, { force: true })
    throw e
  })
  const gzip = file.sourceName.toLowerCase().endsWith('.gz')
  void run(id, { totalBytes, gzip, source: createReadStream(file.path) })
    .catch(() => {})
    .finally(() => rm(file.path, { force: true }))
  return id
}
