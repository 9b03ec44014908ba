import { App, Button, Checkbox, Form, Input, InputNumber, Modal, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { ApiErrorAlert } from '../till/ApiErrorAlert.js'

interface SettingsForm {
  limitYuan: number | null
  noLimit: boolean
  scaleLayout: string
  storeOverridable: Array<'scaleLayout' | 'returnApprovalAbove'>
}

/** HQ's settings for every till and desk: the refund above which a store manager approves, and the scale label layout. */
export const TillSettingsButton = () => {
  const { t } = useTranslation('receipts')
  const { message } = App.useApp()
  const [open, setOpen] = useState(false)
  const [saveError, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm<SettingsForm>()
  const noLimit = Form.useWatch('noLimit', form)
  // Read when the dialog opens; the form shows the settings as read.
  const { data: settings, error: loadError } = useApiQuery('/api/v1/till-settings', undefined, { enabled: open })
  const error = saveError ?? loadError

  useEffect(() => {
    if (!open || !settings) return
    form.setFieldsValue({
      limitYuan: settings.returnApprovalAbove === null ? null : settings.returnApprovalAbove / 100, noLimit: settings.returnApprovalAbove === null, scaleLayout: settings.scaleLayout,
      storeOverridable: settings.storeOverridable,
    })
  }, [open, settings, form])


  const save = async (v: SettingsForm) => {
    setBusy(true)
    setError(null)
    try {
      await call(api.PUT('/api/v1/till-settings', {
        body: { scaleLayout: v.scaleLayout.trim(), returnApprovalAbove: v.noLimit ? null : Math.round((v.limitYuan ?? 0) * 100), storeOverridable: v.storeOverridable ?? [] },
      }))
      void message.success(t('returns.saved'))
      setOpen(false)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="till-settings-open">{t('returns.settings')}</Button>
      <Modal open={open} title={t('returns.settingsTitle')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="till-settings-form">
          <Form.Item label={t('returns.limit')} required={!noLimit}>
            <Form.Item name="limitYuan" noStyle>
              <InputNumber min={0} max={1_000_000} precision={2} prefix="¥" disabled={noLimit} style={{ width: 180 }} data-testid="till-settings-limit" />
            </Form.Item>
            <Form.Item name="noLimit" valuePropName="checked" noStyle>
              <Checkbox style={{ marginInlineStart: 12 }}>{t('returns.noLimit')}</Checkbox>
            </Form.Item>
          </Form.Item>
          <Form.Item name="scaleLayout" label={t('returns.layout')} extra={<Typography.Text type="secondary">{t('returns.layoutHelp')}</Typography.Text>} rules={[{ required: true, pattern: /^[0-9PWMXC]{8,18}$/ }]}>
            <Input maxLength={18} style={{ fontFamily: 'monospace' }} data-testid="till-settings-layout" />
          </Form.Item>
          <Form.Item name="storeOverridable" label={t('returns.storeOverridable')} extra={<Typography.Text type="secondary">{t('returns.storeOverridableHelp')}</Typography.Text>}>
            <Checkbox.Group
              data-testid="till-settings-overridable"
              options={[{ value: 'returnApprovalAbove', label: t('returns.limit') }, { value: 'scaleLayout', label: t('returns.layout') }]}
            />
          </Form.Item>
        </Form>
        {error ? <ApiErrorAlert error={error} /> : null}
      </Modal>
    </>
  )
}
