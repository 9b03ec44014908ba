import { Card, Descriptions, Empty, Flex, Skeleton, Space, Tag, Timeline, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { CHANNEL_COLORS, type Channel } from '../marketing/marketing-words.js'
import { ENROLMENT_COLORS, type MemberJourney } from '../marketing/journeys/journey-form.js'
import { STEP_COLORS } from '../marketing/journeys/JourneyStepCard.js'

/** The member page's 旅程 tab label. */
export const MemberJourneysTabLabel = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  return <span data-testid="member-tab-journeys">{t('member.tab')}</span>
}

// Done and well: green; not done (the cap, no channel, no coupon): orange; failed: red; the rest (a wait, an answer, the end): grey.
const OUTCOME_COLORS: Record<string, string> = {
  sent: 'green', issued: 'green', tagged: 'green', failed: 'red', skipped_cap: 'orange', skipped_no_channel: 'orange', skipped_coupon: 'orange', skipped_tag: 'orange',
}

/** One journey the member entered: where they are, when the next step is due, and what each step done did. */
const Enrolment = ({ e, tz }: { e: MemberJourney; tz: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const stepLabel = (index: number, type: MemberJourney['steps'][number]['type']) => (
    <Space size={6}>
      <Typography.Text type="secondary">{t('stepNo', { n: index + 1 })}</Typography.Text>
      <Tag color={STEP_COLORS[type]} style={{ marginInlineEnd: 0 }}>{t(`stepTypes.${type}`)}</Tag>
    </Space>
  )
  const done = e.steps.map((s) => ({
    key: s.index,
    color: (s.outcome && OUTCOME_COLORS[s.outcome]) ?? 'gray',
    content: (
      <Space size={8} wrap data-testid={`member-journey-step-${e.enrolmentId}-${s.index}`}>
        {stepLabel(s.index, s.type)}
        {s.outcome && <Typography.Text>{t(`outcomes.${s.outcome}`)}</Typography.Text>}
        {s.channel && <Tag color={CHANNEL_COLORS[s.channel as Channel]}>{tw(`channels.${s.channel as Channel}`)}</Tag>}
        <Typography.Text type="secondary">{formatDateTime(s.doneAt, tz)}</Typography.Text>
      </Space>
    ),
  }))
  // Inside: the step the member is at, with when it is due.
  const here = e.status === 'active' && e.stepType && !e.steps.some((s) => s.index === e.step) ? [{
    key: 'here',
    color: 'gray',
    loading: true,
    content: (
      <Space size={8} wrap data-testid={`member-journey-current-${e.enrolmentId}`}>
        {stepLabel(e.step, e.stepType)}
        <Typography.Text type="secondary">{e.nextAt && Date.parse(e.nextAt) > Date.now() ? t('member.waitingUntil', { time: formatDateTime(e.nextAt, tz) }) : t('member.dueNow')}</Typography.Text>
      </Space>
    ),
  }] : []
  return (
    <Card
      size="small" data-testid={`member-journey-${e.journeyId}`}
      title={(
        <Space wrap>
          <Link to={`/marketing/journeys/${e.journeyId}`}>{e.name}</Link>
          <Tag color={ENROLMENT_COLORS[e.status]} data-testid={`member-journey-status-${e.enrolmentId}`}>{t(`enrolmentStatuses.${e.status}`)}</Tag>
          <Tag>{t('version', { n: e.version })}</Tag>
        </Space>
      )}
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('member.entered')}>{formatDateTime(e.enteredAt, tz)}</Descriptions.Item>
        {e.stepType && <Descriptions.Item label={t('member.step')}>{`${t('stepNo', { n: e.step + 1 })} · ${t(`stepTypes.${e.stepType}`)}`}</Descriptions.Item>}
        {e.status === 'active' && <Descriptions.Item label={t('member.nextAt')}>{formatDateTime(e.nextAt, tz)}</Descriptions.Item>}
        {e.status !== 'active' && <Descriptions.Item label={t('member.updatedAt')}>{formatDateTime(e.updatedAt, tz)}</Descriptions.Item>}
        {e.exitReason && <Descriptions.Item label={t('member.exitReason')}>{t(`exitReasons.${e.exitReason}`)}</Descriptions.Item>}
      </Descriptions>
      <Timeline items={[...done, ...here]} />
    </Card>
  )
}

/** The journeys the member entered (旅程), the latest first: the version, the step, and what each step did. */
export const MemberJourneysTab = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data, error, refetch } = useApiQuery('/api/v1/members/{id}/journeys', { params: { path: { id: memberId } } })
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} compact />
  if (!data) return <Skeleton active />
  if (data.items.length === 0) return <Empty description={t('member.empty')} />
  return (
    <Flex vertical gap={12} data-testid="member-journeys">
      {data.items.map((e) => <Enrolment key={e.enrolmentId} e={e} tz={tz} />)}
    </Flex>
  )
}
