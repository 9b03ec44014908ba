import { Button, Flex, Select, Space, Table, Tag, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiPages } from '../../../api/query.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatDateTime } from '../../../format.js'
import { ENROLMENT_COLORS, ENROLMENT_STATUSES, type EnrolmentStatus, type JourneyMember, type JourneyVersion } from './journey-form.js'
import { VersionSelect } from './JourneyStats.js'

/** The members of a journey (inside first by default), masked, by status, version and step, a page at a time. */
export const JourneyMembers = ({ journeyId, versions, tz }: { journeyId: string; versions: readonly JourneyVersion[]; tz: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  const { t: tc } = useTranslation()
  const [status, setStatus] = useState<EnrolmentStatus | undefined>('active')
  const [version, setVersion] = useState<number | undefined>()
  const [step, setStep] = useState<number | undefined>()
  const query = { ...(status ? { status } : {}), ...(version ? { version } : {}), ...(step !== undefined ? { step } : {}) }
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/marketing/journeys/{id}/members', { params: { path: { id: journeyId }, query } })
  const stepsOf = (v: number) => versions.find((x) => x.version === v)?.steps ?? []
  const stepName = (v: number, i: number) => {
    const s = stepsOf(v)[i]
    return s ? `${t('stepNo', { n: i + 1 })} · ${t(`stepTypes.${s.type}`)}` : t('stepNo', { n: i + 1 })
  }
  // The steps to filter by: the version chosen's, or the longest version's.
  const stepChoices = version ? stepsOf(version) : versions.reduce<JourneyVersion['steps']>((a, v) => (v.steps.length > a.length ? v.steps : a), [])
  if (error) return <ErrorResult error={error} onRetry={load} compact />
  const columns: TableColumnsType<JourneyMember> = [
    { key: 'cardNo', title: t('members.columns.cardNo'), width: 170, render: (_, m) => <Link to={`/members/${m.memberId}`}>{m.cardNo ?? m.memberId}</Link> },
    { key: 'name', title: t('members.columns.name'), width: 110, render: (_, m) => m.name ?? '—' },
    { key: 'version', title: t('members.columns.version'), width: 90, render: (_, m) => t('version', { n: m.version }) },
    { key: 'step', title: t('members.columns.step'), width: 150, render: (_, m) => stepName(m.version, m.step) },
    {
      key: 'status', title: t('members.columns.status'), width: 170,
      render: (_, m) => (
        <Space size={4} wrap>
          <Tag color={ENROLMENT_COLORS[m.status]}>{t(`enrolmentStatuses.${m.status}`)}</Tag>
          {m.exitReason && <span>{t(`exitReasons.${m.exitReason}`)}</span>}
        </Space>
      ),
    },
    { key: 'nextAt', title: t('members.columns.nextAt'), width: 150, render: (_, m) => formatDateTime(m.nextAt, tz) },
    { key: 'enteredAt', title: t('members.columns.enteredAt'), width: 150, render: (_, m) => formatDateTime(m.enteredAt, tz) },
  ]
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<EnrolmentStatus>
          allowClear placeholder={t('members.status')} style={{ width: 140 }} value={status} onChange={setStatus}
          options={ENROLMENT_STATUSES.map((s) => ({ value: s, label: t(`enrolmentStatuses.${s}`) }))} data-testid="journey-members-status"
        />
        <VersionSelect versions={versions} value={version} onChange={(v) => { setVersion(v); setStep(undefined) }} allowClear testId="journey-members-version" />
        <Select<number>
          allowClear placeholder={t('members.step')} style={{ width: 180 }} value={step} onChange={setStep}
          options={stepChoices.map((s, i) => ({ value: i, label: `${t('stepNo', { n: i + 1 })} · ${t(`stepTypes.${s.type}`)}` }))} data-testid="journey-members-step"
        />
      </Space>
      <Table<JourneyMember>
        rowKey="enrolmentId" size="small" loading={items === null} dataSource={items ?? []} columns={columns} pagination={false} scroll={{ x: 990 }}
        locale={{ emptyText: t('members.empty') }} data-testid="journey-members-table"
      />
      {nextCursor && <Flex justify="center" style={{ marginTop: 16 }}><Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button></Flex>}
    </>
  )
}
