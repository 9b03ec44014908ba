import { DownloadOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Col, DatePicker, Empty, Flex, Progress, Row, Segmented, Select, Skeleton, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiPages, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDate } from '../../../format.js'
import { useReferenceData } from '../../../hooks/use-reference-data.js'
import { useTiers } from '../../../hooks/use-tiers.js'
import {
  NPS_COLORS, bandShare, distributionOption, formatNps, formatPct, matrixOption, npsGroupsOption, npsScoreColors, satisfactionTrendOption, scoreBuckets, wordsOption,
  type NpsLike,
} from './survey-charts.js'
import { inLang, type Lang } from './survey-model.js'
import type { Survey, SurveyResults as Results } from './survey-words.js'

type Question = Results['questions'][number]
type ClassRow = Results['byClass']['rfm'][number]

interface Scope {
  range: [Dayjs, Dayjs] | null
  storeId?: string
  regionId?: string
  period: 'week' | 'month'
}

const queryOf = (s: Scope) => ({
  period: s.period,
  ...(s.range ? { from: s.range[0].format('YYYY-MM-DD'), to: s.range[1].format('YYYY-MM-DD') } : {}),
  ...(s.storeId ? { storeId: s.storeId } : {}),
  ...(s.regionId ? { regionId: s.regionId } : {}),
})

/** The NPS card: the score, and promoters, passives and detractors as counts and shares. */
const NpsCard = ({ nps }: { nps: NpsLike }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const bands = (['promoters', 'passives', 'detractors'] as const)
  return (
    <Card size="small" data-testid="survey-nps-card">
      <Statistic title={t('surveys.results.nps')} value={formatNps(nps.score)} data-testid="survey-nps" />
      <Typography.Text type="secondary">{t('surveys.results.answersN', { n: formatCount(nps.answers) })}</Typography.Text>
      <Flex vertical gap={2} style={{ marginTop: 8 }}>
        {bands.map((b) => (
          <Flex key={b} gap={8} align="center" data-testid={`survey-nps-${b}`}>
            <Typography.Text style={{ width: 64, flex: 'none' }}>{t(`surveys.results.${b}`)}</Typography.Text>
            <Progress percent={bandShare(nps[b], nps) ?? 0} strokeColor={NPS_COLORS[b] === '#d9d9d9' ? '#bfbfbf' : NPS_COLORS[b]} size="small" format={() => `${formatCount(nps[b])} · ${formatPct(bandShare(nps[b], nps))}`} style={{ margin: 0 }} />
          </Flex>
        ))}
      </Flex>
    </Card>
  )
}

/** One question's answers: scores as bars (NPS scores coloured by band), choices by count, a matrix by each row's mean. */
const QuestionCard = ({ q, lang }: { q: Question; lang: Lang }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const option = useMemo(() => {
    const count = t('surveys.results.count')
    if (q.kind === 'nps') return distributionOption(scoreBuckets(q.ratings, 0, 10), { colors: npsScoreColors(), count })
    if (q.kind === 'rating') return distributionOption(scoreBuckets(q.ratings, 1, 5), { count })
    if (q.kind === 'single' || q.kind === 'multiple') return distributionOption(q.choices.map((c) => ({ label: inLang(c.label, c.labelEn, lang), count: c.count })), { horizontal: true, count })
    if (q.kind === 'matrix') return matrixOption(q.rows.map((r) => ({ label: inLang(r.label, r.labelEn, lang), mean: r.mean })), { average: t('surveys.results.mean') })
    return null
  }, [q, lang, t])
  const height = q.kind === 'single' || q.kind === 'multiple' ? Math.max(140, q.choices.length * 36) : q.kind === 'matrix' ? Math.max(140, q.rows.length * 40) : 220
  return (
    <Card
      size="small" data-testid={`survey-result-${q.questionId}`}
      title={<Typography.Text strong>{inLang(q.label, q.labelEn, lang)}</Typography.Text>}
      extra={<Space><Tag>{t(`surveys.kinds.${q.kind}`)}</Tag><Typography.Text type="secondary">{t('surveys.results.answered', { n: formatCount(q.answered) })}{q.mean !== null ? ` · ${t('surveys.results.mean')} ${q.mean}` : ''}</Typography.Text></Space>}
    >
      {option ? <EChart option={option} height={height} /> : <Typography.Text type="secondary">{t('surveys.results.answered', { n: formatCount(q.answered) })}</Typography.Text>}
    </Card>
  )
}

