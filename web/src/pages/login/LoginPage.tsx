import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Form, Input, Layout, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, useNavigate } from 'react-router'
import { ApiError } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { errorMessage } from '../../components/errors.js'
import { LanguageSwitch } from '../../layout/AppLayout.js'

type Credentials = { username: string; password: string }

export const LoginPage = () => {
  const { t } = useTranslation()
  const { t: ta } = useTranslation('org', { keyPrefix: 'account.login' })
  const { user, login } = useSession()
  const navigate = useNavigate()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // After a right password, an account with two-factor sign-in asks for the app's code.
  const [pending, setPending] = useState<Credentials | null>(null)
  if (user) return <Navigate to="/" replace />

  const submit = async (credentials: Credentials, code?: string) => {
    setBusy(true)
    setError(null)
    try {
      await login(credentials.username, credentials.password, code)
      await navigate('/')
    } catch (err) {
      if (err instanceof ApiError && err.code === 'AUTH_TWO_FACTOR_REQUIRED') setPending(credentials)
      else setError(errorMessage(t, err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <div style={{ position: 'absolute', top: 16, right: 24 }}><LanguageSwitch /></div>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>{pending ? ta('codeTitle') : t('login.title')}</Typography.Title>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {pending ? (
          <Form layout="vertical" onFinish={(v: { code: string }) => void submit(pending, v.code)} requiredMark={false} key="code">
            <Typography.Paragraph type="secondary">{ta('codeHint')}</Typography.Paragraph>
            <Form.Item name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: ta('codeHint') }]}>
              <Input prefix={<SafetyOutlined />} autoFocus autoComplete="one-time-code" inputMode="numeric" maxLength={6} data-testid="login-code" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-code-submit">{t('login.submit')}</Button>
            <Button type="link" block onClick={() => { setPending(null); setError(null) }}>{ta('back')}</Button>
          </Form>
        ) : (
          <Form layout="vertical" onFinish={(v) => void submit(v as Credentials)} requiredMark={false} key="password">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true }]}>
              <Input prefix={<UserOutlined />} autoFocus autoComplete="username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>{t('login.submit')}</Button>
          </Form>
        )}
      </Card>
    </Layout>
  )
}

export default LoginPage
