import { App, Button, Card, Checkbox, Form, Input, Space, Typography } from 'antd'
import { useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { clearServerErrors, showFieldErrors } from '../../components/errors.js'
import { localizeFieldErrors } from '../../components/field-errors.js'
import { CONSENT_CHANNELS, type ConsentChannel, type Member } from '../../shared/member-options.js'
import { useErrorText } from '../../hooks/use-error-text.js'

interface RegisterValues {
  phone: string
  name?: string
  consents: ConsentChannel[]
}

/**
 * Registers the customer whose phone is not yet a member, right at the till: the phone as
 * typed, an optional name and the channels they agree to. Enter registers, Esc goes back.
 */
export const RegisterStep = ({ phone, storeId, onRegistered, onCancel }: { phone: string; storeId: string | null; onRegistered(m: Member): void; onCancel(): void }) => {
  const { t } = useTranslation('till')
  const { t: tm } = useTranslation('members')
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [form] = Form.useForm<RegisterValues>()
  const [busy, setBusy] = useState(false)

  const submit = async (values: RegisterValues) => {
    if (busy) return
    setBusy(true)
    try {
      const consents = Object.fromEntries(CONSENT_CHANNELS.map((c) => [c, values.consents.includes(c)]))
      // An existing phone answers with that member (created: false): either way the customer is now a member.
      const { member, created } = await call(api.POST('/api/v1/members', {
        body: { phone: values.phone.trim(), name: values.name?.trim() || undefined, channel: 'till', consents, registrationStoreId: storeId ?? undefined },
      }))
      void message.success(created ? t('register.created', { cardNo: member.cardNo }) : t('register.existing', { cardNo: member.cardNo }))
      // The API answers masked (新****); the cashier who just typed the name sees it for this
      // sale. Not for an existing member: the name typed may not be the one on file.
      const typed = values.name?.trim()
      onRegistered(created && typed ? { ...member, name: typed } : member)
    } catch (err) {
      showFieldErrors(form, localizeFieldErrors(tm, err))
      void message.error(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  // Enter registers from any field, the consent boxes included (a checkbox ignores Enter by itself).
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault()
      form.submit()
    } else if (e.key === 'Escape') {
      e.preventDefault()
      onCancel()
    }
  }

  return (
    <Card size="small" type="inner" title={t('register.title')} data-testid="till-register" style={{ marginTop: 12 }}>
      <Typography.Paragraph type="secondary">{t('register.intro')}</Typography.Paragraph>
      <div onKeyDown={onKeyDown}>
        <Form<RegisterValues>
          form={form} layout="vertical" name="till-register" initialValues={{ phone, consents: [] }}
          onFinish={(v) => void submit(v)} onValuesChange={clearServerErrors(form)}
        >
          <Space align="start" wrap>
            <Form.Item name="phone" label={tm('fields.phone')} rules={[{ required: true, message: tm('register.phoneRequired') }]}>
              <Input data-testid="till-register-phone" style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="name" label={t('register.name')}>
              <Input data-testid="till-register-name" style={{ width: 180 }} autoFocus />
            </Form.Item>
          </Space>
          <Form.Item name="consents" label={tm('fields.consents')} extra={t('register.consentsHint')}>
            <Checkbox.Group options={CONSENT_CHANNELS.map((c) => ({ value: c, label: tm(`consentChannels.${c}`) }))} data-testid="till-register-consents" />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="till-register-submit">{t('register.submit')}</Button>
            <Button onClick={onCancel}>{t('register.cancel')}</Button>
          </Space>
        </Form>
      </div>
    </Card>
  )
}