/** Responses by a member class: a table of CSAT and NPS per class and the classes' NPS bands as bars. */
const ClassTable = ({ rows, name }: { rows: ClassRow[]; name: (key: string | null) => string }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const option = useMemo(() => npsGroupsOption(rows.map((r) => ({ name: name(r.key), nps: r.nps })), {
    promoters: t('surveys.results.promoters'), passives: t('surveys.results.passives'), detractors: t('surveys.results.detractors'), nps: 'NPS',
  }), [rows, name, t])
  return (
    <Row gutter={16}>
      <Col xs={24} xl={12}>
        <Table<ClassRow>
          rowKey={(r) => r.key ?? '-'} size="small" pagination={false} dataSource={rows}
          columns={[
            { key: 'group', title: t('surveys.results.group'), render: (_, r) => name(r.key) },
            { key: 'responses', title: t('surveys.results.responses'), align: 'right', render: (_, r) => formatCount(r.responses) },
            { key: 'csat', title: 'CSAT', align: 'right', render: (_, r) => formatPct(r.csat.rate) },
            { key: 'nps', title: 'NPS', align: 'right', render: (_, r) => formatNps(r.nps.score) },
          ]}
        />
      </Col>
      <Col xs={24} xl={12}><EChart option={option} height={Math.max(160, rows.length * 36 + 60)} /></Col>
    </Row>
  )
}

const Texts = ({ surveyId, scope }: { surveyId: string; scope: Scope }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { period: _period, ...query } = queryOf(scope)
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/surveys/{id}/results/texts', { params: { path: { id: surveyId }, query } })
  if (error) return <ErrorResult error={error} onRetry={load} compact />
  return (
    <>
      <Table
        rowKey="id" size="small" pagination={false} dataSource={items ?? []} loading={items === null} data-testid="survey-texts"
        columns={[
          { key: 'date', title: t('surveys.results.date'), width: 110, render: (_, r) => formatDate(r.localDate, tz) },
          { key: 'store', title: t('surveys.results.store'), width: 140, render: (_, r) => r.storeName ?? t('surveys.results.noStore') },
          { key: 'text', title: t('surveys.results.text'), render: (_, r) => <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.text}</Typography.Text> },
        ]}
      />
      {nextCursor && <div style={{ textAlign: 'center', marginTop: 12 }}><Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button></div>}
    </>
  )
}

/**
 * A survey's results: CSAT and NPS with their definitions, the trend by week or month, by store
 * and region, each question's answers, by member class, the free-text answers and their most
 * frequent words; the same selection as an xlsx workbook.
 */
