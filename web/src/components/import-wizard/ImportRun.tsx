import { DownloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Col, Popconfirm, Progress, Result, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client.js'
import { formatCount } from '../../format.js'
import { ErrorResult } from '../ErrorResult.js'
import { errorMessage } from '../errors.js'
import type { ImportKindView, ImportProblem, ImportRunBase, ImportStatus } from './types.js'
import { percentDone } from './upload.js'

const POLL_MS = 500
/** Transient failures (a restart, a blip) are retried this many times before the user is asked. */
const POLL_RETRIES = 5
const STATUS_COLORS: Record<ImportStatus, string> = { running: 'processing', completed: 'success', failed: 'error', cancelled: 'warning' }

export const ImportStatusTag = ({ status }: { status: ImportStatus }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'wizard' })
  return <Tag color={STATUS_COLORS[status]}>{t(`status.${status}`)}</Tag>
}

/** The problems of a run in file order: a page at a time when the kind pages them. */
const Problems = <I extends ImportRunBase>({ kind, imp }: { kind: ImportKindView<I, never>; imp: I }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'wizard' })
  const [rows, setRows] = useState<ImportProblem[]>([])
  const [next, setNext] = useState<string | null | undefined>(undefined)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback((cursor?: string) => {
    setLoading(true)
    setError(null)
    kind.errors(imp.id, cursor).then((page) => {
      setRows((r) => (cursor ? [...r, ...page.items] : page.items))
      setNext(page.nextCursor)
    }, setError).finally(() => setLoading(false))
  }, [kind, imp.id])
  useEffect(() => load(), [load])

  return (
    <>
      <Typography.Paragraph type="secondary">{kind.words.errorsHint}</Typography.Paragraph>
      {error !== null && <div style={{ marginBottom: 12 }}><ErrorResult compact error={error} onRetry={() => load(next ?? undefined)} /></div>}
      <Table
        data-testid={kind.errorsTestId} size="small" loading={loading && rows.length === 0}
        rowKey={(r) => `${r.line}:${r.column}:${r.reason}`} dataSource={rows} locale={{ emptyText: kind.words.noErrors }}
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showSizeChanger: true, showTotal: (total) => t('result.total', { total: formatCount(total) }) }}
        columns={[
          { key: 'line', dataIndex: 'line', title: t('result.line'), width: 90 },
          { key: 'column', dataIndex: 'column', title: t('result.column'), width: 160 },
          { key: 'value', dataIndex: 'value', title: t('result.value'), width: 200, ellipsis: true, render: (v: string) => <Typography.Text code={!!v}>{v}</Typography.Text> },
          { key: 'reason', dataIndex: 'reason', title: t('result.reason'), render: (r: string) => <span title={r}>{kind.translateReason(r)}</span> },
        ]}
      />
      {next && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button loading={loading} onClick={() => load(next)} data-testid={`${kind.errorsTestId}-more`}>{t('result.loadMore')}</Button>
        </div>
      )}
    </>
  )
}

