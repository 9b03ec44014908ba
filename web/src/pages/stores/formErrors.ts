import type { App, FormInstance } from 'antd'
import type { TFunction } from 'i18next'
import { ApiError } from '../../api/client.js'
import { errorMessage, showFieldErrors } from '../../components/errors.js'

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
