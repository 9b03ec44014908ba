import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Flex, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery, useSetApiData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatMoney } from '../../format.js'
import { ProgrammeFormModal } from './ProgrammeFormModal.js'
import { RebatePreview } from './RebatePreview.js'
import type { Programme } from './programme-form.js'

const STATUS_COLORS: Record<Programme['status'], string> = { draft: 'default', running: 'orange', completed: 'green' }

/** Year-end rebate programmes: the list, a draft's form, the preview with totals and the run. */
export default function RebatesPage() {
  const { t } = useTranslation('rewards', { keyPrefix: 'rebates' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const today = dayjs().tz(tz).format('YYYY-MM-DD')
  const manage = can('rewards.manage')
  const { data: programmes, error, isFetching: loading, refetch } = useApiQuery('/api/v1/rebate-programmes')
  const setProgrammes = useSetApiData('/api/v1/rebate-programmes')
  const load = () => void refetch()
  const [editing, setEditing] = useState<Programme | 'new' | null>(null)
  const [selected, setSelected] = useState<string | null>(null)

  const replace = (p: Programme) => setProgrammes((list) => (list?.some((x) => x.id === p.id) ? list.map((x) => (x.id === p.id ? p : x)) : [p, ...(list ?? [])]))

  const remove = async (p: Programme) => {
    try {
      await call(api.DELETE('/api/v1/rebate-programmes/{id}', { params: { path: { id: p.id } } }))
      void message.success(t('actions.deleted'))
      if (selected === p.id) setSelected(null)
      setProgrammes((list) => list?.filter((x) => x.id !== p.id))

    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }

  const amount = (p: Programme, n: number) => (p.reward === 'coupon' ? formatMoney(n) : t('units.points', { n: formatCount(n) }))
  const columns: TableColumnsType<Programme> = [
    { key: 'name', title: t('columns.name'), render: (_, p) => <Typography.Text strong>{p.name}</Typography.Text> },
    { key: 'period', title: t('columns.period'), width: 190, render: (_, p) => `${p.periodFrom} ~ ${p.periodTo}` },
    { key: 'basis', title: t('columns.basis'), width: 100, render: (_, p) => t(`basis.${p.basis}`) },
    { key: 'reward', title: t('columns.reward'), width: 90, render: (_, p) => t(`reward.${p.reward}`) },
    { key: 'status', title: t('columns.status'), width: 90, render: (_, p) => <Tag color={STATUS_COLORS[p.status]} data-testid={`rebate-status-${p.id}`}>{t(`status.${p.status}`)}</Tag> },
    { key: 'members', title: t('columns.membersRewarded'), width: 100, align: 'right', render: (_, p) => formatCount(p.membersRewarded) },
    { key: 'total', title: t('columns.totalRebate'), width: 130, align: 'right', render: (_, p) => amount(p, p.totalRebate) },
    {
      key: 'actions', title: t('columns.actions'), width: 170, fixed: 'right',
      render: (_, p) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setSelected(p.id)} data-testid={`rebate-preview-${p.id}`}>{t('actions.preview')}</Button>
          {manage && p.status === 'draft' && (
            <>
              <Button type="link" size="small" onClick={() => setEditing(p)} data-testid={`rebate-edit-${p.id}`}>{t('actions.edit')}</Button>
              <Popconfirm title={t('actions.deleteConfirm')} okButtonProps={{ danger: true }} onConfirm={() => remove(p)}>
                <Button type="link" size="small" danger data-testid={`rebate-delete-${p.id}`}>{t('actions.delete')}</Button>
              </Popconfirm>
            </>
          )}
        </Space>
      ),
    },
  ]

  const current = programmes?.find((p) => p.id === selected) ?? null
  return (
    <Flex vertical gap={16}>
      <Card
        title={t('title')}
        extra={manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rebate-create">{t('create')}</Button>}
      >
        <Typography.Paragraph type="secondary">{t('help')}</Typography.Paragraph>
        {error
          ? <ErrorResult error={error} onRetry={load} compact />
          : (
            <Table<Programme>
              data-testid="rebates-table" rowKey="id" size="middle" columns={columns} dataSource={programmes ?? []} loading={loading}
              pagination={false} scroll={{ x: 1000 }} locale={{ emptyText: t('empty') }}
              onRow={(p) => (p.id === selected ? { style: { background: 'rgba(22, 119, 255, 0.06)' } } : {})}
            />
          )}
      </Card>
      {current && <RebatePreview key={current.id} programme={current} today={today} tz={tz} manage={manage} onChanged={replace} />}
      {editing && (
        <ProgrammeFormModal
          programme={editing === 'new' ? null : editing} today={today}
          onClose={() => setEditing(null)}
          onSaved={(p) => {
            setEditing(null)
            void message.success(t('actions.saved'))
            replace(p)
            setSelected(p.id)
          }}
        />
      )}
    </Flex>
  )
}
