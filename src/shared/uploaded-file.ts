import { createReadStream, mkdirSync, statSync } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Readable } from 'node:stream'

/** The directory uploads wait in until their import has read them. */
export const uploadDirIn = (dataDir: string): string => {
  const dir = join(dataDir, 'uploads')
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Removes an uploaded file (or nothing, if it is gone already): never throws. */
export const removeUpload = async (path: string): Promise<void> => {
  await rm(path, { force: true }).catch(() => {})
}

/**
 * Hands an uploaded file to a background import: `create` records the import (if it throws, the
 * file is removed and the error goes to the caller) with the file's name, so a sweep knows whose
 * it is; `run` then reads the file in the background, and the file is removed when it ends,
 * whatever the outcome (the import records its own failure).
 */
export const importInBackground = async (
  file: { path: string; sourceName: string },
  create: (totalBytes: number, uploadFile: string) => Promise<string>,
  run: (id: string, source: { totalBytes: number; gzip: boolean; source: Readable }) => Promise<unknown>,
): Promise<string> => {
  let id: string
  try {
    id = await create(statSync(file.path).size, basename(file.path))
  } catch (e) {
    await removeUpload(file.path)
    throw e
  }
  const gzip = file.sourceName.toLowerCase().endsWith('.gz')
  const source = createReadStream(file.path)
  void run(id, { totalBytes: statSync(file.path).size, gzip, source })
    .catch(() => {})
    .finally(() => {
      source.destroy()
      return removeUpload(file.path)
    })
  return id
}

/**
 * Removes the files of the uploads folder that no running import owns (left by a crash, or by
 * an upload cut short before its import was recorded). A file written in the last `graceMs` is
 * kept: it may be an upload still arriving in another process (file times are the real clock's).
 * Returns the names removed.
 */
export const sweepUploads = async (dir: string, inUse: ReadonlySet<string>, graceMs = 60_000): Promise<string[]> => {
  const names = await readdir(dir).catch(() => [] as string[])
  const removed: string[] = []
  for (const name of names) {
    if (inUse.has(name)) continue
    const path = join(dir, name)
    const info = await stat(path).catch(() => null)
    if (!info?.isFile() || Date.now() - info.mtimeMs < graceMs) continue
    await removeUpload(path)
    removed.push(name)
  }
  return removed
}
