import { ApiError, type FieldError } from '../../api/client.js'

/**
 * Uploads an import file (multipart; openapi-fetch cannot stream one). The settings go first:
 * the server refuses bad settings before it stores the upload. Failures become the same
 * ApiError as every other call.
 */
export const uploadImport = async <T>(url: string, fields: Array<[string, string]>, file: File): Promise<T> => {
  const body = new FormData()
  for (const [name, value] of fields) body.append(name, value)
  body.append('file', file, file.name)
  let response: Response
  try {
    response = await fetch(url, { method: 'POST', body, credentials: 'same-origin' })
  } catch (err) {
    throw new ApiError(0, 'NETWORK', (err as Error).message)
  }
  const json = (await response.json().catch(() => null)) as unknown
  if (response.ok) return json as T
  const error = (json as { error?: { code?: string; message?: string; details?: FieldError[] } } | null)?.error
  if (response.status === 401 && error?.code === 'AUTH_REQUIRED') window.dispatchEvent(new Event('patron:signed-out'))
  throw new ApiError(
    response.status,
    error?.code ?? (response.status >= 500 ? 'INTERNAL' : response.status === 413 ? 'IMPORT_FILE_TOO_LARGE' : 'unknown'),
    error?.message ?? response.statusText,
    error?.details ?? [],
  )
}

/** The error report's address, headers and reasons in the console's language. */
export const reportUrl = (base: string, id: string, lang: string) => `${base}/${encodeURIComponent(id)}/errors.csv?lang=${lang === 'en-US' ? 'en-US' : 'zh-CN'}`

/** Share of the file read, in percent (99 until the import says it is done). */
export const percentDone = (imp: { status: string; processedBytes: number; totalBytes: number }): number =>
  imp.status === 'completed' ? 100 : imp.totalBytes > 0 ? Math.min(99, Math.floor((imp.processedBytes / imp.totalBytes) * 100)) : 0
