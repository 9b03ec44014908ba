import { GiftOutlined } from '@ant-design/icons'
import { Button, Card, Flex, Skeleton } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiPages } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { OrdersTable } from './OrdersTable.js'
import { RedeemGiftModal } from './RedeemGiftModal.js'
import type { GiftOrder } from './types.js'

/** The member page's gift orders, newest first, with the desk's "redeem a gift". */
export const MemberGiftOrders = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  const { t: tc } = useTranslation()
  const { can } = useSession()
  const [redeeming, setRedeeming] = useState(false)
  const [changed, setChanged] = useState<Record<string, GiftOrder>>({})
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/members/{id}/gift-orders', { params: { path: { id: memberId }, query: { limit: 20 } } })

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  if (!items) return <Skeleton active />
  return (
    <Card variant="borderless" styles={{ body: { padding: 0 } }}>
      {can('rewards.redeem') && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<GiftOutlined />} onClick={() => setRedeeming(true)} data-testid="member-redeem-gift">{t('member.redeem')}</Button>
        </Flex>
      )}
      <OrdersTable orders={items.map((o) => changed[o.id] ?? o)} showMember={false} onChanged={(o) => setChanged((c) => ({ ...c, [o.id]: o }))} testId="member-gift-orders" />
      {nextCursor && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button loading={loadingMore} onClick={more} data-testid="member-gift-orders-more">{tc('actions.loadMore')}</Button>
        </div>
      )}
      {redeeming && (
        <RedeemGiftModal
          memberId={memberId} onClose={() => setRedeeming(false)}
          onDone={() => { setRedeeming(false); setChanged({}) }}

        />
      )}
    </Card>
  )
}

export default MemberGiftOrders
