import type { TFunction } from 'i18next'
import { ApiError } from '../api/client.js'

const FIELDS_WITH_MESSAGES = new Set([
  'phone', 'name', 'gender', 'birthday', 'idNumber', 'email', 'occupation', 'education', 'incomeBand', 'district', 'address',
  'externalCode', 'registrationStoreId', 'reason',
])

/**
 * The error with its field details in the user's language: a conflict (phone or ID taken)
 * says what its code says, a validation failure what the field expects; the server's
 * English reason stays only for fields we have no words for.
 */
export const localizeFieldErrors = (t: TFunction<'members'>, err: unknown): unknown => {
  if (!(err instanceof ApiError) || err.details.length === 0) return err
  const codeMessage = err.code === 'VALIDATION' ? '' : (t(err.code as never, { ns: 'errors', defaultValue: '' }) as string)
  const details = err.details.map((d) => ({
    field: d.field,
    reason: codeMessage || (FIELDS_WITH_MESSAGES.has(d.field) ? t(`fieldErrors.${d.field}` as never) as string : d.reason),
  }))
  return new ApiError(err.status, err.code, err.message, details)
}
