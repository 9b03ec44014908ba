import { SafetyCertificateOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Flex, Form, Input, Modal, QRCode, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { apiKey, useApiMutation, useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { showFieldErrors } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { useErrorText } from '../../hooks/use-error-text.js'

type Setup = { secret: string; uri: string }

/** The set-up: the password, then the QR (and the key typed by hand) and the first code. */
const SetupFlow = ({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'account.twoFactor' })
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [setup, setSetup] = useState<Setup | null>(null)
  const [passwordForm] = Form.useForm<{ password: string }>()
  const [codeForm] = Form.useForm<{ code: string }>()
  const start = useApiMutation('post', '/api/v1/auth/two-factor/setup')
  const confirm = useApiMutation('post', '/api/v1/auth/two-factor/confirm', { invalidates: [apiKey('/api/v1/auth/two-factor')] })
  if (!setup) {
    return (
      <Form form={passwordForm} layout="vertical" style={{ maxWidth: 360 }} onFinish={async (v) => {
        try {
          setSetup(await start.mutateAsync({ body: v }))
        } catch (err) {
          if (!showFieldErrors(passwordForm, err)) void message.error(errorText(err))
        }
      }}>
        <Form.Item name="password" label={t('passwordPrompt')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="two-factor-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={start.isPending} data-testid="two-factor-next">{t('next')}</Button>
          {onCancel && <Button onClick={onCancel}>{t('cancel')}</Button>}
        </Space>
      </Form>
    )
  }
  return (
    <Flex gap={24} wrap>
      <Flex vertical gap={8} align="center">
        <Typography.Text strong>{t('scan')}</Typography.Text>
        <QRCode value={setup.uri} size={184} data-testid="two-factor-qr" />
        <Typography.Text type="secondary" style={{ maxWidth: 220, textAlign: 'center' }}>{t('manual')}</Typography.Text>
        <Typography.Text code copyable data-testid="two-factor-secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</Typography.Text>
      </Flex>
      <Form form={codeForm} layout="vertical" style={{ minWidth: 240 }} onFinish={async (v) => {
        try {
          await confirm.mutateAsync({ body: v })
          void message.success(t('enabled'))
          onDone()
        } catch (err) {
          if (!showFieldErrors(codeForm, err)) void message.error(errorText(err))
        }
      }}>
        <Typography.Text strong>{t('enterCode')}</Typography.Text>
        <Form.Item name="code" label={t('code')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/ }]} style={{ marginTop: 8 }}>
          <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} data-testid="two-factor-code" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={confirm.isPending} data-testid="two-factor-confirm">{t('confirm')}</Button>
          {onCancel && <Button onClick={onCancel}>{t('cancel')}</Button>}
        </Space>
      </Form>
    </Flex>
  )
}

/** 我的账号 → 两步验证: the status, turning it on (QR), turning it off. */
export const TwoFactorCard = ({ onEnabled }: { onEnabled?: () => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'account.twoFactor' })
  const { chain } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const { data: status, refetch } = useApiQuery('/api/v1/auth/two-factor')
  const [settingUp, setSettingUp] = useState(false)
  const [disabling, setDisabling] = useState(false)
  const [disableForm] = Form.useForm<{ password: string; code: string }>()
  const disable = useApiMutation('post', '/api/v1/auth/two-factor/disable', { invalidates: [apiKey('/api/v1/auth/two-factor')] })
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  return (
    <Card size="small" title={<Space><SafetyCertificateOutlined />{t('title')}</Space>} loading={!status} data-testid="two-factor-card"
      extra={status && <Space>{status.required && <Tag color="orange">{t('requiredTag')}</Tag>}<Tag color={status.enabled ? 'green' : 'default'} data-testid="two-factor-state">{status.enabled ? t('on') : t('off')}</Tag></Space>}>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      {status?.required && !status.enabled && <Alert type="warning" showIcon title={t('required')} style={{ marginBottom: 16 }} />}
      {status?.enabled && (
        <Flex align="center" gap={16}>
          <Typography.Text>{t('since', { at: formatDateTime(status.enabledAt!, tz) })}</Typography.Text>
          {!status.required && <Button danger onClick={() => setDisabling(true)} data-testid="two-factor-disable">{t('disable')}</Button>}
        </Flex>
      )}
      {status && !status.enabled && (settingUp
        ? <SetupFlow onDone={() => { setSettingUp(false); void refetch(); onEnabled?.() }} onCancel={() => setSettingUp(false)} />
        : <Button type="primary" onClick={() => setSettingUp(true)} data-testid="two-factor-start">{t('start')}</Button>)}
      <Modal open={disabling} title={t('disableTitle')} okText={t('disable')} okButtonProps={{ danger: true, loading: disable.isPending }} onCancel={() => setDisabling(false)} destroyOnHidden
        onOk={async () => {
          const v = await disableForm.validateFields()
          try {
            await disable.mutateAsync({ body: v })
            void message.success(t('disabled'))
            setDisabling(false)
          } catch (err) {
            if (!showFieldErrors(disableForm, err)) void message.error(errorText(err))
          }
        }}>
        <Typography.Paragraph type="secondary">{t('disableHint')}</Typography.Paragraph>
        <Form form={disableForm} layout="vertical" preserve={false}>
          <Form.Item name="password" label={t('passwordPrompt')} rules={[{ required: true }]}><Input.Password autoComplete="current-password" /></Form.Item>
          <Form.Item name="code" label={t('code')} rules={[{ required: true }]}><Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
