import { PictureOutlined, PlusOutlined } from '@ant-design/icons'
import { keepPreviousData } from '@tanstack/react-query'
import { App, Button, Card, Flex, Image, Input, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { KEEP_ON_CHANGE, useApiQuery, useSetApiData } from '../../api/query.js'

import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatCount, formatMoney } from '../../format.js'
import { useStores } from '../../hooks/use-stores.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { pictureUrl, stockTotals } from './gift-format.js'
import { GiftFormModal } from './GiftFormModal.js'
import { StockModal } from './StockModal.js'
import type { Gift } from './types.js'

type Status = Gift['status']

export const GiftThumb = ({ gift, size = 48 }: { gift: Gift; size?: number }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  return gift.hasPicture
    ? <Image src={pictureUrl(gift)} width={size} height={size} style={{ objectFit: 'cover', borderRadius: 4 }} alt={gift.name} data-testid={`gift-thumb-${gift.id}`} />
    : (
        <div title={t('catalogue.noPicture')} style={{ width: size, height: size, display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5', borderRadius: 4 }}>
          <PictureOutlined style={{ color: '#bbb' }} />
        </div>
      )
}

/** The price as a member sees it: points, plus cash when there is a co-payment. */
export const GiftPrice = ({ gift }: { gift: Pick<Gift, 'pointsPrice' | 'cashPrice'> }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  return <>{gift.cashPrice ? t('pointsPlusCash', { points: formatCount(gift.pointsPrice), cash: formatMoney(gift.cashPrice) }) : t('points', { points: formatCount(gift.pointsPrice) })}</>
}

/** The gift catalogue: pictures, prices, stock per location; managers add, edit, stock and withdraw gifts. */
export const GiftsPage = () => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  const { t: tc } = useTranslation()
  const { can } = useSession()
  const { message } = App.useApp()
  const { storeName } = useStores()
  const { tierName } = useTiers()
  const manage = can('rewards.manage')
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<Status | undefined>()
  const read = { params: { query: { ...(status ? { status } : {}), ...(q.trim() ? { q: q.trim() } : {}) } } }
  // A gift withdrawn or restocked stays in view (with its new state) until the list is read again.
  const { data: gifts, error, isFetching: loading, refetch } = useApiQuery('/api/v1/gifts', read, { placeholderData: keepPreviousData, meta: KEEP_ON_CHANGE })

  const setGifts = useSetApiData('/api/v1/gifts', read)
  const load = () => void refetch()
  const [editing, setEditing] = useState<Gift | 'new' | null>(null)
  const [stocking, setStocking] = useState<Gift | null>(null)
  const [switching, setSwitching] = useState<string | null>(null)


  const replace = (gift: Gift) => setGifts((list) => {
    const rest = (list ?? []).filter((g) => g.id !== gift.id)
    return (list ?? []).some((g) => g.id === gift.id) ? (list ?? []).map((g) => (g.id === gift.id ? gift : g)) : [gift, ...rest]
  })

  const toggle = async (gift: Gift) => {
    setSwitching(gift.id)
    try {
      const next = gift.status === 'active' ? 'inactive' : 'active'
      replace(await call(api.PATCH('/api/v1/gifts/{id}', { params: { path: { id: gift.id } }, body: { status: next } })))
      void message.success(t(next === 'active' ? 'catalogue.activated' : 'catalogue.deactivated'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setSwitching(null)
    }
  }

  const locationName = (location: string) => (location === 'central' ? t('central') : storeName(location) ?? location)

  const columns: TableColumnsType<Gift> = [
    { key: 'picture', title: t('catalogue.columns.picture'), width: 72, render: (_, g) => <GiftThumb gift={g} /> },
    {
      key: 'name', title: t('catalogue.columns.name'),
      render: (_, g) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong data-testid="gift-row-name">{g.name}</Typography.Text>
          {g.description && <Typography.Text type="secondary" ellipsis={{ tooltip: g.description }} style={{ maxWidth: 200 }}>{g.description}</Typography.Text>}
        </Space>
      ),
    },
    { key: 'price', title: t('catalogue.columns.price'), width: 130, render: (_, g) => <GiftPrice gift={g} /> },
    {
      key: 'stock', title: t('catalogue.columns.stock'), width: 180,
      render: (_, g) => {
        if (g.stock.length === 0) return <Typography.Text type="secondary">{t('catalogue.noStock')}</Typography.Text>
        const total = stockTotals(g.stock)
        return (
          <Space orientation="vertical" size={0} data-testid={`gift-stock-${g.id}`}>
            <Typography.Text>{t('catalogue.stockLine', total)}</Typography.Text>
            {g.stockMode === 'per_store' && g.stock.map((s) => (
              <Typography.Text key={s.location} type="secondary" style={{ fontSize: 12 }}>{locationName(s.location)}: {formatCount(s.available)}</Typography.Text>
            ))}
          </Space>
        )
      },
    },
    {
      key: 'rules', title: t('catalogue.columns.rules'), width: 170,
      render: (_, g) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text style={{ whiteSpace: 'nowrap' }}>
            {g.validFrom || g.validTo ? t('catalogue.validity', { from: g.validFrom ?? '…', to: g.validTo ?? '…' }) : t('catalogue.forever')}
          </Typography.Text>
          <Typography.Text>{g.perMemberLimit ? t('catalogue.limitPerMember', { n: g.perMemberLimit }) : t('catalogue.noLimit')}</Typography.Text>
          {g.minTier && <Typography.Text type="secondary">{t('catalogue.minTier', { tier: tierName(g.minTier) })}</Typography.Text>}
          <Typography.Text type="secondary">{t('catalogue.pickupDays', { days: g.pickupDays })}</Typography.Text>
        </Space>
      ),
    },
    { key: 'status', title: t('catalogue.columns.status'), width: 90, render: (_, g) => <Tag color={g.status === 'active' ? 'green' : 'default'}>{t(`giftStatus.${g.status}`)}</Tag> },
    ...(manage ? [{
      key: 'actions', title: t('catalogue.columns.actions'), width: 170, fixed: 'right' as const,
      render: (_: unknown, g: Gift) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing(g)} data-testid={`gift-edit-${g.id}`}>{t('catalogue.edit')}</Button>
          <Button type="link" size="small" onClick={() => setStocking(g)} data-testid={`gift-stock-button-${g.id}`}>{t('catalogue.stock')}</Button>
          {g.status === 'active'
            ? (
                <Popconfirm title={t('catalogue.deactivate')} onConfirm={() => toggle(g)} okButtonProps={{ 'data-testid': 'gift-deactivate-confirm' } as never}>
                  <Button type="link" size="small" danger loading={switching === g.id} data-testid={`gift-deactivate-${g.id}`}>{t('catalogue.deactivate')}</Button>
                </Popconfirm>
              )
            : <Button type="link" size="small" loading={switching === g.id} onClick={() => void toggle(g)} data-testid={`gift-activate-${g.id}`}>{t('catalogue.activate')}</Button>}
        </Space>
      ),
    }] : []),
  ]

  return (
    <Card
      title={t('catalogue.title')}
      extra={manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="gift-add">{t('catalogue.add')}</Button>}
    >
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('catalogue.search')} style={{ width: 240 }} onSearch={setQ} data-testid="gift-search" />
        <Select
          allowClear placeholder={t('catalogue.allStatuses')} style={{ width: 140 }} value={status} onChange={setStatus} data-testid="gift-status-filter"
          options={(['active', 'inactive'] as const).map((s) => ({ value: s, label: t(`giftStatus.${s}`) }))}
        />
      </Flex>
      {error
        ? <ErrorResult error={error} onRetry={load} />
        : (
            <Table
              rowKey="id" size="middle" columns={columns} dataSource={gifts ?? []} loading={loading} pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 1000 }} locale={{ emptyText: t('catalogue.empty') }} data-testid="gifts-table"
            />
          )}
      {editing && (
        <GiftFormModal
          key={editing === 'new' ? 'new' : editing.id} open gift={editing === 'new' ? null : editing} onClose={() => setEditing(null)}
          onSaved={(g) => { replace(g); setEditing(null) }}
        />
      )}
      {stocking && <StockModal key={stocking.id} gift={stocking} onClose={() => setStocking(null)} onChanged={(g) => { replace(g); setStocking(g) }} />}
    </Card>
  )
}

export default GiftsPage
