import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import { reportUrl, uploadImport } from '../../components/import-wizard/index.js'

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

/** Uploads the POS export with its mapping and options; the run goes on in the background. */
export const startReceiptImport = (s: StartReceiptImport): Promise<ReceiptImport> =>
  uploadImport<ReceiptImport>('/api/v1/receipt-imports', [
    ['mapping', s.mapping], ...(s.storeCode ? [['store', s.storeCode] as [string, string]] : []), ['timezone', s.timezone], ['points', String(s.awardPoints)],
    ['createMembers', String(s.createMembers)], ['memberKey', s.memberKey], ['returnPrefix', s.returnPrefix],
  ], s.file)

export const getReceiptImport = (id: string) => call(api.GET('/api/v1/receipt-imports/{id}', { params: { path: { id } } }))
export const cancelReceiptImport = (id: string) => call(api.POST('/api/v1/receipt-imports/{id}/cancel', { params: { path: { id } } }))
export const listReceiptImports = () => call(api.GET('/api/v1/receipt-imports'))
/** A page of the problems in file order. */
export const receiptImportErrors = (id: string, cursor?: string) =>
  call(api.GET('/api/v1/receipt-imports/{id}/errors', { params: { path: { id }, query: { cursor, limit: 100 } } }))

/** The problems as CSV, headers and reasons in the console's language. */
export const errorsCsvUrl = (id: string, lang: string) => reportUrl('/api/v1/receipt-imports', id, lang)
