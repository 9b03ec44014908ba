import type { App, FormInstance } from 'antd'
import type { TFunction } from 'i18next'
import { ApiError } from '../api/client.js'

/** The message for an error: the translation of its code, or a network / server message. */
export const errorMessage = (t: TFunction, error: unknown): string => {
  if (error instanceof ApiError) {
    if (error.isNetwork) return t('status.networkError')
    if (error.isServer) return t('status.serverError')
    const translated = t(error.code as never, { ns: 'errors', defaultValue: '' }) as string
    return translated || error.message || (t('unknown' as never, { ns: 'errors' }) as string)
  }
  return error instanceof Error ? error.message : String(error)
}

/**
 * Shows an API error's field details next to the form fields they name; returns the
 * details that matched no field, for a message.
 */
export const showFieldErrors = (form: FormInstance, error: unknown): boolean => {
  if (!(error instanceof ApiError) || error.details.length === 0) return false
  const names = new Set(Object.keys(form.getFieldsValue(true) as object))
  const matched = error.details.filter((d) => names.has(d.field.split('.')[0]!))
  form.setFields(matched.map((d) => ({ name: d.field.split('.'), errors: [d.reason] })))
  return matched.length > 0
}

type MessageInstance = ReturnType<typeof App.useApp>['message']

/**
 * Shows a failed save on its form: a conflict (409: the code or username is taken) as its
 * translated message on the field it names, other field details next to their fields, and
 * anything else as a message. `t` is the common namespace's.
 */
export const reportFormError = (form: FormInstance, err: unknown, t: TFunction, message: MessageInstance) => {
  if (err instanceof ApiError && err.status === 409 && err.details.length > 0) {
    const text = errorMessage(t, err)
    form.setFields(err.details.map((d) => ({ name: d.field.split('.'), errors: [text] })))
    return
  }
  if (!showFieldErrors(form, err)) void message.error(errorMessage(t, err))
}

/**
 * For a Form's onValuesChange: a field the user edits drops the server's error on it (antd
 * re-validates only fields with rules, so a server error would otherwise stay put).
 */
export const clearServerErrors = (form: FormInstance) => (changed: object) =>
  form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))
