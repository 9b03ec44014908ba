import { Card, Flex, Layout, Result, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { useSession } from '../../auth/session.js'
import { LanguageSwitch } from '../../layout/AppLayout.js'
import { TwoFactorCard } from './TwoFactorCard.js'

/** What an HQ administrator sees, whatever page they open, until they set up the two-factor sign-in the chain requires. */
export const TwoFactorGate = () => {
  const { t } = useTranslation('org', { keyPrefix: 'account.gate' })
  const { user, logout, refresh } = useSession()
  const navigate = useNavigate()
  return (
    <Layout style={{ minHeight: '100vh', background: '#f0f2f5' }} data-testid="two-factor-gate">
      <Flex justify="flex-end" gap={24} style={{ padding: '16px 24px' }}>
        <LanguageSwitch />
        <Typography.Text>{user?.displayName}</Typography.Text>
        <a onClick={() => void logout().then(() => navigate('/login'))}>{t('logout')}</a>
      </Flex>
      <Flex vertical align="center" style={{ padding: 24 }}>
        <Card style={{ width: 'min(720px, 100%)' }}>
          <Result status="warning" title={t('title')} subTitle={t('body')} style={{ padding: '8px 0 16px' }} />
          <TwoFactorCard onEnabled={() => void refresh()} />
        </Card>
      </Flex>
    </Layout>
  )
}
