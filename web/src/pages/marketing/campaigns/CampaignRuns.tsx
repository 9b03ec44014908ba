import { RightOutlined } from '@ant-design/icons'
import { Alert, Card, Descriptions, Empty, Flex, Progress, Space, Tag, Tooltip, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { formatCount, formatDateTime } from '../../../format.js'
import { CHANNEL_COLORS, CHANNELS } from '../marketing-words.js'
import { funnelOf, type CampaignRun } from './campaign-form.js'

const RUN_COLORS: Record<CampaignRun['status'], string> = { preparing: 'processing', sending: 'processing', paused: 'orange', done: 'green', cancelled: 'red' }
const SKIP_REASONS = ['cap', 'no_channel', 'coupon', 'erased', 'cancelled'] as const

/** One figure of the funnel: its count, its name, and what it counts on hover. */
const Figure = ({ label, help, value, strong, testId }: { label: string; help?: string; value: number; strong?: boolean; testId?: string }) => (
  <Tooltip title={help}>
    <Flex vertical align="center" style={{ minWidth: 88, padding: '8px 12px', background: strong ? '#e6f4ff' : '#fafafa', borderRadius: 8 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{label}</Typography.Text>
      <Typography.Text strong style={{ fontSize: 20 }} data-testid={testId}>{formatCount(value)}</Typography.Text>
    </Flex>
  </Tooltip>
)

const RunCard = ({ run, n, tz }: { run: CampaignRun; n: number; tz: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.runs' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const done = run.sent + run.failed + run.skipped
  const funnel = funnelOf(run)
  return (
    <Card
      size="small" data-testid={`campaign-run-${n}`}
      title={<Space>{t('run', { n })}<Tag color={RUN_COLORS[run.status]} data-testid={`campaign-run-status-${n}`}>{t(`statuses.${run.status}`)}</Tag></Space>}
      extra={<Typography.Text type="secondary">{t('startedAt')} {formatDateTime(run.startedAt, tz)}{run.finishedAt ? ` · ${t('finishedAt')} ${formatDateTime(run.finishedAt, tz)}` : ''}</Typography.Text>}
    >
      <Flex gap={8} align="center" wrap style={{ marginBottom: 16 }}>
        {funnel.map((f, i) => (
          <Flex key={f.key} gap={8} align="center">
            {i > 0 && <RightOutlined style={{ color: '#bfbfbf' }} />}
            <Figure label={i > 0 && f.key !== 'targets' ? `− ${t(`funnel.${f.key}`)}` : t(`funnel.${f.key}`)} help={t(`funnelHelp.${f.key}`)} value={f.count} strong={f.key === 'targets'} testId={`run-${f.key}-${n}`} />
          </Flex>
        ))}
      </Flex>
      <Progress
        percent={run.targets ? Math.round((done / run.targets) * 100) : 100}
        success={{ percent: run.targets ? Math.round((run.sent / run.targets) * 100) : 0 }}
        status={run.status === 'sending' ? 'active' : 'normal'} style={{ marginBottom: 12 }}
      />
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
        <Descriptions.Item label={t('outcome.sent')}>
          <Space size={4} wrap>
            <Typography.Text strong data-testid={`run-sent-${n}`}>{formatCount(run.sent)}</Typography.Text>
            {CHANNELS.filter((c) => run.sentBy[c]).map((c) => <Tag key={c} color={CHANNEL_COLORS[c]}>{tw(`channels.${c}`)} {formatCount(run.sentBy[c]!)}</Tag>)}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('outcome.skipped')}>
          <Space size={4} wrap>
            <Typography.Text strong>{formatCount(run.skipped)}</Typography.Text>
            {SKIP_REASONS.filter((r) => run.skippedBy[r]).map((r) => <Tag key={r}>{t(`skipReasons.${r}`)} {formatCount(run.skippedBy[r]!)}</Tag>)}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('outcome.failed')}><Typography.Text strong type={run.failed ? 'danger' : undefined}>{formatCount(run.failed)}</Typography.Text></Descriptions.Item>
        <Descriptions.Item label={t('outcome.pending')}><Typography.Text strong data-testid={`run-pending-${n}`}>{formatCount(run.pending)}</Typography.Text></Descriptions.Item>
      </Descriptions>
      {run.error && <Alert type="error" showIcon title={`${t('error')}: ${run.error}`} />}
    </Card>
  )
}

/** Each run of the campaign, newest first: who it reached, step by step, and what became of them. */
export const CampaignRuns = ({ runs, tz }: { runs: CampaignRun[]; tz: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.detail' })
  if (runs.length === 0) return <Empty description={t('noRuns')} />
  return (
    <Flex vertical gap={16}>
      {runs.map((r, i) => <RunCard key={r.id} run={r} n={runs.length - i} tz={tz} />)}
    </Flex>
  )
}
