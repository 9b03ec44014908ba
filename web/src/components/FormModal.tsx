import { App, Button, Form, Modal, type FormInstance } from 'antd'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { clearServerErrors, reportFormError } from './errors.js'

export interface FormModalProps<V> {
  open: boolean
  title: ReactNode
  form: FormInstance<V>
  onClose: () => void
  /** Saves the values; a thrown API error is shown on the form (fields, conflict, or a message). */
  onSubmit: (values: V) => Promise<void>
  /** Form name (input ids become `<name>_<field>`). */
  name: string
  initialValues?: Partial<V>
  submitLabel?: string
  submitTestId: string
  formTestId?: string
  width?: number
  children: ReactNode
}

/** A modal form with cancel / save, a busy save button and server errors shown where they belong. */
export const FormModal = <V extends object>({
  open, title, form, onClose, onSubmit, name, initialValues, submitLabel, submitTestId, formTestId, width, children,
}: FormModalProps<V>) => {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)

  const submit = async (values: V) => {
    setBusy(true)
    try {
      await onSubmit(values)
    } catch (err) {
      reportFormError(form, err, t, message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      open={open} title={title} onCancel={onClose} destroyOnHidden width={width}
      footer={[
        <Button key="cancel" onClick={onClose}>{t('actions.cancel')}</Button>,
        <Button key="save" type="primary" loading={busy} onClick={() => form.submit()} data-testid={submitTestId}>{submitLabel ?? t('actions.save')}</Button>,
      ]}
    >
      <Form form={form} layout="vertical" name={name} data-testid={formTestId} initialValues={initialValues} onFinish={(v) => void submit(v as V)} onValuesChange={clearServerErrors(form)}>
        {children}
      </Form>
    </Modal>
  )
}
