import { Button, Card, Flex, Input, Select } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { KEEP_ON_CHANGE, useApiPages } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { useStores } from '../../hooks/use-stores.js'
import { OrdersTable } from './OrdersTable.js'
import type { GiftOrder, GiftOrderStatus } from './types.js'

const STATUSES: GiftOrderStatus[] = ['reserved', 'collected', 'cancelled', 'expired']

/** Redemption orders, awaiting pick-up first: the counter confirms hand-overs and cancels with a reason. */
export const GiftOrdersPage = () => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  const { t: tc } = useTranslation()
  const { user } = useSession()
  const { stores } = useStores()
  const [status, setStatus] = useState<GiftOrderStatus | undefined>('reserved')
  const [storeId, setStoreId] = useState<string | undefined>()
  const [orderNo, setOrderNo] = useState('')

  // An order handed over or cancelled stays in view (with its new status) until the list is read again.
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/gift-orders', {
    params: { query: { limit: 50, ...(status ? { status } : {}), ...(storeId ? { storeId } : {}), ...(orderNo ? { orderNo } : {}) } },
  }, { meta: KEEP_ON_CHANGE })


  const [changed, setChanged] = useState<Record<string, GiftOrder>>({})
  const shown = (items ?? []).map((o) => changed[o.id] ?? o)

  return (
    <Card title={t('orders.title')}>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear placeholder={t('orders.allStatuses')} style={{ width: 140 }} value={status} onChange={setStatus} data-testid="gift-orders-status"
          options={STATUSES.map((s) => ({ value: s, label: t(`orderStatus.${s}`) }))}
        />
        {!user?.storeId && (
          <Select
            allowClear showSearch optionFilterProp="label" placeholder={t('orders.allStores')} style={{ width: 200 }} value={storeId} onChange={setStoreId} data-testid="gift-orders-store"
            options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
          />
        )}
        <Input.Search allowClear placeholder={t('orders.searchOrderNo')} style={{ width: 200 }} onSearch={(v) => setOrderNo(v.trim().toUpperCase())} data-testid="gift-orders-search" />
      </Flex>
      {error
        ? <ErrorResult error={error} onRetry={load} />
        : (
            <>
              <OrdersTable orders={shown} loading={items === null} showMember onChanged={(o) => setChanged((c) => ({ ...c, [o.id]: o }))} testId="gift-orders-table" />
              {nextCursor && (
                <div style={{ textAlign: 'center', marginTop: 16 }}>
                  <Button loading={loadingMore} onClick={more} data-testid="gift-orders-more">{tc('actions.loadMore')}</Button>
                </div>
              )}
            </>
          )}
    </Card>
  )
}

export default GiftOrdersPage