/** Step 3: a run's progress, polled until it ends, then its result and problem report. */
export const ImportRun = <I extends ImportRunBase>({ kind, id, onAnother, onProgress, onFinished }: {
  kind: ImportKindView<I, never>
  id: string
  onAnother: () => void
  onProgress?: (imp: I) => void
  onFinished?: (imp: I) => void
}) => {
  const { t, i18n } = useTranslation('imports', { keyPrefix: 'wizard' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [imp, setImp] = useState<I | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)
  const finished = useRef(onFinished)
  finished.current = onFinished
  const progress = useRef(onProgress)
  progress.current = onProgress
  const get = useRef(kind.get)
  get.current = kind.get

  useEffect(() => {
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let failures = 0
    const poll = async () => {
      try {
        const current = await get.current(id)
        if (cancelled) return
        failures = 0
        setError(null)
        setImp(current)
        progress.current?.(current)
        if (current.status === 'running') timer = setTimeout(() => void poll(), POLL_MS)
        else finished.current?.(current)
      } catch (err) {
        if (cancelled) return
        const permanent = err instanceof ApiError && err.status >= 400 && err.status < 500
        if (!permanent && ++failures < POLL_RETRIES) timer = setTimeout(() => void poll(), POLL_MS * 2 ** failures)
        else setError(err)
      }
    }
    void poll()
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [id, attempt])

  const retry = () => setAttempt((a) => a + 1)
  // The server stops the import after the batch in hand; polling then sees it cancelled.
  const cancel = async () => {
    setCancelling(true)
    try {
      setImp(await kind.cancel(id))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setCancelling(false)
    }
  }
  const tid = kind.testId
  const another = <Button type="primary" onClick={onAnother} data-testid={`${tid}-another`}>{t('run.another')}</Button>
  if (error && !imp) {
    return (
      <Card>
        <ErrorResult error={error} onRetry={retry} />
        <div style={{ textAlign: 'center' }}>{another}</div>
      </Card>
    )
  }
  if (!imp) return <Card><Skeleton active /></Card>

  const running = imp.status === 'running'
  /** Why a run failed: its code in the user's language, with the server's detail (the line, the limit). */
  const stoppedBecause = (r: I) => {
    const reason = r.errorCode ? tc(r.errorCode as never, { ns: 'errors', defaultValue: '' }) as string : ''
    return [reason, r.errorMessage && (reason ? t('result.stoppedAt', { detail: r.errorMessage }) : r.errorMessage)].filter(Boolean).join(' ')
  }
  const w = kind.words
  return (
    <Card>
      {running ? (
        <>
          <Typography.Title level={5}>{t('run.running')} <Typography.Text type="secondary">{imp.sourceName}</Typography.Text></Typography.Title>
          <Progress data-testid={`${tid}-progress`} percent={percentDone(imp)} status="active" />
          <Typography.Paragraph type="secondary">{t('run.leaveHint')}</Typography.Paragraph>
          <Popconfirm title={w.cancelConfirm} onConfirm={cancel} okButtonProps={{ danger: true }}>
            <Button danger loading={cancelling} data-testid={`${tid}-cancel`} style={{ marginBottom: 16 }}>{cancelling ? t('run.cancelling') : t('run.cancel')}</Button>
          </Popconfirm>
        </>
      ) : (
        <Result
          data-testid={`${tid}-result`}
          data-status={imp.status}
          style={{ padding: '16px 0' }}
          status={imp.status === 'failed' ? 'error' : imp.status === 'cancelled' || imp.failed > 0 ? 'warning' : 'success'}
          title={imp.status === 'failed' ? w.failed : imp.status === 'cancelled' ? w.cancelled : imp.failed > 0 ? w.completedWithErrors(imp) : w.completed}
          subTitle={imp.status === 'failed' ? <span data-testid={`${tid}-error-message`}>{stoppedBecause(imp)}</span> : w.summary(imp)}
          extra={another}
        />
      )}
      {error !== null && <div style={{ marginBottom: 16 }}><ErrorResult compact error={error} onRetry={retry} /></div>}
      <Row gutter={16} data-testid={`${tid}-counts`}>
        {kind.counts(imp).map((i) => (
          <Col key={i.key} xs={12} sm={8} md={4}>
            <Statistic
              data-testid={`${tid}-count-${i.key}`} title={i.title} value={i.value} formatter={(v) => formatCount(Number(v))}
              styles={{ content: i.color ? { color: i.color } : undefined }}
            />
          </Col>
        ))}
      </Row>
      {!running && kind.hasErrors(imp) && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24, display: 'flex', justifyContent: 'space-between' }}>
            {w.errors}
            <Button href={kind.errorsCsvUrl(imp.id, i18n.language)} icon={<DownloadOutlined />} data-testid={`${tid}-errors-download`} download>{w.download}</Button>
          </Typography.Title>
          <Problems kind={kind} imp={imp} />
        </>
      )}
    </Card>
  )
}
