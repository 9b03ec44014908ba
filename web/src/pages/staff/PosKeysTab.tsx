import { KeyOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons'
import { Alert, App, Button, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery, useSetApiData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatDateTime } from '../../format.js'
import { FormModal } from '../../components/FormModal.js'
import type { CreatedPosKey, PosKey, Store } from './types.js'
import { storeOptions } from './UserFormModal.js'

const CreateKeyModal = ({ open, stores, onClose, onCreated }: { open: boolean; stores: Store[]; onClose: () => void; onCreated: (k: CreatedPosKey) => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'staff' })
  const { t: tc } = useTranslation()
  const [form] = Form.useForm<{ storeId: string; name: string }>()

  const submit = async (v: { storeId: string; name: string }) => {
    onCreated(await call(api.POST('/api/v1/pos-keys', { body: { storeId: v.storeId, name: v.name.trim() } })))
  }

  return (
    <FormModal
      open={open} title={t('posKeys.createTitle')} onClose={onClose} submitLabel={tc('actions.create')}
      form={form} name="pos-key" initialValues={{ name: '' }} onSubmit={submit} submitTestId="pos-key-form-submit"
    >
      <Form.Item name="storeId" label={t('posKeys.store')} rules={[{ required: true }]}>
        <Select data-testid="pos-key-store" showSearch={{ optionFilterProp: 'label' }} placeholder={t('form.storePlaceholder')} options={storeOptions(stores, null, '')} />
      </Form.Item>
      <Form.Item name="name" label={t('posKeys.name')} rules={[{ required: true, whitespace: true }, { max: 64 }]}>
        <Input data-testid="pos-key-name" placeholder={t('posKeys.namePlaceholder')} maxLength={64} />
      </Form.Item>
    </FormModal>
  )
}

/** The new key, shown this once: it is stored only as a hash. */
const RevealKeyModal = ({ created, storeLabel, onClose }: { created: CreatedPosKey | null; storeLabel: string; onClose: () => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'staff' })
  return (
    <Modal
      open={created !== null}
      title={<Space><KeyOutlined />{t('posKeys.revealTitle')}</Space>}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      destroyOnHidden
      footer={<Button type="primary" onClick={onClose} data-testid="pos-key-saved">{t('posKeys.saved')}</Button>}
    >
      {created && (
        <>
          <Alert type="warning" showIcon icon={<WarningOutlined />} title={t('posKeys.revealWarning')} style={{ marginBottom: 16 }} />
          <Typography.Paragraph type="secondary">{t('posKeys.revealFor', { store: storeLabel, name: created.name })}</Typography.Paragraph>
          <Typography.Paragraph
            data-testid="pos-key-revealed"
            code
            copyable={{ text: created.key }}
            style={{ fontSize: 15, wordBreak: 'break-all' }}
          >
            {created.key}
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  )
}

/** POS API keys: one per till, created with the key shown once, revoked when lost. */
export const PosKeysTab = ({ stores }: { stores: Store[] }) => {
  const { t } = useTranslation('org', { keyPrefix: 'staff' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const { message } = App.useApp()
  const { data: keys, error, refetch } = useApiQuery('/api/v1/pos-keys')
  const setKeys = useSetApiData('/api/v1/pos-keys')
  const [storeId, setStoreId] = useState<string | undefined>()
  const [showRevoked, setShowRevoked] = useState(true)
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<CreatedPosKey | null>(null)
  const [pending, setPending] = useState<string | null>(null)


  const storeName = useMemo(() => new Map(stores.map((s) => [s.id, `${s.code} ${s.name}`])), [stores])
  const shown = useMemo(() => (keys ?? []).filter((k) => (!storeId || k.storeId === storeId) && (showRevoked || !k.revokedAt)), [keys, storeId, showRevoked])

  const revoke = async (k: PosKey) => {
    setPending(k.id)
    try {
      const saved = await call(api.POST('/api/v1/pos-keys/{id}/revoke', { params: { path: { id: k.id } } }))
      setKeys((list) => list?.map((x) => (x.id === saved.id ? saved : x)))
      void message.success(t('posKeys.revokedDone'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setPending(null)
    }
  }

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />

  const tz = chain?.timezone
  return (
    <>
      <Typography.Paragraph type="secondary">{t('posKeys.intro')}</Typography.Paragraph>
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select
            data-testid="pos-keys-filter-store" style={{ width: 200 }} allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('filters.allStores')}
            value={storeId} onChange={setStoreId} options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
          />
          <Checkbox checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} data-testid="pos-keys-show-revoked">{t('posKeys.showRevoked')}</Checkbox>
        </Space>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-pos-key">{t('posKeys.create')}</Button>
      </Flex>
      <Table
        data-testid="pos-keys-table"
        rowKey="id"
        size="middle"
        loading={keys === null}
        dataSource={shown}
        scroll={{ x: 'max-content' }}
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
        columns={[
          { key: 'name', dataIndex: 'name', title: t('posKeys.name'), render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { key: 'store', title: t('posKeys.store'), render: (_, k) => storeName.get(k.storeId) ?? k.storeId },
          { key: 'prefix', title: t('posKeys.prefix'), render: (_, k) => <Typography.Text code>{k.keyPrefix}…</Typography.Text> },
          { key: 'createdAt', title: t('posKeys.createdAt'), render: (_, k) => formatDateTime(k.createdAt, tz) },
          { key: 'lastUsedAt', title: t('posKeys.lastUsedAt'), render: (_, k) => (k.lastUsedAt ? formatDateTime(k.lastUsedAt, tz) : <Typography.Text type="secondary">{t('posKeys.never')}</Typography.Text>) },
          {
            key: 'status', title: t('posKeys.status'),
            render: (_, k) => (k.revokedAt ? <Tag color="red">{t('posKeys.revoked', { at: formatDateTime(k.revokedAt, tz) })}</Tag> : <Tag color="green">{t('posKeys.active')}</Tag>),
          },
          {
            key: 'actions', title: t('columns.actions'), fixed: 'right',
            render: (_, k) => !k.revokedAt && (
              <Popconfirm
                title={t('posKeys.revokeConfirm', { name: k.name })} description={<div style={{ maxWidth: 300 }}>{t('posKeys.revokeHint')}</div>}
                okText={t('posKeys.revoke')} okButtonProps={{ danger: true }} onConfirm={() => revoke(k)}
              >
                <Button type="link" size="small" danger loading={pending === k.id} data-testid={`revoke-pos-key-${k.keyPrefix}`}>{t('posKeys.revoke')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <CreateKeyModal
        open={creating}
        stores={stores}
        onClose={() => setCreating(false)}
        onCreated={(k) => {
          setCreating(false)
          setCreated(k)
          const { key: _key, ...listed } = k
          setKeys((list) => [listed, ...(list ?? [])])
        }}
      />
      <RevealKeyModal created={created} storeLabel={created ? storeName.get(created.storeId) ?? created.storeId : ''} onClose={() => setCreated(null)} />
    </>
  )
}
