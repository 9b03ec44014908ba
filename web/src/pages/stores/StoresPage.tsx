import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Flex, Input, Popconfirm, Select, Skeleton, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd'
import { useCallback, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { api, call } from '../../api/client.js'
import { useApiQuery, useSetApiData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatDate, formatDateTime } from '../../format.js'
import { RegionsTab } from './RegionsTab.js'
import { StoreFormModal } from './StoreFormModal.js'
import { StoreTillSettingsDrawer } from './StoreTillSettingsDrawer.js'
import type { Region, Store } from './types.js'

const NO_REGION = '__none__'

const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code)

const StoresTab = ({ stores, regions, onChanged }: { stores: Store[]; regions: Region[]; onChanged: (s: Store) => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'stores' })
  const { t: tc } = useTranslation()
  const { can, chain, user } = useSession()
  const { message } = App.useApp()
  const [regionId, setRegionId] = useState<string | undefined>()
  const [status, setStatus] = useState<Store['status'] | undefined>()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<Store | 'new' | null>(null)
  const [pending, setPending] = useState<string | null>(null)
  const manage = can('stores.manage')
  const [tillStore, setTillStore] = useState<Store | null>(null)
  // A store's own till settings: HQ for every store, a store's manager for theirs, a region's for the region's.
  const settings = can('stores.settings')
  const mine = (s: Store) => !user || (user.role === 'region_manager' ? s.regionId === user.regionId : user.storeId ? s.id === user.storeId : true)

  const regionName = useMemo(() => new Map(regions.map((r) => [r.id, r.name])), [regions])
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase()
    return stores.filter((s) =>
      (!regionId || (regionId === NO_REGION ? !s.regionId : s.regionId === regionId))
      && (!status || s.status === status)
      && (!q || [s.code, s.name, s.city, s.district ?? ''].some((v) => v.toLowerCase().includes(q))))
  }, [stores, regionId, status, search])

  const setStoreStatus = async (store: Store, to: 'close' | 'reopen') => {
    setPending(store.id)
    try {
      const saved = to === 'close'
        ? await call(api.POST('/api/v1/stores/{id}/close', { params: { path: { id: store.id } } }))
        : await call(api.POST('/api/v1/stores/{id}/reopen', { params: { path: { id: store.id } } }))
      onChanged(saved)
      void message.success(to === 'close' ? t('closed') : t('reopened'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setPending(null)
    }
  }

  return (
    <>
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select
            data-testid="stores-filter-region"
            style={{ width: 180 }}
            allowClear
            placeholder={t('filters.allRegions')}
            value={regionId}
            onChange={setRegionId}
            options={[...regions.map((r) => ({ value: r.id, label: r.name })), { value: NO_REGION, label: t('noRegion') }]}
          />
          <Select
            data-testid="stores-filter-status"
            style={{ width: 140 }}
            allowClear
            placeholder={t('filters.allStatuses')}
            value={status}
            onChange={setStatus}
            options={(['open', 'closed'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
          <Input.Search data-testid="stores-search" allowClear style={{ width: 240 }} placeholder={t('filters.search')} onSearch={setSearch} onChange={(e) => setSearch(e.target.value)} />
        </Space>
        {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-store">{t('create')}</Button>}
      </Flex>
      <Table
        data-testid="stores-table"
        rowKey="id"
        size="middle"
        dataSource={shown}
        scroll={{ x: 'max-content' }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, hideOnSinglePage: true, showTotal: (count) => t('total', { count }) }}
        columns={[
          { key: 'code', dataIndex: 'code', title: t('columns.code'), sorter: byCode, defaultSortOrder: 'ascend', render: (code: string) => <Typography.Text strong>{code}</Typography.Text> },
          { key: 'name', dataIndex: 'name', title: t('columns.name'), sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
          { key: 'region', title: t('columns.region'), render: (_, s) => (s.regionId ? regionName.get(s.regionId) ?? s.regionId : <Typography.Text type="secondary">{t('noRegion')}</Typography.Text>) },
          { key: 'city', dataIndex: 'city', title: t('columns.city') },
          { key: 'district', dataIndex: 'district', title: t('columns.district'), render: (v: string | null) => v ?? '—' },
          { key: 'address', dataIndex: 'address', title: t('columns.address'), ellipsis: true, width: 240, render: (v: string | null) => v ?? '—' },
          { key: 'openedOn', dataIndex: 'openedOn', title: t('columns.openedOn'), sorter: (a, b) => (a.openedOn ?? '').localeCompare(b.openedOn ?? ''), render: (v: string | null) => formatDate(v, chain?.timezone) },
          {
            key: 'status', title: t('columns.status'),
            render: (_, s) => (s.status === 'open'
              ? <Tag color="green">{t('status.open')}</Tag>
              : <Tooltip title={t('closedAt', { at: formatDateTime(s.closedAt, chain?.timezone) })}><Tag>{t('status.closed')}</Tag></Tooltip>),
          },
          ...(manage || settings ? [{
            key: 'actions', title: t('columns.actions'), fixed: 'right' as const,
            render: (_: unknown, s: Store) => (
              <Space size="small">
                {mine(s) && s.status === 'open' && <Link to={`/stores/${s.id}/poster`} data-testid={`poster-${s.code}`}><Button type="link" size="small">{t('poster.open')}</Button></Link>}
                {settings && mine(s) && <Button type="link" size="small" onClick={() => setTillStore(s)} data-testid={`till-settings-${s.code}`}>{t('tillSettings.open')}</Button>}
                {manage && <Button type="link" size="small" onClick={() => setEditing(s)} data-testid={`edit-store-${s.code}`}>{t('edit')}</Button>}
                {!manage ? null : s.status === 'open' ? (
                  <Popconfirm
                    title={t('closeConfirm', { name: s.name })}
                    description={<div style={{ maxWidth: 320 }}>{t('closeHint')}</div>}
                    okText={t('close')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => setStoreStatus(s, 'close')}
                  >
                    <Button type="link" size="small" danger loading={pending === s.id} data-testid={`close-store-${s.code}`}>{t('close')}</Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm title={t('reopenConfirm', { name: s.name })} okText={t('reopen')} onConfirm={() => setStoreStatus(s, 'reopen')}>
                    <Button type="link" size="small" loading={pending === s.id} data-testid={`reopen-store-${s.code}`}>{t('reopen')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          }] : []),
        ]}
      />
      <StoreTillSettingsDrawer store={tillStore} onClose={() => setTillStore(null)} />
      <StoreFormModal
        open={editing !== null}
        store={editing === 'new' ? null : editing}
        regions={regions}
        onClose={() => setEditing(null)}
        onSaved={(s, created) => {
          setEditing(null)
          onChanged(s)
          void message.success(created ? t('created') : tc('status.saved'))
        }}
      />
    </>
  )
}

/** Stores (filterable; HQ admins open, edit, close and reopen them) and regions. */
export const StoresPage = () => {
  const { t } = useTranslation('org', { keyPrefix: 'stores' })
  const [params, setParams] = useSearchParams()
  const storesQuery = useApiQuery('/api/v1/stores')
  const regionsQuery = useApiQuery('/api/v1/regions')
  const stores = storesQuery.data
  const regions = regionsQuery.data
  const error = storesQuery.error ?? regionsQuery.error
  const load = () => {
    if (storesQuery.error) void storesQuery.refetch()
    if (regionsQuery.error) void regionsQuery.refetch()
  }

  // A saved store or region shows at once (the lists also load again after the change).
  const setStores = useSetApiData('/api/v1/stores')
  const setRegions = useSetApiData('/api/v1/regions')
  const storeChanged = useCallback((s: Store) => {
    setStores((list) => (list?.some((x) => x.id === s.id) ? list.map((x) => (x.id === s.id ? s : x)) : [...(list ?? []), s].sort(byCode)))
  }, [setStores])
  const regionCreated = useCallback((r: Region) => setRegions((list) => [...(list ?? []), r].sort(byCode)), [setRegions])



  if (error) return <ErrorResult error={error} onRetry={load} />
  if (!stores || !regions) return <Card><Skeleton active /></Card>
  const tab = params.get('tab') === 'regions' ? 'regions' : 'stores'
  return (
    <Card>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'stores' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'stores', label: t('tabs.stores'), children: <StoresTab stores={stores} regions={regions} onChanged={storeChanged} /> },
          { key: 'regions', label: t('tabs.regions'), children: <RegionsTab regions={regions} stores={stores} onCreated={regionCreated} /> },
        ]}
      />
    </Card>
  )
}

export default StoresPage
