import { keepPreviousData } from '@tanstack/react-query'
import { Card, Col, Empty, Flex, Row, Skeleton, Table, Tag, Typography } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../../api/query.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatCount, formatMoney } from '../../../format.js'
import { ageGenderOption, levelMatrix, preferenceOption, type LevelRow } from '../shared/charts.js'
import { ExportButtons } from '../shared/ExportButtons.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import type { InsightScope } from '../shared/InsightScope.js'

const LEVELS = ['high', 'mid', 'low', 'none'] as const
type LevelKey = (typeof LEVELS)[number]
const AGES = ['<18', '18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'unknown']
const GENDERS = ['female', 'male', 'unknown']

/** The other classes of §2: frequency × amount, the main department, age band × gender. */
export const Distributions = ({ scope }: { scope: InsightScope }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'quadrants.distributions' })
  const { t: tm } = useTranslation('members')
  const { t: ts } = useTranslation('insight', { keyPrefix: 'shared' })
  const { data, error, refetch } = useApiQuery('/api/v1/insight/distributions', { params: { query: scope.query } }, { placeholderData: keepPreviousData })
  const matrix = useMemo(() => (data ? levelMatrix(data.frequencyAmount, LEVELS) : []), [data])
  const departments = useMemo(() => data && preferenceOption(data.departments.map((d) => ({ name: d.department, members: d.members })), { members: ts('members') }), [data, ts])
  const ageGender = useMemo(() => data && ageGenderOption(data.ageGender, AGES, GENDERS, {
    age: (a) => (a === 'unknown' ? t('unknownAge') : a),
    gender: (g) => tm(`genders.${g}` as never),
  }), [data, t, tm])

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} compact />
  if (!data) return <Card><Skeleton active /></Card>

  const level = (kind: 'frequency' | 'amount', k: string) => t(`${kind}.${k as LevelKey}`)
  const asOf = data.asOf ?? 'none'
  const exportLevels = () => ({
    name: `frequency-amount-${scope.slug}-${asOf}`,
    sheet: t('sheetLevels'),
    header: [t('frequencyAmount'), ...LEVELS.map((l) => level('amount', l)), t('total')],
    rows: matrix.map((r) => [level('frequency', r.frequency), ...LEVELS.map((l) => r.amount[l] ?? 0), r.total]),
  })
  const exportDepartments = () => ({
    name: `main-departments-${scope.slug}-${asOf}`,
    sheet: t('sheetDepartments'),
    header: [t('name'), ts('members'), `${ts('memberShare')} %`, `${ts('spend')} (¥)`],
    rows: data.departments.map((d) => [d.department, d.members, Math.round(d.memberShare * 1000) / 10, d.spend / 100]),
  })
  const exportAgeGender = () => ({
    name: `age-gender-${scope.slug}-${asOf}`,
    sheet: t('sheetAgeGender'),
    header: [t('ageBand'), t('gender'), ts('members'), `${ts('spend')} (¥)`],
    rows: data.ageGender.map((r) => [r.ageBand === 'unknown' ? t('unknownAge') : r.ageBand, tm(`genders.${r.gender}` as never), r.members, r.spend / 100]),
  })
  const { frequency, amount } = data.thresholds

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={5} style={{ margin: '8px 0 0' }}>{t('title')}</Typography.Title>
      <Card title={<TitleWithHelp title={t('levels')} help={t('levelsHelp')} testId="levels-help" />} extra={<ExportButtons table={exportLevels} testId="levels-export" />}>
        <Flex vertical gap={4} style={{ marginBottom: 12 }}>
          {frequency && <Typography.Text type="secondary">{t('frequencyRule', { high: frequency.high, mid: frequency.mid })} <Tag>{frequency.method === 'fixed' ? t('fixed') : t('tercile')}</Tag></Typography.Text>}
          {amount && <Typography.Text type="secondary">{t('amountRule', { high: formatMoney(amount.high), mid: formatMoney(amount.mid) })} <Tag>{amount.method === 'fixed' ? t('fixed') : t('tercile')}</Tag></Typography.Text>}
        </Flex>
        <Table<LevelRow>
          data-testid="levels-matrix" size="small" rowKey="frequency" dataSource={matrix} pagination={false}
          columns={[
            { key: 'f', title: t('frequencyAmount'), render: (_, r) => <strong>{level('frequency', r.frequency)}</strong> },
            ...LEVELS.map((l) => ({ key: l, title: level('amount', l), align: 'right' as const, render: (_: unknown, r: LevelRow) => formatCount(r.amount[l] ?? 0) })),
            { key: 'total', title: t('total'), align: 'right', render: (_, r) => formatCount(r.total) },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={<TitleWithHelp title={t('departments')} help={t('departmentsHelp')} />} extra={<ExportButtons table={exportDepartments} testId="departments-export" />} style={{ height: '100%' }}>
            {data.departments.length === 0 || !departments ? <Empty /> : <EChart option={departments} height={Math.max(240, data.departments.length * 30)} />}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={<TitleWithHelp title={t('ageGender')} help={t('ageGenderHelp')} />} extra={<ExportButtons table={exportAgeGender} testId="age-gender-export" />} style={{ height: '100%' }}>
            {data.ageGender.length === 0 || !ageGender ? <Empty /> : <EChart option={ageGender} height={300} />}
          </Card>
        </Col>
      </Row>
    </Flex>
  )
}
