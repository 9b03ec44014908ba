import { PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Flex, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery, useSetApiData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatDate } from '../../format.js'
import { managedStores, mayManage, ROLES, type Role, type StaffUser, type Store } from './types.js'
import { ResetPasswordModal, UserFormModal } from './UserFormModal.js'

/**
 * Staff accounts; HQ admins create them, change role and store, reset passwords, disable and enable;
 * a store manager does the same for the cashiers and desk staff of their own store.
 */
export const StaffTab = ({ stores }: { stores: Store[] }) => {
  const { t } = useTranslation('org', { keyPrefix: 'staff' })
  const { t: tc } = useTranslation()
  const { t: ta } = useTranslation('org', { keyPrefix: 'account.staff' })
  const { can, chain, user: me } = useSession()
  const { message } = App.useApp()
  const { data: users, error, refetch } = useApiQuery('/api/v1/staff')
  const setUsers = useSetApiData('/api/v1/staff')
  const [role, setRole] = useState<Role | undefined>()
  const [storeId, setStoreId] = useState<string | undefined>()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<StaffUser | 'new' | null>(null)
  const [resetting, setResetting] = useState<StaffUser | null>(null)
  const [pending, setPending] = useState<string | null>(null)
  const manage = can('staff.manage')


  const storeName = useMemo(() => new Map(stores.map((s) => [s.id, `${s.code} ${s.name}`])), [stores])
  // A region manager's own stores (the filter's choices); null for HQ, every store.
  const mine = managedStores(me, stores)
  const { data: regions } = useApiQuery('/api/v1/regions')
  const regionName = useMemo(() => new Map((regions ?? []).map((r) => [r.id, r.name])), [regions])
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase()
    return (users ?? []).filter((u) => (!role || u.role === role) && (!storeId || u.storeId === storeId)
      && (!q || u.username.includes(q) || u.displayName.toLowerCase().includes(q)))
  }, [users, role, storeId, search])

  const replace = (u: StaffUser) => setUsers((list) => (list?.some((x) => x.id === u.id) ? list.map((x) => (x.id === u.id ? u : x)) : [...(list ?? []), u].sort((a, b) => a.username.localeCompare(b.username))))

  const setStatus = async (u: StaffUser, status: StaffUser['status']) => {
    setPending(u.id)
    try {
      replace(await call(api.PATCH('/api/v1/staff/{id}', { params: { path: { id: u.id } }, body: { status } })))
      void message.success(status === 'disabled' ? t('disabled') : t('enabled'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setPending(null)
    }
  }

  const resetTwoFactor = async (u: StaffUser) => {
    setPending(u.id)
    try {
      replace(await call(api.POST('/api/v1/staff/{id}/two-factor/reset', { params: { path: { id: u.id } } })))
      void message.success(ta('resetDone'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setPending(null)
    }
  }

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />

  return (
    <>
      {manage && me?.storeId && <Alert type="info" showIcon title={t('managerHint')} style={{ marginBottom: 16 }} data-testid="staff-manager-hint" />}
      {manage && me?.role === 'region_manager' && (
        <Alert type="info" showIcon title={t('regionManagerHint', { region: regionName.get(me.regionId ?? '') ?? '' })} style={{ marginBottom: 16 }} data-testid="staff-region-hint" />
      )}
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select
            data-testid="staff-filter-role" style={{ width: 160 }} allowClear placeholder={t('filters.allRoles')} value={role} onChange={setRole}
            options={ROLES.map((r) => ({ value: r, label: tc(`roles.${r}`) }))}
          />
          {(mine ?? stores).length > 1 && !me?.storeId && (
            <Select
              data-testid="staff-filter-store" style={{ width: 200 }} allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('filters.allStores')}
              value={storeId} onChange={setStoreId} options={(mine ?? stores).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            />
          )}
          <Input.Search data-testid="staff-search" allowClear style={{ width: 220 }} placeholder={t('filters.search')} onSearch={setSearch} onChange={(e) => setSearch(e.target.value)} />
        </Space>
        {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-user">{t('create')}</Button>}
      </Flex>
      <Table
        data-testid="staff-table"
        rowKey="id"
        size="middle"
        loading={users === null}
        dataSource={shown}
        scroll={{ x: 'max-content' }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, hideOnSinglePage: true, showTotal: (count) => t('total', { count }) }}
        columns={[
          {
            key: 'username', title: t('columns.username'), sorter: (a, b) => a.username.localeCompare(b.username),
            render: (_, u) => <Space size={4}><Typography.Text strong>{u.username}</Typography.Text>{u.id === me?.id && <Tag color="blue">{t('you')}</Tag>}</Space>,
          },
          { key: 'displayName', dataIndex: 'displayName', title: t('columns.displayName') },
          { key: 'role', title: t('columns.role'), render: (_, u) => <Tag>{tc(`roles.${u.role}`)}</Tag> },
          {
            key: 'store', title: t('columns.store'),
            render: (_, u) => (u.storeId ? storeName.get(u.storeId) ?? u.storeId
              : u.regionId ? <span data-testid={`user-region-${u.username}`}>{t('region', { name: regionName.get(u.regionId) ?? u.regionId })}</span>
                : <Typography.Text type="secondary">{t('hq')}</Typography.Text>),
          },
          { key: 'status', title: t('columns.status'), render: (_, u) => <Tag color={u.status === 'active' ? 'green' : 'red'}>{t(`status.${u.status}`)}</Tag> },
          { key: 'twoFactor', title: ta('column'), render: (_, u) => (u.twoFactor ? <Tag color="green" data-testid={`two-factor-${u.username}`}>{ta('on')}</Tag> : <Typography.Text type="secondary">{ta('off')}</Typography.Text>) },
          { key: 'createdAt', title: t('columns.createdAt'), render: (_, u) => formatDate(u.createdAt, chain?.timezone) },
          ...(manage ? [{
            key: 'actions', title: t('columns.actions'), fixed: 'right' as const,
            render: (_: unknown, u: StaffUser) => mayManage(me, stores, u) && (
              <Space size="small">
                <Button type="link" size="small" onClick={() => setEditing(u)} data-testid={`edit-user-${u.username}`}>{t('edit')}</Button>
                <Button type="link" size="small" onClick={() => setResetting(u)} data-testid={`reset-user-${u.username}`}>{t('resetPassword')}</Button>
                {u.twoFactor && u.id !== me?.id && (
                  <Popconfirm
                    title={ta('resetConfirm', { name: u.displayName })} description={<div style={{ maxWidth: 300 }}>{ta('resetHint')}</div>}
                    okText={ta('reset')} okButtonProps={{ danger: true }} onConfirm={() => resetTwoFactor(u)}
                  >
                    <Button type="link" size="small" loading={pending === u.id} data-testid={`reset-two-factor-${u.username}`}>{ta('reset')}</Button>
                  </Popconfirm>
                )}
                {u.id !== me?.id && (u.status === 'active' ? (
                  <Popconfirm
                    title={t('disableConfirm', { name: u.displayName })} description={<div style={{ maxWidth: 300 }}>{t('disableHint')}</div>}
                    okText={t('disable')} okButtonProps={{ danger: true }} onConfirm={() => setStatus(u, 'disabled')}
                  >
                    <Button type="link" size="small" danger loading={pending === u.id} data-testid={`disable-user-${u.username}`}>{t('disable')}</Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm title={t('enableConfirm', { name: u.displayName })} okText={t('enable')} onConfirm={() => setStatus(u, 'active')}>
                    <Button type="link" size="small" loading={pending === u.id} data-testid={`enable-user-${u.username}`}>{t('enable')}</Button>
                  </Popconfirm>
                ))}
              </Space>
            ),
          }] : []),
        ]}
      />
      <UserFormModal
        open={editing !== null}
        user={editing === 'new' ? null : editing}
        stores={stores}
        onClose={() => setEditing(null)}
        onSaved={(u, created) => {
          setEditing(null)
          replace(u)
          void message.success(created ? t('created') : tc('status.saved'))
        }}
      />
      <ResetPasswordModal
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={() => {
          setResetting(null)
          void message.success(t('passwordReset'))
        }}
      />
    </>
  )
}
