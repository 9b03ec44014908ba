import { ApiError, type FieldError } from '../../api/client.js'
import type { paths } from '../../api/schema.js'

export type MemberImport = paths['/api/v1/member-imports/{id}']['get']['responses']['200']['content']['application/json']
export type ImportRowError = paths['/api/v1/member-imports/{id}/errors']['get']['responses']['200']['content']['application/json'][number]

export interface StartImport {
  file: File
  /** `column=field,…` */
  mapping: string
  updateExisting: boolean
  storeId?: string | null
}

/**
 * Uploads the file (multipart; openapi-fetch cannot stream one). The text fields go first:
 * the server refuses a bad mapping before it stores the upload. Failures become the same
 * ApiError as every other call.
 */
export const startImport = async ({ file, mapping, updateExisting, storeId }: StartImport): Promise<MemberImport> => {
  const body = new FormData()
  body.append('mapping', mapping)
  if (updateExisting) body.append('updateExisting', 'true')
  if (storeId) body.append('storeId', storeId)
  body.append('file', file, file.name)
  let response: Response
  try {
    response = await fetch('/api/v1/member-imports', { method: 'POST', body, credentials: 'same-origin' })
  } catch (err) {
    throw new ApiError(0, 'NETWORK', (err as Error).message)
  }
  const json = (await response.json().catch(() => null)) as unknown
  if (response.ok) return json as MemberImport
  const error = (json as { error?: { code?: string; message?: string; details?: FieldError[] } } | null)?.error
  if (response.status === 401 && error?.code === 'AUTH_REQUIRED') window.dispatchEvent(new Event('patron:signed-out'))
  throw new ApiError(
    response.status,
    error?.code ?? (response.status >= 500 ? 'INTERNAL' : response.status === 413 ? 'IMPORT_FILE_TOO_LARGE' : 'unknown'),
    error?.message ?? response.statusText,
    error?.details ?? [],
  )
}

/** The error report, its headers and reasons in the console's language. */
export const errorsCsvUrl = (id: string, lang: string) => `/api/v1/member-imports/${encodeURIComponent(id)}/errors.csv?lang=${lang === 'en-US' ? 'en-US' : 'zh-CN'}`

export const isFinished = (imp: Pick<MemberImport, 'status'>) => imp.status !== 'running'
