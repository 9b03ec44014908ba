import { App, Button, Divider, Drawer, Form, Input, InputNumber, Select, Space, Switch, Tag, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { reportFormError } from '../../../components/errors.js'
import {
  fieldsOf, isSecretSet, localizeProviderError, providerToValues, receiptUrl, settingsFor, startsSending, toProviderBody,
  type Provider, type ProviderField, type ProviderFormValues, type ProviderKind,
} from './provider-form.js'

/** A setting's name and help in the user's language (marketing:channels.fields / fieldHelp). */
export const useSettingWords = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  return {
    label: (kind: ProviderKind, name: string) => t(`fields.${kind}.${name}` as never, { defaultValue: name }) as string,
    help: (kind: ProviderKind, name: string) => (t(`fieldHelp.${kind}.${name}` as never, { defaultValue: '' }) as string) || undefined,
    choice: (name: string, value: string) => t(`choices.${name}.${value}` as never, { defaultValue: value }) as string,
  }
}

/**
 * Sets a channel's provider: the kind, on or off, and the kind's settings (built from the fields
 * the API gives). Saving a channel that kept its messages here onto a real provider asks first.
 * Mounted while open, so each opening starts from the provider as it is now.
 */
export const ProviderDrawer = ({ provider, onClose, onSaved }: { provider: Provider; onClose(): void; onSaved(): void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tc } = useTranslation()
  const { message, modal } = App.useApp()
  const words = useSettingWords()
  const [form] = Form.useForm<ProviderFormValues>()
  const initial = useMemo(() => providerToValues(provider), [provider])
  const kind: ProviderKind = Form.useWatch('kind', form) ?? provider.kind
  const [busy, setBusy] = useState(false)
  const channel = tw(`channels.${provider.channel}`)
  const receipts = receiptUrl(window.location.origin, kind)

  const confirmed = (v: ProviderFormValues) => !startsSending(provider, v) ? Promise.resolve(true) : new Promise<boolean>((resolve) => {
    modal.confirm({
      title: t('form.confirmTitle'), content: t('form.confirmText', { channel, kind: t(`kinds.${v.kind}`) }),
      okText: t('form.confirmOk'), cancelText: tc('actions.cancel'), okButtonProps: { 'data-testid': 'provider-confirm-ok' },
      onOk: () => resolve(true), onCancel: () => resolve(false),
    })
  })

  const save = async (v: ProviderFormValues) => {
    if (!(await confirmed(v))) return
    setBusy(true)
    try {
      await call(api.PUT('/api/v1/marketing/providers/{channel}', { params: { path: { channel: provider.channel } }, body: toProviderBody(provider, v) }))
      void message.success(t('form.saved'))
      onSaved()
    } catch (err) {
      reportFormError(form, localizeProviderError(t, err), tc, message)
    } finally {
      setBusy(false)
    }
  }

  // A field the user edits drops the server's error on it; another kind starts from its own settings.
  const changed = (c: Partial<ProviderFormValues>) => {
    form.setFields([
      ...(['kind', 'enabled'] as const).filter((k) => k in c).map((name) => ({ name, errors: [] })),
      ...Object.keys(c.settings ?? {}).map((k) => ({ name: ['settings', k] as ['settings', string], errors: [] })),
      ...(c.kind ? Object.entries(settingsFor(provider, c.kind)).map(([k, value]) => ({ name: ['settings', k] as ['settings', string], value, errors: [] })) : []),
    ])
  }

  // The input for a setting's type; Form.Item gives it its value.
  const input = (f: ProviderField, secretSet: boolean) => {
    const testId = `provider-field-${f.name}`
    if (f.type === 'boolean') return <Switch data-testid={testId} />
    if (f.type === 'port') return <InputNumber min={1} max={65535} precision={0} style={{ width: 160 }} data-testid={testId} />
    if (f.type === 'choice') return <Select options={(f.choices ?? []).map((c) => ({ value: c, label: words.choice(f.name, c) }))} style={{ width: 240 }} data-testid={testId} />
    if (f.secret) return <Input.Password autoComplete="new-password" maxLength={f.max ?? 2000} placeholder={secretSet ? t('form.secretPlaceholder') : undefined} data-testid={testId} />
    return <Input maxLength={f.max ?? 2000} placeholder={typeof f.default === 'string' ? f.default : undefined} data-testid={testId} />
  }

  const fields = fieldsOf(provider, kind)
  return (
    <Drawer
      title={t('form.title', { channel })} open onClose={onClose} size={560} data-testid="provider-drawer"
      extra={(
        <Space>
          <Button onClick={onClose}>{tc('actions.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="provider-save">{tc('actions.save')}</Button>
        </Space>
      )}
    >
      <Form<ProviderFormValues> form={form} layout="vertical" name={`provider-${provider.channel}`} initialValues={initial} onFinish={(v) => void save(v)} onValuesChange={changed}>
        <Form.Item name="kind" label={t('form.kind')} extra={t(`kindHelp.${kind}`)}>
          <Select<ProviderKind> options={provider.kinds.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} data-testid="provider-kind" />
        </Form.Item>
        <Form.Item name="enabled" label={t('form.enabled')} valuePropName="checked" extra={t('form.enabledHelp')}>
          <Switch data-testid="provider-enabled" />
        </Form.Item>
        <Divider />
        {fields.length === 0 && <Typography.Paragraph type="secondary">{t('form.sandbox')}</Typography.Paragraph>}
        {fields.map((f) => {
          const secretSet = f.secret && isSecretSet(provider, kind, f.name)
          return (
            <Form.Item
              key={`${kind}.${f.name}`} name={['settings', f.name]} valuePropName={f.type === 'boolean' ? 'checked' : 'value'} extra={words.help(kind, f.name)}
              label={<Space size={6}>{words.label(kind, f.name)}{secretSet && <Tag color="green" data-testid={`provider-secret-set-${f.name}`}>{t('form.secretSet')}</Tag>}</Space>}
              rules={f.required && !secretSet ? [{ required: true, message: t('form.reasons.required') }] : []}
            >
              {input(f, secretSet)}
            </Form.Item>
          )
        })}
        {receipts && (
          <Form.Item label={t('form.receiptUrl')} extra={t(`receiptHelp.${kind as 'aliyun_sms'}`)}>
            <Typography.Text copyable code data-testid="provider-receipt-url">{receipts}</Typography.Text>
          </Form.Item>
        )}
      </Form>
    </Drawer>
  )
}
