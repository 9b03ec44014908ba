import { ReloadOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Input, Popconfirm, Row, Skeleton, Statistic, Table, Typography, type TableColumnsType } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { apiKey, useApiMutation, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { useMemberFinder } from '../../../hooks/use-member-finder.js'
import type { Member } from '../../../shared/member-options.js'
import { MemberRecommendations } from '../../members/MemberRecommendations.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { RecommendationDefinitions } from './RecommendationDefinitions.js'
import { builderText, isRebuilt, type BuildAsked } from './recommendation-words.js'

/** How often the model is read again while a rebuild runs, and how long before the page stops waiting. */
const POLL_MS = 1_500
const WAIT_MS = 3 * 60_000
/** The API's default: nothing the member bought in the last week. */
const EXCLUDE_DAYS = 7

// The offline check as test/recommendations-real-data.test.ts prints it (and the README has it):
// each repeat customer's last basket hidden, 10 products suggested, in %.
const VALIDATION = [
  { set: 'uci', customers: 2845, patron: { hitRate: 66.2, recall: 17.6 }, popular: { hitRate: 36.1, recall: 3.6 } },
  { set: 'journey', customers: 2311, patron: { hitRate: 7.5, recall: 5.3 }, popular: { hitRate: 7.3, recall: 5.1 } },
] as const
type ValidationRow = { key: string; set: (typeof VALIDATION)[number]['set']; customers: number; method: 'patron' | 'popular'; hitRate: number; recall: number; first: boolean }
const VALIDATION_ROWS: ValidationRow[] = VALIDATION.flatMap((v) => (['patron', 'popular'] as const).map((method, i) => ({
  key: `${v.set}-${method}`, set: v.set, customers: v.customers, method, ...v[method], first: i === 0,
})))

const percent = (v: number) => `${v.toFixed(1)}%`

/** The validation figures: a row per data set and way of suggesting, the data set named once. */
const ValidationCard = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'recommendations' })
  const columns: TableColumnsType<ValidationRow> = [
    {
      key: 'set', title: t('validation.dataset'), onCell: (r) => ({ rowSpan: r.first ? 2 : 0 }),
      render: (_, r) => (
        <Flex vertical>
          <Typography.Text strong>{t(`validation.${r.set}`)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`validation.${r.set}About`)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`validation.${r.set}Customers`, { n: formatCount(r.customers) })}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'method', title: t('validation.method'), width: 150, render: (_, r) => (r.method === 'patron' ? <Typography.Text strong>{t('validation.patron')}</Typography.Text> : t('validation.popular')) },
    { key: 'hitRate', title: <TitleWithHelp title={t('validation.hitRate')} help={t('validation.hitRateHelp')} />, width: 110, align: 'right', render: (_, r) => percent(r.hitRate) },
    { key: 'recall', title: <TitleWithHelp title={t('validation.recall')} help={t('validation.recallHelp')} />, width: 120, align: 'right', render: (_, r) => percent(r.recall) },
  ]
  return (
    <Card size="small" title={t('validation.title')} style={{ height: '100%' }} data-testid="recommendations-validation">
      <Typography.Paragraph type="secondary">{t('validation.help')}</Typography.Paragraph>
      <Table<ValidationRow> size="small" rowKey="key" bordered pagination={false} columns={columns} dataSource={VALIDATION_ROWS} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{t('validation.note')}</Typography.Paragraph>
    </Card>
  )
}

/** A member found by phone or card, and their suggestions as the member page shows them. */
const TryMemberCard = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'recommendations' })
  const finder = useMemberFinder()
  const [member, setMember] = useState<Member | null>(null)
  const find = async (query: string) => {
    if (!query.trim()) return
    const found = await finder.find(query)
    if (found) setMember(found)
  }
  return (
    <Card size="small" title={<TitleWithHelp title={t('tryMember.title')} help={t('tryMember.help')} />} data-testid="recommendations-try">
      <Flex vertical gap={12}>
        <Input.Search
          style={{ maxWidth: 420 }} allowClear placeholder={t('tryMember.placeholder')} enterButton={t('tryMember.search')} loading={finder.busy}
          data-testid="recommendations-try-input" onChange={() => finder.clear()} onSearch={(q) => void find(q)}
        />
        {finder.error && <Alert type="warning" showIcon title={finder.error} data-testid="recommendations-try-error" />}
        {member && (
          <>
            <Flex gap={12} align="baseline" wrap data-testid="recommendations-try-member">
              <Typography.Text strong>{t('tryMember.member', { name: member.name ?? t('tryMember.noName'), cardNo: member.cardNo })}</Typography.Text>
              <Link to={`/members/${member.id}`}>{t('tryMember.open')}</Link>
            </Flex>
            <MemberRecommendations key={member.id} memberId={member.id} />
          </>
        )}
      </Flex>
    </Card>
  )
}

