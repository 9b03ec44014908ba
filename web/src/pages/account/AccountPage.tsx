import { App, Button, Card, Descriptions, Flex, Form, Input, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiMutation } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { showFieldErrors } from '../../components/errors.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { TwoFactorCard } from './TwoFactorCard.js'

type PasswordForm = { currentPassword: string; newPassword: string; confirm: string }

const PasswordCard = () => {
  const { t } = useTranslation('org', { keyPrefix: 'account.password' })
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [form] = Form.useForm<PasswordForm>()
  const change = useApiMutation('post', '/api/v1/auth/password')
  return (
    <Card size="small" title={t('title')}>
      <Form form={form} layout="vertical" style={{ maxWidth: 360 }} onFinish={async ({ currentPassword, newPassword }) => {
        try {
          await change.mutateAsync({ body: { currentPassword, newPassword } })
          form.resetFields()
          void message.success(t('done'))
        } catch (err) {
          if (!showFieldErrors(form, err)) void message.error(errorText(err))
        }
      }}>
        <Form.Item name="currentPassword" label={t('current')} rules={[{ required: true }]}><Input.Password autoComplete="current-password" /></Form.Item>
        <Form.Item name="newPassword" label={t('next')} extra={t('hint')} rules={[{ required: true }]}><Input.Password autoComplete="new-password" /></Form.Item>
        <Form.Item name="confirm" label={t('confirm')} dependencies={['newPassword']} rules={[{ required: true }, ({ getFieldValue }) => ({
          validator: async (_, value) => { if (value && value !== getFieldValue('newPassword')) throw new Error(t('mismatch')) },
        })]}><Input.Password autoComplete="new-password" /></Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>{t('submit')}</Button>
      </Form>
    </Card>
  )
}

/** 我的账号: who I am, my password and my two-factor sign-in (every staff user, from the header). */
const AccountPage = () => {
  const { t } = useTranslation('org', { keyPrefix: 'account' })
  const { t: tc } = useTranslation()
  const { user, store, regionName } = useSession()
  return (
    <Flex vertical gap={16} data-testid="account-page">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('title')}</Typography.Title>
      <Card size="small" title={t('profile')}>
        <Descriptions size="small" column={3} items={[
          { key: 'username', label: t('username'), children: user?.username },
          { key: 'role', label: t('role'), children: user ? tc(`roles.${user.role}` as never) : '' },
          { key: 'store', label: t('store'), children: store ? store.name : regionName ?? tc('header.hq') },
        ]} />
      </Card>
      <TwoFactorCard />
      <PasswordCard />
    </Flex>
  )
}

export default AccountPage
