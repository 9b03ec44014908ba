import { ApiError, type FieldError } from '../../api/client.js'
import type { ImportResult } from './types.js'

type ErrorBody = { error?: { code?: string; message?: string; details?: FieldError[] } } | null

/**
 * Sends a product file (multipart: openapi-fetch cannot) and waits for the import's summary;
 * failures become the same ApiError as any other call.
 */
export const importProducts = async (file: File, options: { mapping: string; update: boolean }): Promise<ImportResult> => {
  const form = new FormData()
  if (options.mapping.trim()) form.append('mapping', options.mapping.trim())
  if (options.update) form.append('update', 'true')
  form.append('file', file, file.name)
  const response = await fetch('/api/v1/products/imports', { method: 'POST', body: form, credentials: 'same-origin' })
    .catch((err: unknown) => Promise.reject(new ApiError(0, 'NETWORK', (err as Error).message)))
  const body = (await response.json().catch(() => null)) as ImportResult | ErrorBody
  if (response.ok) return body as ImportResult
  const error = (body as ErrorBody)?.error
  if (response.status === 401) window.dispatchEvent(new Event('patron:signed-out'))
  const fallback = response.status >= 500 ? 'INTERNAL' : response.status === 413 ? 'IMPORT_FILE_TOO_LARGE' : 'unknown'
  throw new ApiError(response.status, error?.code ?? fallback, error?.message ?? response.statusText, error?.details ?? [])
}
