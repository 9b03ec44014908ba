import { EditOutlined, SyncOutlined } from '@ant-design/icons'
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Flex, Form, Input, Popconfirm, Select, Skeleton, Space, Tabs, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { api, call } from '../../../api/client.js'
import { REFERENCE_STALE_MS, useApiQuery, useSetApiData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { FormModal } from '../../../components/FormModal.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { useMemberFinder } from '../../../hooks/use-member-finder.js'
import type { Channel } from '../marketing-words.js'
import { campaignActions, isLive, STATUS_COLORS, type Campaign, type CampaignAction, type CampaignDetail } from './campaign-form.js'
import { CampaignRecipients } from './CampaignRecipients.js'
import { CampaignReport } from './CampaignReport.js'
import { CampaignRuns } from './CampaignRuns.js'
import { ChannelOrder } from './CampaignsPage.js'
import { useScheduleText, useSegments } from './use-campaign-refs.js'

/** Sends the campaign's message on one of its channels to a staff member's own address (filled for a member, if one is given). */
const TestSendModal = ({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.test' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tch } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { message } = App.useApp()
  const finder = useMemberFinder()
  const [form] = Form.useForm<{ channel: Channel; to: string; member?: string }>()
  return (
    <FormModal
      open title={t('title')} form={form} name="campaign-test" onClose={onClose} submitTestId="campaign-test-submit" initialValues={{ channel: campaign.channels[0] }}
      onSubmit={async (v) => {
        let memberId: string | null = null
        if (v.member?.trim()) {
          const m = await finder.find(v.member)
          if (!m) return
          memberId = m.id
        }
        const sent = await call(api.POST('/api/v1/marketing/campaigns/{id}/test', { params: { path: { id: campaign.id } }, body: { channel: v.channel, to: v.to.trim(), memberId } }))
        void message.info(t('sent', { status: tch(`statuses.${sent.status}`) }))
        onClose()
      }}
    >
      <Form.Item name="channel" label={t('channel')}>
        <Select options={campaign.channels.map((c) => ({ value: c, label: tw(`channels.${c}`) }))} data-testid="campaign-test-channel" />
      </Form.Item>
      <Form.Item name="to" label={t('to')} extra={t('toHelp')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={254} data-testid="campaign-test-to" />
      </Form.Item>
      <Form.Item name="member" label={t('member')} validateStatus={finder.error ? 'error' : undefined} help={finder.error ?? undefined}>
        <Input placeholder={t('memberPlaceholder')} maxLength={64} />
      </Form.Item>
    </FormModal>
  )
}

/** Back to a draft: a rejection (with the reason the submitter reads) or the submitter's own withdrawal. */
const WithdrawModal = ({ campaign, reject, onClose, onDone }: { campaign: Campaign; reject: boolean; onClose: () => void; onDone: (c: Campaign) => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.confirm' })
  const [form] = Form.useForm<{ reason?: string }>()
  return (
    <FormModal
      open title={reject ? t('rejectTitle') : t('withdrawTitle')} form={form} name="campaign-withdraw" onClose={onClose} submitTestId="campaign-withdraw-submit"
      onSubmit={async (v) => {
        onDone(await call(api.POST('/api/v1/marketing/campaigns/{id}/withdraw', { params: { path: { id: campaign.id } }, body: { version: campaign.version, reason: v.reason?.trim() || null } })))
      }}
    >
      <Typography.Paragraph type="secondary">{reject ? t('rejectHelp') : t('withdrawHelp')}</Typography.Paragraph>
      <Form.Item name="reason" label={t('reason')} rules={reject ? [{ required: true, whitespace: true, message: t('reasonRequired') }] : []}>
        <Input.TextArea rows={3} maxLength={500} data-testid="campaign-withdraw-reason" />
      </Form.Item>
    </FormModal>
  )
}

const CampaignDetailView = ({ id }: { id: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns' })
  const { t: tc } = useTranslation()
  const { message, modal } = App.useApp()
  const { can, chain, user } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const navigate = useNavigate()
  const read = { params: { path: { id } } }
  // While it sends (or is about to), the campaign is read again every few seconds; scheduled for
  // later, every minute, so the page follows it when its time comes.
  const detail = useApiQuery('/api/v1/marketing/campaigns/{id}', read, {
    refetchInterval: (q) => (!q.state.data ? false : isLive(q.state.data, q.state.data.runs) ? 3_000 : q.state.data.status === 'scheduled' ? 60_000 : false),
  })
  const setDetail = useSetApiData('/api/v1/marketing/campaigns/{id}', read)
  const settings = useApiQuery('/api/v1/marketing/campaign-settings', undefined, { staleTime: REFERENCE_STALE_MS })
  const segments = useSegments()
  const templates = useApiQuery('/api/v1/marketing/templates', {}, { staleTime: REFERENCE_STALE_MS })
  const coupons = useApiQuery('/api/v1/coupon-templates', {}, { staleTime: REFERENCE_STALE_MS })
  const scheduleText = useScheduleText(tz)
  const [busy, setBusy] = useState<CampaignAction | null>(null)
  const [withdrawing, setWithdrawing] = useState<'reject' | 'withdraw' | null>(null)
  const [testing, setTesting] = useState(false)
  const [tab, setTab] = useState('runs')

  const c = detail.data
  if (detail.error) return <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
  if (!c) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>

  const done = (next: Campaign, action: CampaignAction) => {
    setDetail((prev: CampaignDetail | undefined) => (prev ? { ...prev, ...next } : prev))
    void detail.refetch()
    void message.success(t(`done.${action}` as never))
  }
  const act = async (action: 'submit' | 'approve' | 'pause' | 'resume' | 'cancel') => {
    setBusy(action)
    try {
      const path = { params: { path: { id } } }
      const next = action === 'submit' ? await call(api.POST('/api/v1/marketing/campaigns/{id}/submit', { ...path, body: { version: c.version } }))
        : action === 'approve' ? await call(api.POST('/api/v1/marketing/campaigns/{id}/approve', { ...path, body: { version: c.version } }))
          : action === 'pause' ? await call(api.POST('/api/v1/marketing/campaigns/{id}/pause', path))
            : action === 'resume' ? await call(api.POST('/api/v1/marketing/campaigns/{id}/resume', path))
              : await call(api.POST('/api/v1/marketing/campaigns/{id}/cancel', path))
      done(next, action)
    } catch (err) {
      void message.error(errorMessage(tc, err))
      void detail.refetch()
    } finally {
      setBusy(null)
    }
  }
  const confirmCancel = () => modal.confirm({
    title: t('confirm.cancelTitle'), content: t('confirm.cancelText'), okText: t('confirm.cancelOk'), cancelText: t('confirm.keep'),
    okButtonProps: { danger: true, 'data-testid': 'campaign-cancel-confirm' } as never, onOk: () => act('cancel'),
  })

  const actions = campaignActions(c, c.runs.length, { userId: user?.id ?? null, manage: can('marketing.manage'), approve: can('marketing.approve') })
  const first = formatDateTime(c.sendAt, tz)
  const submitText = settings.data?.approvalRequired ? t('confirm.submitApproval')
    : c.scheduleKind === 'now' ? t('confirm.submitNow') : c.scheduleKind === 'at' ? t('confirm.submitAt', { time: first }) : t('confirm.submitRecurring', { time: first })
  const confirmed = (action: 'submit' | 'approve' | 'pause' | 'resume', text: string, primary = false) => (
    <Popconfirm key={action} title={<div style={{ maxWidth: 300 }}>{text}</div>} onConfirm={() => act(action)} okButtonProps={{ 'data-testid': `campaign-${action}-confirm` } as never}>
      <Button type={primary ? 'primary' : 'default'} loading={busy === action} data-testid={`campaign-${action}`}>{t(`actions.${action}`)}</Button>
    </Popconfirm>
  )
  const buttons = actions.map((a) => {
    switch (a) {
      case 'edit': return <Button key={a} icon={<EditOutlined />} onClick={() => void navigate(`/marketing/campaigns/${id}/edit`)} data-testid="campaign-edit">{t('actions.edit')}</Button>
      case 'submit': return confirmed('submit', submitText, true)
      case 'approve': return confirmed('approve', t('confirm.approve'), true)
      case 'pause': return confirmed('pause', t('confirm.pause'))
      case 'resume': return confirmed('resume', t('confirm.resume'), true)
      case 'reject': case 'withdraw': return <Button key={a} onClick={() => setWithdrawing(a)} data-testid={`campaign-${a}`}>{t(`actions.${a}`)}</Button>
      case 'cancel': return <Button key={a} danger loading={busy === 'cancel'} onClick={confirmCancel} data-testid="campaign-cancel">{t('actions.cancel')}</Button>
      case 'test': return <Button key={a} onClick={() => setTesting(true)} data-testid="campaign-test">{t('actions.test')}</Button>
    }
  })
  const live = isLive(c, c.runs)
  const templateName = (tid: string | undefined) => templates.data?.items.find((x) => x.id === tid)?.name ?? '—'
  const segmentName = (sid: string) => segments.nameOf(sid) ?? t('unknownSegment')

  return (
    <Flex vertical gap={16} data-testid="campaign-detail">
      <Breadcrumb items={[{ title: <Link to="/marketing/campaigns">{t('title')}</Link> }, { title: c.name }]} />
      <Card
        title={(
          <Space wrap>
            <span data-testid="campaign-title">{c.name}</span>
            <Tag color={STATUS_COLORS[c.status]} data-testid="campaign-status">{t(`statuses.${c.status}`)}</Tag>
            {live && <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}><SyncOutlined spin /> {t('detail.refreshing')}</Typography.Text>}
          </Space>
        )}
        extra={<Space wrap>{buttons}</Space>}
      >
        {c.status === 'pending_approval' && <Alert type="warning" showIcon title={t('detail.awaitingApproval')} style={{ marginBottom: 16 }} />}
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('detail.segment')}>
            <Link to={`/insight/segments/${c.segmentId}`}>{segmentName(c.segmentId)}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.audienceMode')}>{t(`form.audienceModes.${c.audienceMode}`)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.exclude')}>{c.excludeSegmentIds.length ? c.excludeSegmentIds.map(segmentName).join('、') : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('detail.channels')} span={2}>
            <Space orientation="vertical" size={4}>
              <ChannelOrder channels={c.channels} />
              <Typography.Text type="secondary">{c.channels.map((ch) => templateName(c.templateIds[ch])).join(' / ')}</Typography.Text>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.coupon')}>{c.couponTemplateId ? (coupons.data?.find((x) => x.id === c.couponTemplateId)?.name ?? '—') : t('detail.noCoupon')}</Descriptions.Item>
          <Descriptions.Item label={t('detail.schedule')}>{scheduleText(c)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.nextRun')}>{formatDateTime(c.nextRunAt, tz)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.rate')}>{t('detail.ratePerMinute', { n: formatCount(c.ratePerMinute) })}</Descriptions.Item>
          <Descriptions.Item label={t('detail.holdout')}>{c.holdoutPct}%</Descriptions.Item>
          <Descriptions.Item label={t('detail.attribution')}>{t('detail.attributionDays', { n: c.attributionDays })}</Descriptions.Item>
          <Descriptions.Item label={t('detail.createdAt')}>
            {formatDateTime(c.createdAt, tz)}{c.submittedBy && c.submittedBy === user?.id ? ` · ${t('detail.submittedByYou')}` : ''}
          </Descriptions.Item>
          {c.approvedAt && <Descriptions.Item label={t('detail.approvedAt')}>{formatDateTime(c.approvedAt, tz)}</Descriptions.Item>}
          {c.description && <Descriptions.Item label={t('detail.description')} span={3}>{c.description}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          activeKey={tab} onChange={setTab}
          items={[
            { key: 'runs', label: <span data-testid="campaign-tab-runs">{t('detail.tabs.runs')}</span>, children: <CampaignRuns runs={c.runs} tz={tz} /> },
            ...(c.runs.length > 0 ? [
              { key: 'recipients', label: <span data-testid="campaign-tab-recipients">{t('detail.tabs.recipients')}</span>, children: <CampaignRecipients campaignId={c.id} runs={c.runs} tz={tz} /> },
              { key: 'report', label: <span data-testid="campaign-tab-report">{t('detail.tabs.report')}</span>, children: <CampaignReport campaignId={c.id} runs={c.runs} attributionDays={c.attributionDays} live={live} tz={tz} /> },
            ] : []),
          ]}
        />
      </Card>
      {testing && <TestSendModal campaign={c} onClose={() => setTesting(false)} />}
      {withdrawing && (
        <WithdrawModal campaign={c} reject={withdrawing === 'reject'} onClose={() => setWithdrawing(null)} onDone={(next) => { setWithdrawing(null); done(next, withdrawing) }} />
      )}
    </Flex>
  )
}

/** A campaign: what it sends to whom and when, its actions by status, its runs, recipients and report. */
const CampaignPage = () => {
  const { id } = useParams<{ id: string }>()
  return id ? <CampaignDetailView key={id} id={id} /> : null
}

export default CampaignPage
