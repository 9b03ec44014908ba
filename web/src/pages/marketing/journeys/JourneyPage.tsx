import { EditOutlined } from '@ant-design/icons'
import { Alert, App, Breadcrumb, Button, Card, Col, Descriptions, Flex, Popconfirm, Row, Skeleton, Space, Tabs, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { api, ApiError, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { journeyActions, STATUS_COLORS, type JourneyAction } from './journey-form.js'
import { problemLines, triggerText } from './journey-words.js'
import { JourneyMembers } from './JourneyMembers.js'
import { JourneyStats } from './JourneyStats.js'
import { JourneyStepsView } from './JourneyStepsView.js'
import { JourneyVersions } from './JourneyVersions.js'
import { useJourneyRefs } from './use-journey-refs.js'

const JourneyDetailView = ({ id }: { id: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const { t: tc } = useTranslation()
  const { message, modal } = App.useApp()
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const navigate = useNavigate()
  const refs = useJourneyRefs()
  // While members are inside an active journey, its figures move: read again every half minute.
  const detail = useApiQuery('/api/v1/marketing/journeys/{id}', { params: { path: { id } } }, {
    refetchInterval: (q) => (q.state.data?.status === 'active' ? 30_000 : false),
  })
  const [busy, setBusy] = useState<JourneyAction | null>(null)
  const [tab, setTab] = useState('stats')
  const j = detail.data
  if (detail.error) return <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
  if (!j) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>

  const act = async (action: 'activate' | 'pause' | 'archive') => {
    setBusy(action)
    try {
      const path = { params: { path: { id } } }
      if (action === 'activate') await call(api.POST('/api/v1/marketing/journeys/{id}/activate', path))
      else if (action === 'pause') await call(api.POST('/api/v1/marketing/journeys/{id}/pause', path))
      else await call(api.POST('/api/v1/marketing/journeys/{id}/archive', path))
      void message.success(t(`done.${action}`))
    } catch (err) {
      // A definition that no longer holds (a template archived since, a date passed) says what to change.
      if (err instanceof ApiError && err.code === 'JOURNEY_INVALID' && err.details.length > 0) {
        modal.error({
          title: t('detail.problemsTitle'),
          content: <ul style={{ paddingInlineStart: 20, margin: 0 }} data-testid="journey-problems">{problemLines(t, err.details).map((line) => <li key={line}>{line}</li>)}</ul>,
        })
      } else void message.error(errorMessage(tc, err))
    } finally {
      setBusy(null)
      void detail.refetch()
    }
  }
  const confirmArchive = () => modal.confirm({
    title: t('confirm.archiveTitle'), content: t('confirm.archiveText', { n: formatCount(j.members.active) }), okText: t('confirm.archiveOk'), cancelText: t('confirm.keep'),
    okButtonProps: { danger: true, 'data-testid': 'journey-archive-confirm' } as never, onOk: () => act('archive'),
  })
  const buttons = journeyActions(j.status, can('marketing.manage')).map((a) => {
    switch (a) {
      case 'edit': return <Button key={a} icon={<EditOutlined />} onClick={() => void navigate(`/marketing/journeys/${id}/edit`)} data-testid="journey-edit">{t('actions.edit')}</Button>
      case 'activate': case 'pause': return (
        <Popconfirm key={a} title={<div style={{ maxWidth: 300 }}>{t(`confirm.${a}`)}</div>} onConfirm={() => act(a)} okButtonProps={{ 'data-testid': `journey-${a}-confirm` } as never}>
          <Button type={a === 'activate' ? 'primary' : 'default'} loading={busy === a} data-testid={`journey-${a}`}>{t(`actions.${a}`)}</Button>
        </Popconfirm>
      )
      case 'archive': return <Button key={a} danger loading={busy === 'archive'} onClick={confirmArchive} data-testid="journey-archive">{t('actions.archive')}</Button>
    }
  })

  return (
    <Flex vertical gap={16} data-testid="journey-detail">
      <Breadcrumb items={[{ title: <Link to="/marketing/journeys">{t('title')}</Link> }, { title: j.name }]} />
      <Card
        title={(
          <Space wrap>
            <span data-testid="journey-title">{j.name}</span>
            <Tag color={STATUS_COLORS[j.status]} data-testid="journey-status">{t(`statuses.${j.status}`)}</Tag>
            <Tag data-testid="journey-version">{t('version', { n: j.version })}</Tag>
          </Space>
        )}
        extra={<Space wrap>{buttons}</Space>}
      >
        {j.status === 'draft' && <Alert type="info" showIcon title={t('detail.draftNotice')} style={{ marginBottom: 16 }} />}
        {j.status === 'paused' && <Alert type="warning" showIcon title={t('detail.pausedNotice')} style={{ marginBottom: 16 }} />}
        <Row gutter={24}>
          <Col xs={24} lg={10}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('detail.trigger')}><span data-testid="journey-trigger">{triggerText(t, j.trigger, refs.names)}</span></Descriptions.Item>
              <Descriptions.Item label={t('detail.members')}>
                <span data-testid="journey-members">{t('detail.membersText', { active: formatCount(j.members.active), done: formatCount(j.members.done), exited: formatCount(j.members.exited) })}</span>
              </Descriptions.Item>
              {j.activeSince && j.status !== 'draft' && <Descriptions.Item label={t('detail.activeSince')}>{formatDateTime(j.activeSince, tz)}</Descriptions.Item>}
              <Descriptions.Item label={t('detail.updatedAt')}>{formatDateTime(j.updatedAt, tz)}</Descriptions.Item>
              <Descriptions.Item label={t('detail.createdAt')}>{formatDateTime(j.createdAt, tz)}</Descriptions.Item>
              {j.description && <Descriptions.Item label={t('detail.description')}>{j.description}</Descriptions.Item>}
            </Descriptions>
          </Col>
          <Col xs={24} lg={14}>
            <Card size="small" title={t('detail.steps', { n: j.version })}>
              <JourneyStepsView steps={j.steps} names={refs.names} templateName={refs.templateName} testId="journey-steps-view" />
            </Card>
          </Col>
        </Row>
      </Card>
      <Card>
        <Tabs
          activeKey={tab} onChange={setTab}
          items={[
            { key: 'stats', label: <span data-testid="journey-tab-stats">{t('detail.tabs.stats')}</span>, children: <JourneyStats versions={j.versions} /> },
            { key: 'members', label: <span data-testid="journey-tab-members">{t('detail.tabs.members')}</span>, children: <JourneyMembers journeyId={j.id} versions={j.versions} tz={tz} /> },
            {
              key: 'versions', label: <span data-testid="journey-tab-versions">{t('detail.tabs.versions')}</span>,
              children: <JourneyVersions versions={j.versions} current={j.version} names={refs.names} templateName={refs.templateName} tz={tz} />,
            },
          ]}
        />
      </Card>
    </Flex>
  )
}

/** A journey: its trigger and steps, its actions by status, the figures of each step, the members inside and the versions. */
const JourneyPage = () => {
  const { id } = useParams<{ id: string }>()
  return id ? <JourneyDetailView key={id} id={id} /> : null
}

export default JourneyPage
