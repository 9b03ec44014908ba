import { ApiError, type FieldError } from '../../api/client.js'
import type { paths } from '../../api/schema.js'

export type ReceiptImport = paths['/api/v1/receipt-imports/{id}']['get']['responses']['200']['content']['application/json']
export type ReceiptImportErrorPage = paths['/api/v1/receipt-imports/{id}/errors']['get']['responses']['200']['content']['application/json']
export type ReceiptImportRowError = ReceiptImportErrorPage['items'][number]

export const MEMBER_KEYS = ['auto', 'phone', 'card', 'external'] as const
export type MemberKey = (typeof MEMBER_KEYS)[number]

export interface StartReceiptImport {
  file: File
  /** `column=field,…` */
  mapping: string
  /** default store code, for rows without a store column */
  storeCode: string | null
  timezone: string
  awardPoints: boolean
  createMembers: boolean
  memberKey: MemberKey
  returnPrefix: string
}

/**
 * Uploads the POS export (multipart; openapi-fetch cannot stream one). The settings go first:
 * the server refuses a bad mapping before it stores the upload. Failures become the same
 * ApiError as every other call.
 */
export const startReceiptImport = async (s: StartReceiptImport): Promise<ReceiptImport> => {
  const body = new FormData()
  body.append('mapping', s.mapping)
  if (s.storeCode) body.append('store', s.storeCode)
  body.append('timezone', s.timezone)
  body.append('points', String(s.awardPoints))
  body.append('createMembers', String(s.createMembers))
  body.append('memberKey', s.memberKey)
  body.append('returnPrefix', s.returnPrefix)
  body.append('file', s.file, s.file.name)
  let response: Response
  try {
    response = await fetch('/api/v1/receipt-imports', { method: 'POST', body, credentials: 'same-origin' })
  } catch (err) {
    throw new ApiError(0, 'NETWORK', (err as Error).message)
  }
  const json = (await response.json().catch(() => null)) as unknown
  if (response.ok) return json as ReceiptImport
  const error = (json as { error?: { code?: string; message?: string; details?: FieldError[] } } | null)?.error
  if (response.status === 401 && error?.code === 'AUTH_REQUIRED') window.dispatchEvent(new Event('patron:signed-out'))
  throw new ApiError(
    response.status,
    error?.code ?? (response.status >= 500 ? 'INTERNAL' : response.status === 413 ? 'IMPORT_FILE_TOO_LARGE' : 'unknown'),
    error?.message ?? response.statusText,
    error?.details ?? [],
  )
}

/** The problems as CSV, headers and reasons in the console's language. */
export const errorsCsvUrl = (id: string, lang: string) => `/api/v1/receipt-imports/${encodeURIComponent(id)}/errors.csv?lang=${lang === 'en-US' ? 'en-US' : 'zh-CN'}`

/** Share of the file read, in percent (99 until the import says it is done). */
export const percentDone = (imp: Pick<ReceiptImport, 'status' | 'processedBytes' | 'totalBytes'>): number =>
  imp.status === 'completed' ? 100 : imp.totalBytes > 0 ? Math.min(99, Math.floor((imp.processedBytes / imp.totalBytes) * 100)) : 0
