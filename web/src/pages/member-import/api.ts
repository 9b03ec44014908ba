import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import { reportUrl, uploadImport } from '../../components/import-wizard/index.js'

export type MemberImport = paths['/api/v1/member-imports/{id}']['get']['responses']['200']['content']['application/json']
export type ImportRowError = paths['/api/v1/member-imports/{id}/errors']['get']['responses']['200']['content']['application/json'][number]

export interface StartImport {
  file: File
  /** `column=field,…` */
  mapping: string
  updateExisting: boolean
  storeId?: string | null
}

/** Uploads the file with its mapping and options; the run goes on in the background. */
export const startImport = ({ file, mapping, updateExisting, storeId }: StartImport): Promise<MemberImport> =>
  uploadImport<MemberImport>('/api/v1/member-imports', [
    ['mapping', mapping], ...(updateExisting ? [['updateExisting', 'true'] as [string, string]] : []), ...(storeId ? [['storeId', storeId] as [string, string]] : []),
  ], file)

export const getImport = (id: string) => call(api.GET('/api/v1/member-imports/{id}', { params: { path: { id } } }))
export const cancelImport = (id: string) => call(api.POST('/api/v1/member-imports/{id}/cancel', { params: { path: { id } } }))
export const listImports = () => call(api.GET('/api/v1/member-imports'))
/** The refused rows, all at once (the member import's report is not paged). */
export const importErrors = async (id: string) => ({ items: await call(api.GET('/api/v1/member-imports/{id}/errors', { params: { path: { id } } })), nextCursor: null })

/** The error report, its headers and reasons in the console's language. */
export const errorsCsvUrl = (id: string, lang: string) => reportUrl('/api/v1/member-imports', id, lang)
