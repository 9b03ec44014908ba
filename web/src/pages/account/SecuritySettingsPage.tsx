import { Alert, App, Button, Card, Flex, Form, InputNumber, Switch, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { apiKey, useApiMutation, useApiQuery, type GetData } from '../../api/query.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { reportFormError } from '../../components/errors.js'

type Settings = GetData<'/api/v1/security-settings'>

/** 设置 → 登录安全: session limits and two-factor sign-in for HQ administrators (HQ administrators). */
const SecuritySettingsPage = () => {
  const { t } = useTranslation('org', { keyPrefix: 'account.security' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<Settings>()
  const { data, error, refetch } = useApiQuery('/api/v1/security-settings')
  const save = useApiMutation('put', '/api/v1/security-settings', { invalidates: [apiKey('/api/v1/security-settings'), apiKey('/api/v1/auth/two-factor')] })
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!data) return <Card loading />
  return (
    <Flex vertical gap={16} data-testid="security-page">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('title')}</Typography.Title>
      <Alert type="info" showIcon title={t('intro')} />
      <Card size="small">
        <Form form={form} layout="vertical" initialValues={data} style={{ maxWidth: 520 }} onFinish={async (v) => {
          try {
            await save.mutateAsync({ body: v })
            void message.success(t('saved'))
          } catch (err) {
            reportFormError(form, err, tc, message)
          }
        }}>
          <Form.Item name="sessionIdleMinutes" label={t('idle')} extra={t('idleHelp')} rules={[{ required: true }]}>
            <InputNumber min={5} max={1440} precision={0} suffix={t('minutes')} style={{ width: 200 }} data-testid="security-idle" />
          </Form.Item>
          <Form.Item name="sessionAbsoluteHours" label={t('absolute')} extra={t('absoluteHelp')} rules={[{ required: true }]}>
            <InputNumber min={1} max={720} precision={0} suffix={t('hours')} style={{ width: 200 }} data-testid="security-absolute" />
          </Form.Item>
          <Form.Item name="requireTwoFactorForHqAdmins" label={t('requireHq')} extra={t('requireHqHelp')} valuePropName="checked">
            <Switch data-testid="security-require-hq" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="security-save">{t('save')}</Button>
        </Form>
      </Card>
    </Flex>
  )
}

export default SecuritySettingsPage
