import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { badRequest } from '../errors.js'
import { newId, type IdPrefix } from '../ids.js'
import { removeUpload } from '../uploaded-file.js'

/**
 * What a multipart request may hold (app.ts registers @fastify/multipart with these). The
 * routes' own field lists are shorter: a field beyond them is refused by name before this
 * backstop is reached, so nothing is ever dropped without a word.
 */
export const UPLOAD_LIMITS = { fileSize: 1024 * 1024 * 1024, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21 }

export interface ReceivedUpload<T> {
  /** the form fields, all of them */
  fields: Record<string, string>
  /** what `check` made of them */
  settings: T
  /** where the file was stored */
  path: string
  /** the client's file name */
  name: string
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 * 1024 ? `${bytes / 1024 ** 3} GiB` : `${bytes / 1024} KiB`)

/** The multipart plugin's limit errors and a body cut short, as refusals that say what was refused. */
const limitError = (e: unknown, lastField: string | null) => {
  const code = (e as { code?: string }).code
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return badRequest('IMPORT_TOO_MANY_FIELDS', [{ field: lastField ?? 'form', reason: `more than ${UPLOAD_LIMITS.fields} form fields after this one; send each setting once (mapping as one "col=field,…" field)` }])
  }
  if (code === 'FST_FILES_LIMIT') return badRequest('IMPORT_TOO_MANY_FILES', [{ field: 'file', reason: 'send one file per upload' }])
  if (code === 'FST_REQ_FILE_TOO_LARGE') return badRequest('IMPORT_FILE_TOO_LARGE', [{ field: 'file', reason: `larger than ${sizeText(UPLOAD_LIMITS.fileSize)}` }])
  // busboy's words for a body that stops in the middle of the file (a dropped connection, a client cut off).
  if (!code && /terminated early|unexpected end of (form|multipart data)/i.test((e as Error).message ?? '')) {
    return badRequest('MALFORMED_MULTIPART', [{ field: 'file', reason: 'the upload ended before the file did; send it again' }])
  }
  return null
}

/**
 * Stores a multipart upload's file in `dir` and collects its fields. Only the fields in
 * `allowed` are taken, each once: an unknown or repeated field is refused by name. `check` sees
 * the fields before the file is written, so bad settings are refused before anything is stored,
 * and again with all of them at the end. On every failure (a refusal, a body cut short, a limit)
 * the partly or wholly stored file is removed.
 */
export const receiveUpload = async <T>(
  req: FastifyRequest, dir: string, idPrefix: IdPrefix, allowed: readonly string[], check: (fields: Record<string, string>) => T,
): Promise<ReceivedUpload<T>> => {
  if (!req.isMultipart()) throw badRequest('IMPORT_NOT_MULTIPART', [{ field: 'file', reason: 'send multipart/form-data with a file part' }])
  const fields: Record<string, string> = {}
  let stored: string | null = null
  let saved: { path: string; name: string } | null = null
  let lastField: string | null = null
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        lastField = part.fieldname
        if (!allowed.includes(part.fieldname)) {
          throw badRequest('IMPORT_FIELD_UNKNOWN', [{ field: part.fieldname, reason: `is not a setting of this upload; the settings are ${allowed.join(', ')} and file` }])
        }
        if (Object.hasOwn(fields, part.fieldname)) {
          throw badRequest('IMPORT_FIELD_REPEATED', [{ field: part.fieldname, reason: 'is sent more than once; send it once (mapping as one "col=field,…" field)' }])
        }
        if (part.valueTruncated) throw badRequest('IMPORT_FIELD_TOO_LONG', [{ field: part.fieldname, reason: `longer than ${sizeText(UPLOAD_LIMITS.fieldSize)}` }])
        fields[part.fieldname] = String(part.value)
        continue
      }
      if (part.fieldname !== 'file') throw badRequest('IMPORT_FIELD_UNKNOWN', [{ field: part.fieldname, reason: 'send the file in the field named file' }])
      check(fields)
      const path = join(dir, `${newId(idPrefix)}.upload`)
      stored = path
      await pipeline(part.file, createWriteStream(path))
      if (part.file.truncated) throw badRequest('IMPORT_FILE_TOO_LARGE', [{ field: 'file', reason: `larger than ${sizeText(UPLOAD_LIMITS.fileSize)}` }])
      saved = { path, name: part.filename || 'upload.csv' }
    }
    if (!saved) throw badRequest('IMPORT_NO_FILE', [{ field: 'file', reason: 'is required' }])
    return { fields, settings: check(fields), ...saved }
  } catch (e) {
    if (stored) await removeUpload(stored)
    throw limitError(e, lastField) ?? e
  }
}
