import { App, Button, Card, Flex, Form, InputNumber, Popconfirm, Segmented, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiMutation, useApiPages, useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { RetentionCard } from './RetentionCard.js'

type Erasure = GetData<'/api/v1/privacy/erasure-requests'>['items'][number]
type StatusFilter = 'pending' | 'done' | 'cancelled' | 'all'
const STATUS_COLORS: Record<Erasure['status'], string> = { pending: 'orange', done: 'red', cancelled: 'default' }

/** The chain's cooling-off days before an erasure runs: HQ administrators set them. */
const CoolingOff = () => {
  const { t } = useTranslation('members', { keyPrefix: 'privacy.page' })
  const { can } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const { data } = useApiQuery('/api/v1/privacy/settings')
  const save = useApiMutation('put', '/api/v1/privacy/settings')
  const [days, setDays] = useState<number | null>(null)
  if (!data) return null
  const value = days ?? data.coolingOffDays
  return (
    <Card title={t('settings')} size="small">
      <Flex gap={12} align="center" wrap>
        <Form.Item label={t('coolingOff')} style={{ margin: 0 }} help={t('coolingOffHelp')}>
          <InputNumber min={0} max={90} precision={0} value={value} disabled={!can('chain.manage')} onChange={(v) => setDays(v)} addonAfter={t('days')} data-testid="privacy-cooling-off" />
        </Form.Item>
        {can('chain.manage') && (
          <Button type="primary" disabled={days === null || days === data.coolingOffDays} loading={save.isPending} data-testid="privacy-save" onClick={async () => {
            try {
              await save.mutateAsync({ body: { coolingOffDays: value } })
              setDays(null)
              void message.success(t('saved'))
            } catch (err) {
              void message.error(errorText(err))
            }
          }}>{t('save')}</Button>
        )}
      </Flex>
    </Card>
  )
}

/**
 * 设置 → 个人信息保护: the cooling-off setting, HQ's retention sweep (长期未活跃会员), and every
 * request to be erased (PIPL) — pending ones with the day they run and a way to withdraw them,
 * those done and withdrawn.
 */
const PrivacyPage = () => {
  const { t } = useTranslation('members', { keyPrefix: 'privacy.page' })
  const { t: tc } = useTranslation()
  const { chain, can } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [status, setStatus] = useState<StatusFilter>('pending')
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/privacy/erasure-requests', { params: { query: status === 'all' ? {} : { status } } })
  const cancel = useApiMutation('post', '/api/v1/privacy/erasure-requests/{id}/cancel')

  const columns: TableColumnsType<Erasure> = [
    { key: 'member', title: t('member'), render: (_, r) => (r.status === 'done' ? <Typography.Text type="secondary">{t('erasedMember')}</Typography.Text> : <Link to={`/members/${r.memberId}`}>{r.member?.nameMasked ?? '—'}（{r.member?.cardNo}）</Link>) },
    { key: 'status', title: t('status'), width: 100, render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{t(`statuses.${r.status}`)}</Tag> },
    { key: 'requested', title: t('requested'), width: 210, render: (_, r) => <>{formatDateTime(r.requestedAt, tz)}<br /><Typography.Text type="secondary">{r.requestedBy ?? '—'} · {t(`channels.${r.channel}`)}</Typography.Text></> },
    { key: 'due', title: t('due'), width: 160, render: (_, r) => (r.status === 'pending' ? formatDateTime(r.dueAt, tz) : r.status === 'done' ? formatDateTime(r.doneAt, tz) : `${t('cancelledAt')} ${formatDateTime(r.cancelledAt, tz)}`) },
    { key: 'reason', title: t('reason'), render: (_, r) => r.reason ?? '—' },
    {
      key: 'actions', title: '', width: 110, render: (_, r) => r.status === 'pending' && (
        <Popconfirm title={t('withdrawConfirm')} onConfirm={async () => {
          try {
            await cancel.mutateAsync({ params: { path: { id: r.id } } })
            void message.success(t('withdrawn'))
          } catch (err) {
            void message.error(errorText(err))
          }
        }}>
          <Button size="small" data-testid={`erasure-withdraw-${r.id}`}>{t('withdraw')}</Button>
        </Popconfirm>
      ),
    },
  ]

  return (
    <Flex vertical gap={16} data-testid="privacy-page">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('intro')}</Typography.Paragraph>
      <CoolingOff />
      {can('chain.manage') && <RetentionCard />}
      <Card title={t('requests')} extra={
        <Segmented<StatusFilter> value={status} onChange={setStatus} data-testid="privacy-status" options={(['pending', 'done', 'cancelled', 'all'] as const).map((s) => ({ value: s, label: s === 'all' ? t('all') : t(`statuses.${s}`) }))} />
      }>
        {error ? <ErrorResult error={error} onRetry={load} compact /> : (
          <>
            <Table<Erasure> rowKey="id" size="small" columns={columns} dataSource={items ?? []} loading={items === null} pagination={false} scroll={{ x: 900 }} locale={{ emptyText: t('empty') }} data-testid="privacy-requests" />
            {nextCursor && <div style={{ textAlign: 'center', marginTop: 16 }}><Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button></div>}
          </>
        )}
      </Card>
    </Flex>
  )
}

export default PrivacyPage
