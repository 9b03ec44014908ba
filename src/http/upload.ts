import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { badRequest } from '../shared/errors.js'
import { newId, type IdPrefix } from '../shared/ids.js'

export interface ReceivedUpload {
  /** the form fields, all of them (the file is expected last) */
  fields: Record<string, string>
  /** where the file was stored */
  path: string
  /** the client's file name */
  name: string
}

/**
 * Stores a multipart upload's file in `dir` (a second file is ignored) and collects its fields.
 * `check` sees the fields before the file is written, so bad settings are refused (it throws)
 * before anything is stored.
 */
export const receiveUpload = async (req: FastifyRequest, dir: string, idPrefix: IdPrefix, check: (fields: Record<string, string>) => unknown): Promise<ReceivedUpload> => {
  if (!req.isMultipart()) throw badRequest('IMPORT_NOT_MULTIPART', [{ field: 'file', reason: 'send multipart/form-data with a file part' }])
  const fields: Record<string, string> = {}
  let saved: { path: string; name: string } | null = null
  for await (const part of req.parts()) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value)
      continue
    }
    if (saved) {
      part.file.resume()
      continue
    }
    check(fields)
    const path = join(dir, `${newId(idPrefix)}.upload`)
    await pipeline(part.file, createWriteStream(path))
    if (part.file.truncated) throw badRequest('IMPORT_FILE_TOO_LARGE', [{ field: 'file', reason: 'larger than 1 GiB' }])
    saved = { path, name: part.filename || 'upload.csv' }
  }
  if (!saved) throw badRequest('IMPORT_NO_FILE', [{ field: 'file', reason: 'is required' }])
  return { fields, ...saved }
}
