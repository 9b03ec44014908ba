import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Flex, Form, Input, Table } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { formatDate } from '../../format.js'
import { FormModal } from '../../components/FormModal.js'
import { STORE_CODE } from './StoreFormModal.js'
import type { Region, Store } from './types.js'

const RegionFormModal = ({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (r: Region) => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'stores' })
  const [form] = Form.useForm<{ code: string; name: string }>()

  const submit = async (values: { code: string; name: string }) => {
    onSaved(await call(api.POST('/api/v1/regions', { body: { code: values.code.trim(), name: values.name.trim() } })))
  }

  return (
    <FormModal
      open={open} title={t('regions.createTitle')} onClose={onClose}
      form={form} name="region" initialValues={{ code: '', name: '' }} onSubmit={submit} submitTestId="region-form-submit"
    >
      <Form.Item name="code" label={t('regions.code')} extra={t('regions.codeHelp')} rules={[{ required: true, whitespace: true }, { pattern: STORE_CODE, message: t('form.codePattern') }]}>
        <Input data-testid="region-code" maxLength={32} autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={t('regions.name')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
        <Input data-testid="region-name" maxLength={100} />
      </Form.Item>
    </FormModal>
  )
}

/** The chain's regions and how many stores each holds; HQ admins add regions. */
export const RegionsTab = ({ regions, stores, onCreated }: { regions: Region[]; stores: Store[]; onCreated: (r: Region) => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'stores' })
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const [creating, setCreating] = useState(false)
  const counts = useMemo(() => {
    const m = new Map<string, number>()
    for (const s of stores) if (s.regionId) m.set(s.regionId, (m.get(s.regionId) ?? 0) + 1)
    return m
  }, [stores])

  return (
    <>
      {can('stores.manage') && (
        <Flex justify="flex-end" style={{ marginBottom: 16 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-region">{t('regions.create')}</Button>
        </Flex>
      )}
      <Table
        data-testid="regions-table"
        rowKey="id"
        size="middle"
        dataSource={regions}
        pagination={false}
        columns={[
          { key: 'code', dataIndex: 'code', title: t('regions.code'), width: 160 },
          { key: 'name', dataIndex: 'name', title: t('regions.name') },
          { key: 'stores', title: t('regions.stores'), align: 'right', width: 120, render: (_, r) => counts.get(r.id) ?? 0 },
          { key: 'createdAt', title: t('regions.createdAt'), width: 160, render: (_, r) => formatDate(r.createdAt, chain?.timezone) },
        ]}
      />
      <RegionFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(r) => {
          setCreating(false)
          void message.success(t('regions.created'))
          onCreated(r)
        }}
      />
    </>
  )
}
