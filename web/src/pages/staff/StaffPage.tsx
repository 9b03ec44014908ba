import { Card, Skeleton, Tabs } from 'antd'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { PosKeysTab } from './PosKeysTab.js'
import { StaffTab } from './StaffTab.js'


/** Staff accounts and, for HQ admins, the tills' POS API keys. */
export const StaffPage = () => {
  const { t } = useTranslation('org', { keyPrefix: 'staff' })
  const { can } = useSession()
  const [params, setParams] = useSearchParams()
  const { data: stores, error, refetch } = useApiQuery('/api/v1/stores')

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />

  if (!stores) return <Card><Skeleton active /></Card>
  const keysAllowed = can('pos_keys.manage')
  const tab = keysAllowed && params.get('tab') === 'pos-keys' ? 'pos-keys' : 'staff'
  return (
    <Card>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'staff' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'staff', label: t('tabs.staff'), children: <StaffTab stores={stores} /> },
          ...(keysAllowed ? [{ key: 'pos-keys', label: <span data-testid="tab-pos-keys">{t('tabs.posKeys')}</span>, children: <PosKeysTab stores={stores} /> }] : []),
        ]}
      />
    </Card>
  )
}

export default StaffPage