/**
 * 个性化推荐: the model the members' suggestions come from (when it was built, from which sales,
 * its size), a rebuild followed until the new model is served, how suggestions are made and how
 * well they did offline, and any member's suggestions by phone or card.
 */
export const RecommendationsPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'recommendations' })
  const { t: tc } = useTranslation()
  const { chain, can } = useSession()
  const { message } = App.useApp()
  const queryClient = useQueryClient()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [asked, setAsked] = useState<BuildAsked | null>(null)
  const { data, error, refetch } = useApiQuery('/api/v1/insight/recommendations/model', undefined, { refetchInterval: asked ? POLL_MS : false })
  const build = useApiMutation('post', '/api/v1/insight/recommendations/model')

  const rebuild = async () => {
    const before = data?.model?.id ?? null
    const at = Date.now()
    try {
      const queued = await build.mutateAsync({ body: {} })
      setAsked({ before, at, joined: queued.joined })
    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }
  // The job has no page of its own to watch (the job queue is the HQ admin's): the model it stores is.
  useEffect(() => {
    if (!asked || !data || !isRebuilt(asked, data.model)) return
    setAsked(null)
    void message.success(t('build.done'))
    // every member's suggestions on screen come from the new model now
    void queryClient.invalidateQueries({ queryKey: apiKey('/api/v1/members/{id}/recommendations') })
  }, [asked, data, message, t, queryClient])
  useEffect(() => {
    if (!asked) return
    const timer = setTimeout(() => {
      setAsked(null)
      void message.warning(t('build.slow'))
    }, WAIT_MS)
    return () => clearTimeout(timer)
  }, [asked, message, t])

  const building = asked !== null
  const rebuildButton = can('insight.manage') && (
    <Popconfirm title={t('build.button')} description={<div style={{ maxWidth: 320 }}>{t('build.confirm')}</div>} onConfirm={() => void rebuild()} okButtonProps={{ 'data-testid': 'recommendations-build-ok' } as never}>
      <Button type="primary" icon={<ReloadOutlined />} loading={build.isPending || building} data-testid="recommendations-build">{t('build.button')}</Button>
    </Popconfirm>
  )
  const header = (
    <Card size="small">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="recommendations-title">
          <TitleWithHelp title={t('title')} help={t('help')} testId="recommendations-help" />
        </Typography.Title>
        {rebuildButton}
      </Flex>
      {building && <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('build.building')} data-testid="recommendations-building" />}
    </Card>
  )

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const model = data?.model
  const statistic = (key: 'baskets' | 'members' | 'products' | 'neighbours', value: number) => (
    <Col xs={12} md={6}>
      <Statistic title={<TitleWithHelp title={t(`model.${key}`)} help={t(`model.${key}Help`)} />} value={formatCount(value)} valueRender={(n) => <span data-testid={`recommendations-${key}`}>{n}</span>} />
    </Col>
  )
  const modelCard = (
    <Card size="small" title={t('model.title')} data-testid="recommendations-model">
      {!data ? <Skeleton active /> : !model ? <Empty description={t('model.none')} data-testid="recommendations-no-model" /> : (
        <Flex vertical gap={12}>
          <Row gutter={[16, 16]}>
            {statistic('baskets', model.baskets)}
            {statistic('members', model.members)}
            {statistic('products', model.products)}
            {statistic('neighbours', model.neighbours)}
          </Row>
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
            <Descriptions.Item label={t('model.builtAt')}><Typography.Text strong data-testid="recommendations-built-at">{formatDateTime(model.builtAt, tz)}</Typography.Text></Descriptions.Item>
            <Descriptions.Item label={t('model.period')}><span data-testid="recommendations-period">{t('model.periodValue', { from: model.from, to: model.to })}</span></Descriptions.Item>
            <Descriptions.Item label={t('model.seconds')}>{t('model.secondsValue', { seconds: model.seconds })}</Descriptions.Item>
            <Descriptions.Item label={t('model.createdBy')}>{builderText(t, model.createdBy)}</Descriptions.Item>
          </Descriptions>
        </Flex>
      )}
    </Card>
  )

  return (
    <Flex vertical gap={16} data-testid="recommendations-page">
      {header}
      {modelCard}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('definitions.title')} style={{ height: '100%' }}>
            <RecommendationDefinitions excludeDays={EXCLUDE_DAYS} building />
          </Card>
        </Col>
        <Col xs={24} xl={12}><ValidationCard /></Col>
      </Row>
      {can('members.lookup') && can('members.read') && <TryMemberCard />}
    </Flex>
  )
}

export default RecommendationsPage
