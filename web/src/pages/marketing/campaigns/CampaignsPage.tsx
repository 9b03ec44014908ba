import { ArrowRightOutlined, PlusOutlined } from '@ant-design/icons'
import { Button, Card, Flex, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useApiPages } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { CHANNEL_COLORS, type Channel } from '../marketing-words.js'
import { CAMPAIGN_STATUSES, STATUS_COLORS, type Campaign, type CampaignStatus } from './campaign-form.js'
import { CampaignSettings } from './CampaignSettings.js'
import { useScheduleText, useSegments } from './use-campaign-refs.js'

/** The channels in their order of preference: 微信 → 短信. */
export const ChannelOrder = ({ channels }: { channels: readonly Channel[] }) => {
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  return (
    <Space size={4} wrap>
      {channels.map((c, i) => (
        <Space key={c} size={4}>
          {i > 0 && <ArrowRightOutlined style={{ color: '#bfbfbf', fontSize: 10 }} />}
          <Tag color={CHANNEL_COLORS[c]} style={{ marginInlineEnd: 0 }}>{tw(`channels.${c}`)}</Tag>
        </Space>
      ))}
    </Space>
  )
}

const CampaignList = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [status, setStatus] = useState<CampaignStatus | undefined>()
  const segments = useSegments()
  const scheduleText = useScheduleText(tz)
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/marketing/campaigns', { params: { query: status ? { status } : {} } })
  if (error) return <ErrorResult error={error} onRetry={load} />
  const columns: TableColumnsType<Campaign> = [
    { key: 'name', title: t('columns.name'), render: (_, c) => <Link to={`/marketing/campaigns/${c.id}`} data-testid={`campaign-open-${c.id}`}>{c.name}</Link> },
    { key: 'status', title: t('columns.status'), width: 100, render: (_, c) => <Tag color={STATUS_COLORS[c.status]}>{t(`statuses.${c.status}`)}</Tag> },
    { key: 'segment', title: t('columns.segment'), width: 160, render: (_, c) => segments.nameOf(c.segmentId) ?? <Typography.Text type="secondary">{t('unknownSegment')}</Typography.Text> },
    { key: 'channels', title: t('columns.channels'), width: 200, render: (_, c) => <ChannelOrder channels={c.channels} /> },
    { key: 'schedule', title: t('columns.schedule'), width: 240, render: (_, c) => scheduleText(c) },
    { key: 'nextRun', title: t('columns.nextRun'), width: 150, render: (_, c) => formatDateTime(c.nextRunAt, tz) },
    { key: 'createdAt', title: t('columns.createdAt'), width: 150, render: (_, c) => formatDateTime(c.createdAt, tz) },
  ]
  return (
    <>
      <Select<CampaignStatus>
        allowClear placeholder={t('allStatuses')} style={{ width: 160, marginBottom: 16 }} value={status} onChange={setStatus}
        options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} data-testid="campaigns-filter-status"
      />
      <Table<Campaign>
        rowKey="id" size="middle" loading={items === null} dataSource={items ?? []} columns={columns} pagination={false}
        locale={{ emptyText: t('empty') }} scroll={{ x: 1100 }} data-testid="campaigns-table"
      />
      {nextCursor && <Flex justify="center" style={{ marginTop: 16 }}><Button loading={loadingMore} onClick={more}>{t('more')}</Button></Flex>}
    </>
  )
}

/** 营销活动: the campaigns with their status and schedule, a new one, and the sending rules every campaign keeps. */
const CampaignsPage = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns' })
  const { can } = useSession()
  const navigate = useNavigate()
  const [tab, setTab] = useState('list')
  return (
    <Card
      title={t('title')}
      extra={can('marketing.manage') && tab === 'list' && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/marketing/campaigns/new')} data-testid="campaign-create">{t('create')}</Button>
      )}
    >
      <Tabs
        activeKey={tab} onChange={setTab}
        items={[
          { key: 'list', label: t('tabs.list'), children: <CampaignList /> },
          { key: 'settings', label: <span data-testid="campaigns-tab-settings">{t('tabs.settings')}</span>, children: <CampaignSettings /> },
        ]}
      />
    </Card>
  )
}

export default CampaignsPage
