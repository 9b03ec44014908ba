import { ArrowLeftOutlined, DownloadOutlined, GiftOutlined, InboxOutlined, SaveOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { App, Button, Card, Checkbox, Col, Flex, Input, Popconfirm, Row, Space, Statistic, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError, api, call } from '../../../api/client.js'
import { useApiMutation, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { InsightHeader } from '../shared/InsightHeader.js'
import { asRoot, countLeaves, isComplete, toDefinition, type Node } from './condition-model.js'
import { ConditionBuilder } from './ConditionBuilder.js'
import { IssueCouponsModal } from './IssueCouponsModal.js'
import { MembersTable } from './MembersTable.js'
import { SnapshotsCard } from './SnapshotsCard.js'

/** The value of `v`, `ms` after it last changed (the live count waits for the user to pause). */
const useDebounced = <T,>(v: T, ms: number): T => {
  const [d, setD] = useState(v)
  useEffect(() => {
    const timer = setTimeout(() => setD(v), ms)
    return () => clearTimeout(timer)
  }, [v, ms])
  return d
}

const PREVIEW_PAGE = 20

/** An error with the server's reasons by field path (a definition refused with 422 names each problem). */
const ErrorLines = ({ error, testId }: { error: unknown; testId: string }) => {
  const { t: tc } = useTranslation()
  return (
    <Flex vertical data-testid={testId}>
      <Typography.Text type="danger">{errorMessage(tc, error)}</Typography.Text>
      {error instanceof ApiError && error.details.map((d) => <Typography.Text key={d.field} type="danger" style={{ fontSize: 12 }}>{d.field}: {d.reason}</Typography.Text>)}
    </Flex>
  )
}

/** The builder: conditions, the live count and a masked preview, save; for a saved segment its snapshots, export and coupon issue. */
export const SegmentPage = () => {
  const { id = 'new' } = useParams<{ id: string }>()
  const isNew = id === 'new'
  const { t, i18n } = useTranslation('insight', { keyPrefix: 'segments' })
  const { t: tc } = useTranslation()
  const { can, user } = useSession()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const saved = useApiQuery('/api/v1/insight/segments/{id}', { params: { path: { id } } }, { enabled: !isNew })

  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [root, setRoot] = useState<Node>(asRoot(undefined))
  const [snapshotOnSave, setSnapshotOnSave] = useState(false)
  const [loadedId, setLoadedId] = useState<string | null>(null)
  const [issuing, setIssuing] = useState(false)
  useEffect(() => {
    if (saved.data && saved.data.id !== loadedId) {
      setName(saved.data.name)
      setDescription(saved.data.description ?? '')
      setRoot(asRoot(saved.data.definition))
      setLoadedId(saved.data.id)
    }
  }, [saved.data, loadedId])

  const complete = isComplete(root)
  const definition = toDefinition(root)
  const key = useDebounced(complete ? JSON.stringify(definition) : null, 400)
  const count = useQuery({
    queryKey: ['segment-live-count', key],
    enabled: key !== null,
    placeholderData: (previous) => previous,
    queryFn: () => call(api.POST('/api/v1/insight/segments/count', { body: { definition: JSON.parse(key!) as Node } })),
  })
  const preview = useInfiniteQuery({
    queryKey: ['segment-preview', key],
    enabled: key !== null,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) => call(api.POST('/api/v1/insight/segments/preview', {
      body: { definition: JSON.parse(key!) as Node, limit: PREVIEW_PAGE, ...(pageParam ? { cursor: pageParam } : {}) },
    })),
  })

  const create = useApiMutation('post', '/api/v1/insight/segments')
  const update = useApiMutation('patch', '/api/v1/insight/segments/{id}')
  const archive = useApiMutation('delete', '/api/v1/insight/segments/{id}')
  const [saveError, setSaveError] = useState<unknown>(null)
  const save = async () => {
    setSaveError(null)
    try {
      if (isNew) {
        const s = await create.mutateAsync({ body: { name, description: description || null, definition, snapshot: snapshotOnSave } })
        message.success(t('form.saved'))
        void navigate(`/insight/segments/${s.id}`, { replace: true })
      } else {
        await update.mutateAsync({ params: { path: { id } }, body: { name, description: description || null, definition } })
        message.success(t('form.saved'))
      }
    } catch (err) {
      setSaveError(err)
      message.error(errorMessage(tc, err))
    }
  }

  if (!isNew && saved.error) return <ErrorResult error={saved.error} onRetry={() => void saved.refetch()} />
  const manage = can('segments.manage')
  const hq = !user?.storeId
  const lang = i18n.language === 'en-US' ? 'en-US' : 'zh-CN'
  const summary = saved.data && JSON.stringify(saved.data.definition) === JSON.stringify(definition) ? (lang === 'en-US' ? saved.data.summaryEn : saved.data.summaryZh) : null

  return (
    <Flex vertical gap={12}>
      <InsightHeader
        title={isNew ? t('newSegment') : saved.data?.name ?? t('title')} help={t('help')} testId="segment"
        extra={(
          <Space wrap>
            <Link to="/insight/segments"><ArrowLeftOutlined /> {t('form.back')}</Link>
            {!isNew && can('rewards.issue') && <Button icon={<GiftOutlined />} onClick={() => setIssuing(true)} data-testid="segment-issue">{t('issue.button')}</Button>}
            {!isNew && can('segments.export') && hq && (
              <>
                <Button icon={<DownloadOutlined />} href={`/api/v1/insight/segments/${id}/export.csv?lang=${lang}`} data-testid="segment-export-csv">{t('export.csv')}</Button>
                <Button icon={<DownloadOutlined />} href={`/api/v1/insight/segments/${id}/export.xlsx?lang=${lang}`} data-testid="segment-export-xlsx">{t('export.xlsx')}</Button>
              </>
            )}
            {!isNew && manage && saved.data?.status === 'active' && (
              <Popconfirm title={t('form.archiveConfirm')} onConfirm={() => void archive.mutateAsync({ params: { path: { id } } }).then(() => navigate('/insight/segments'))}>
                <Button icon={<InboxOutlined />} data-testid="segment-archive">{t('form.archive')}</Button>
              </Popconfirm>
            )}
          </Space>
        )}
      />
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('builder.title')} extra={<Typography.Text type="secondary">{t('builder.limits')}</Typography.Text>}>
            <Flex vertical gap={12}>
              <Space wrap>
                <Input style={{ width: 260 }} placeholder={t('form.name')} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} disabled={!manage} data-testid="segment-name" />
                <Input style={{ width: 360 }} placeholder={t('form.description')} value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} disabled={!manage} data-testid="segment-description" />
              </Space>
              <ConditionBuilder value={root} onChange={setRoot} disabled={!manage} />
              {summary && <Typography.Text type="secondary" data-testid="segment-summary">{t('form.summary')}: {summary}</Typography.Text>}
              {saveError !== null && <ErrorLines error={saveError} testId="segment-save-error" />}
              {manage && (
                <Space>
                  <Button type="primary" icon={<SaveOutlined />} disabled={!complete || name.trim() === ''} loading={create.isPending || update.isPending} onClick={() => void save()} data-testid="segment-save">
                    {t('form.save')}
                  </Button>
                  {isNew && <Checkbox checked={snapshotOnSave} onChange={(e) => setSnapshotOnSave(e.target.checked)} data-testid="segment-snapshot-on-save">{t('form.snapshotOnSave')}</Checkbox>}
                </Space>
              )}
            </Flex>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small">
            <Statistic
              title={<TitleWithHelp title={t('live.title')} help={t('live.help')} testId="segment-count-help" />}
              value={complete && count.data ? count.data.count : '—'} suffix={complete && count.data ? t('live.people') : undefined}
              loading={complete && count.isLoading} valueRender={(node) => <span data-testid="segment-live-count">{node}</span>}
            />
            <Typography.Text type="secondary" data-testid="segment-live-asof">
              {!complete ? t('live.incomplete') : count.data ? t('live.asOf', { asOf: count.data.asOf }) : null}
            </Typography.Text>
            {count.error && <ErrorLines error={count.error} testId="segment-count-error" />}
            <div><Typography.Text type="secondary">{countLeaves(root)} / 50</Typography.Text></div>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('preview.title')}>
        <MembersTable
          items={complete ? (preview.data?.pages.flatMap((p) => p.items) ?? []) : []} loading={preview.isFetching} testId="segment-preview"
          more={complete && preview.hasNextPage ? () => void preview.fetchNextPage() : undefined}
        />
      </Card>
      {!isNew && <SnapshotsCard segmentId={id} />}
      {!isNew && hq && can('segments.export') && <Typography.Text type="secondary">{t('export.help')}</Typography.Text>}
      {!isNew && <IssueCouponsModal segmentId={id} open={issuing} onClose={() => setIssuing(false)} />}
    </Flex>
  )
}

export default SegmentPage
