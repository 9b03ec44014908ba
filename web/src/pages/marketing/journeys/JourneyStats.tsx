import { Card, Empty, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { EChart } from '../../../components/EChart.js'
import { formatCount } from '../../../format.js'
import { stepsChartOption } from './journey-charts.js'
import type { JourneyVersion, StepStats } from './journey-form.js'
import { outcomesText } from './journey-words.js'
import { STEP_COLORS } from './JourneyStepCard.js'

/** A version picker (the current one first); nothing when there is one version. */
export const VersionSelect = ({ versions, value, onChange, allowClear, testId }: {
  versions: readonly JourneyVersion[]; value: number | undefined; onChange: (v: number | undefined) => void; allowClear?: boolean; testId?: string
}) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  if (versions.length < 2) return null
  return (
    <Select<number>
      style={{ width: 140 }} value={value} onChange={onChange} allowClear={allowClear} placeholder={t('members.version')} data-testid={testId}
      options={versions.map((v) => ({ value: v.version, label: t('version', { n: v.version }) }))}
    />
  )
}

/** Per step of a version: members who passed it, waiting there and left there, as a bar each (a funnel read down), and what each step did. */
export const JourneyStats = ({ versions }: { versions: readonly JourneyVersion[] }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const [picked, setPicked] = useState<number | undefined>(versions[0]?.version)
  const v = versions.find((x) => x.version === picked) ?? versions[0]
  const labels = useMemo(() => (v?.stats ?? []).map((s) => `${t('stepNo', { n: s.index + 1 })} ${t(`stepTypes.${s.type}`)}`), [v, t])
  const option = useMemo(() => stepsChartOption(v?.stats ?? [], labels, { done: t('stats.done'), at: t('stats.at'), exited: t('stats.exited') }), [v, labels, t])
  if (!v) return <Empty />
  const entered = v.members.active + v.members.done + v.members.exited
  const columns: TableColumnsType<StepStats> = [
    {
      key: 'step', title: t('stats.columns.step'), width: 200,
      render: (_, s) => <Flex gap={6} align="center">{t('stepNo', { n: s.index + 1 })}<Tag color={STEP_COLORS[s.type]}>{t(`stepTypes.${s.type}`)}</Tag></Flex>,
    },
    { key: 'done', title: t('stats.columns.done'), width: 100, align: 'right', render: (_, s) => formatCount(s.done) },
    { key: 'at', title: t('stats.columns.at'), width: 100, align: 'right', render: (_, s) => formatCount(s.at) },
    { key: 'exited', title: t('stats.columns.exited'), width: 100, align: 'right', render: (_, s) => formatCount(s.exited) },
    { key: 'outcomes', title: t('stats.columns.outcomes'), render: (_, s) => outcomesText(t, s.outcomes) || '—' },
  ]
  return (
    <Flex vertical gap={16} data-testid="journey-stats">
      <Flex gap={12} align="center" wrap>
        <VersionSelect versions={versions} value={v.version} onChange={setPicked} testId="journey-stats-version" />
        <Typography.Text type="secondary">{t('detail.membersText', { active: formatCount(v.members.active), done: formatCount(v.members.done), exited: formatCount(v.members.exited) })}</Typography.Text>
      </Flex>
      {entered === 0 ? <Typography.Text type="secondary">{t('stats.empty')}</Typography.Text> : (
        <Card size="small" title={t('stats.chart')}>
          <EChart option={option} height={Math.max(160, 44 * v.stats.length + 60)} />
        </Card>
      )}
      <Table<StepStats> rowKey="index" size="small" pagination={false} dataSource={v.stats} columns={columns} data-testid="journey-stats-table" />
      <Typography.Text type="secondary">{t('stats.help')}</Typography.Text>
    </Flex>
  )
}