export const SurveyResults = ({ survey }: { survey: Survey }) => {
  const { t, i18n } = useTranslation('service', { keyPrefix: 'feedback' })
  const { t: ti } = useTranslation('insight')
  const { user } = useSession()
  const { stores, regions } = useReferenceData()
  const { tierName } = useTiers()
  const lang: Lang = i18n.language === 'en-US' ? 'en-US' : 'zh-CN'
  const [scope, setScope] = useState<Scope>({ range: null, period: 'month' })
  const set = (change: Partial<Scope>) => setScope((s) => ({ ...s, ...change }))
  const query = queryOf(scope)
  const { data, error, refetch } = useApiQuery('/api/v1/surveys/{id}/results', { params: { path: { id: survey.id }, query } })
  const exportHref = `/api/v1/surveys/${survey.id}/results/export.xlsx?${new URLSearchParams(query as Record<string, string>).toString()}`

  const labels = useMemo(() => ({ promoters: t('surveys.results.promoters'), passives: t('surveys.results.passives'), detractors: t('surveys.results.detractors'), nps: 'NPS' }), [t])
  const trend = useMemo(() => data && satisfactionTrendOption(data.trend, { nps: 'NPS', csat: 'CSAT %', responses: t('surveys.results.responses') }), [data, t])
  const byStore = useMemo(() => data && npsGroupsOption(data.byStore.map((s) => ({ name: s.storeName ?? t('surveys.results.noStore'), nps: s.nps })), labels), [data, t, labels])
  const byRegion = useMemo(() => data && npsGroupsOption(data.byRegion.map((s) => ({ name: s.regionName ?? '—', nps: s.nps })), labels), [data, labels])
  const words = useMemo(() => data && wordsOption(data.words, { count: t('surveys.results.times') }), [data, t])
  const unclassified = t('surveys.results.unclassified')
  const rfmName = (key: string | null) => (key ? ti(`rfm.classNames.${key}` as never, { defaultValue: key }) : unclassified)
  const stageName = (key: string | null) => (key ? ti(`lifecycle.stages.${key}` as never, { defaultValue: key }) : unclassified)
  const tierLabel = (key: string | null) => (key ? tierName(key) ?? key : unclassified)

  const filters = (
    <Flex wrap gap={8} justify="space-between">
      <Space wrap>
        <DatePicker.RangePicker value={scope.range} onChange={(r) => set({ range: r as [Dayjs, Dayjs] | null })} data-testid="survey-results-range" />
        {!user?.storeId && (
          <>
            <Select<string>
              allowClear placeholder={t('surveys.results.filters.region')} style={{ width: 140 }} value={scope.regionId} onChange={(regionId) => set({ regionId })}
              options={regions.map((r) => ({ value: r.id, label: r.name }))}
            />
            <Select<string>
              allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('surveys.results.filters.store')} style={{ width: 160 }} value={scope.storeId}
              onChange={(storeId) => set({ storeId })} options={stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="survey-results-store"
            />
          </>
        )}
        <Segmented<'week' | 'month'>
          value={scope.period} onChange={(period) => set({ period })}
          options={[{ value: 'week', label: t('surveys.results.filters.byWeek') }, { value: 'month', label: t('surveys.results.filters.byMonth') }]}
        />
      </Space>
      <Button icon={<DownloadOutlined />} href={exportHref} data-testid="survey-results-export">{t('surveys.results.export')}</Button>
    </Flex>
  )

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  return (
    <Flex vertical gap={16} data-testid="survey-results">
      {filters}
      {!data ? <Skeleton active paragraph={{ rows: 10 }} /> : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} md={6}>
              <Card size="small" style={{ height: '100%' }}><Statistic title={t('surveys.results.responses')} value={formatCount(data.responses)} data-testid="survey-responses" /></Card>
            </Col>
            <Col xs={24} md={8}>
              <Card size="small" style={{ height: '100%' }} data-testid="survey-csat-card">
                <Statistic title={t('surveys.results.csat')} value={formatPct(data.csat.rate)} data-testid="survey-csat" />
                <Typography.Text type="secondary">
                  {t('surveys.results.answersN', { n: formatCount(data.csat.answers) })}{data.csat.mean !== null ? ` · ${t('surveys.results.csatMean', { mean: data.csat.mean })}` : ''}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} md={10}><NpsCard nps={data.nps} /></Col>
          </Row>
          <Alert
            type="info" showIcon title={t('surveys.results.definitions')} data-testid="survey-definitions"
            description={(
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                <li>{t('surveys.results.definitionCsat')}</li>
                <li>{t('surveys.results.definitionNps')}</li>
                <li>{t('surveys.results.definitionClass')}</li>
                <li>{t('surveys.results.definitionWords')}</li>
              </ul>
            )}
          />
          {data.responses === 0 ? <Empty description={t('surveys.results.empty')} /> : (
            <>
              <Card size="small" title={t('surveys.results.trend')} data-testid="survey-trend">{trend && <EChart option={trend} height={300} />}</Card>
              {!user?.storeId && (
                <Row gutter={[16, 16]}>
                  <Col xs={24} xl={12}><Card size="small" title={t('surveys.results.byStore')} data-testid="survey-by-store">{byStore && <EChart option={byStore} height={Math.max(180, data.byStore.length * 36 + 60)} />}</Card></Col>
                  <Col xs={24} xl={12}><Card size="small" title={t('surveys.results.byRegion')}>{byRegion && <EChart option={byRegion} height={Math.max(180, data.byRegion.length * 36 + 60)} />}</Card></Col>
                </Row>
              )}
              <Typography.Title level={5} style={{ margin: 0 }}>{t('surveys.results.questions')}</Typography.Title>
              <Row gutter={[16, 16]}>
                {data.questions.filter((q) => q.kind !== 'text').map((q) => <Col key={q.questionId} xs={24} xl={12}><QuestionCard q={q} lang={lang} /></Col>)}
              </Row>
              <Card size="small" title={t('surveys.results.crossTabs')} data-testid="survey-cross-tabs">
                <Tabs
                  items={[
                    { key: 'rfm', label: t('surveys.results.rfm'), children: <ClassTable rows={data.byClass.rfm} name={rfmName} /> },
                    { key: 'lifecycle', label: t('surveys.results.lifecycle'), children: <ClassTable rows={data.byClass.lifecycle} name={stageName} /> },
                    { key: 'tier', label: t('surveys.results.tier'), children: <ClassTable rows={data.byClass.tier} name={tierLabel} /> },
                  ]}
                />
              </Card>
              <Row gutter={[16, 16]}>
                <Col xs={24} xl={10}>
                  <Card size="small" title={t('surveys.results.words')} data-testid="survey-words">
                    {data.words.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
                      <>
                        <Flex wrap gap={4} style={{ marginBottom: 8 }}>
                          {data.words.slice(0, 30).map((w) => <Tag key={w.word} color="volcano">{w.word} {w.count}</Tag>)}
                        </Flex>
                        {words && <EChart option={words} height={Math.min(20, data.words.length) * 24 + 40} />}
                      </>
                    )}
                  </Card>
                </Col>
                <Col xs={24} xl={14}>
                  <Card size="small" title={t('surveys.results.texts', { n: formatCount(data.texts) })}>
                    <Texts surveyId={survey.id} scope={scope} />
                  </Card>
                </Col>
              </Row>
            </>
          )}
        </>
      )}
    </Flex>
  )
}
