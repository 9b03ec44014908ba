import { DownloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Col, Popconfirm, Progress, Result, Row, Skeleton, Statistic, Table, Typography } from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatCount } from '../../format.js'
import { errorsCsvUrl, type ImportRowError, type MemberImport } from './api.js'
import { translateReason } from './reasons.js'

const POLL_MS = 500
/** Transient failures (a restart, a blip) are retried this many times before the user is asked. */
const POLL_RETRIES = 5

const percentOf = (imp: MemberImport) =>
  imp.status === 'completed' ? 100 : imp.totalBytes > 0 ? Math.min(99, Math.floor((imp.processedBytes / imp.totalBytes) * 100)) : 0

export const ImportCounts = ({ imp }: { imp: MemberImport }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'members' })
  const items = [
    { key: 'rows', title: t('run.rowsRead'), value: imp.rowsRead },
    { key: 'inserted', title: t('run.inserted'), value: imp.inserted, color: '#389e0d' },
    { key: 'updated', title: t('run.updated'), value: imp.updated, color: '#1677ff' },
    { key: 'skipped', title: t('run.skipped'), value: imp.skipped },
    { key: 'failed', title: t('run.failed'), value: imp.failed, color: imp.failed > 0 ? '#cf1322' : undefined },
  ]
  return (
    <Row gutter={16} data-testid="import-counts">
      {items.map((i) => (
        <Col key={i.key} xs={12} sm={8} md={4}>
          <Statistic data-testid={`import-count-${i.key}`} title={i.title} value={i.value} formatter={(v) => formatCount(Number(v))} styles={{ content: i.color ? { color: i.color } : undefined }} />
        </Col>
      ))}
    </Row>
  )
}

const ErrorReport = ({ imp }: { imp: MemberImport }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'members' })
  const [rows, setRows] = useState<ImportRowError[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = useCallback(() => {
    setError(null)
    call(api.GET('/api/v1/member-imports/{id}/errors', { params: { path: { id: imp.id } } })).then(setRows, setError)
  }, [imp.id])
  useEffect(load, [load])

  if (error) return <ErrorResult compact error={error} onRetry={load} />
  return (
    <>
      <Typography.Paragraph type="secondary">{t('result.errorsHint')}</Typography.Paragraph>
      <Table
        data-testid="import-errors-table"
        size="small"
        loading={rows === null}
        rowKey={(r) => `${r.line}:${r.column}:${r.reason}`}
        dataSource={rows ?? []}
        locale={{ emptyText: t('result.noErrors') }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('result.total', { total: formatCount(total) }) }}
        columns={[
          { key: 'line', dataIndex: 'line', title: t('result.line'), width: 90 },
          { key: 'column', dataIndex: 'column', title: t('result.column'), width: 160 },
          { key: 'value', dataIndex: 'value', title: t('result.value'), width: 200, ellipsis: true, render: (v: string) => <Typography.Text code={!!v}>{v}</Typography.Text> },
          { key: 'reason', dataIndex: 'reason', title: t('result.reason'), render: (r: string) => <span title={r}>{translateReason(t, r)}</span> },
        ]}
      />
    </>
  )
}

/** Step 3: an import's progress, polled until it ends, then its result and error report. */
export const ImportRun = ({ id, onAnother, onProgress, onFinished }: {
  id: string
  onAnother: () => void
  onProgress?: (imp: MemberImport) => void
  onFinished?: (imp: MemberImport) => void
}) => {
  const { t, i18n } = useTranslation('imports', { keyPrefix: 'members' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [imp, setImp] = useState<MemberImport | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)
  const finished = useRef(onFinished)
  finished.current = onFinished
  const progress = useRef(onProgress)
  progress.current = onProgress

  useEffect(() => {
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let failures = 0
    const poll = async () => {
      try {
        const current = await call(api.GET('/api/v1/member-imports/{id}', { params: { path: { id } } }))
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
      setImp(await call(api.POST('/api/v1/member-imports/{id}/cancel', { params: { path: { id } } })))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setCancelling(false)
    }
  }
  if (error && !imp) {
    return (
      <Card>
        <ErrorResult error={error} onRetry={retry} />
        <div style={{ textAlign: 'center' }}><Button onClick={onAnother} data-testid="import-another">{t('run.another')}</Button></div>
      </Card>
    )
  }
  if (!imp) return <Card><Skeleton active /></Card>

  const running = imp.status === 'running'
  /** Why a run failed: its code in the user's language, with the server's detail (the line, the limit). */
  const stoppedBecause = (r: MemberImport) => {
    const reason = r.errorCode ? tc(r.errorCode as never, { ns: 'errors', defaultValue: '' }) as string : ''
    return [reason, r.errorMessage && (reason ? t('result.stoppedAt', { detail: r.errorMessage }) : r.errorMessage)].filter(Boolean).join(' ')
  }
  const another = <Button type="primary" onClick={onAnother} data-testid="import-another">{t('run.another')}</Button>
  return (
    <Card>
      {running ? (
        <>
          <Typography.Title level={5}>{t('run.running')} <Typography.Text type="secondary">{imp.sourceName}</Typography.Text></Typography.Title>
          <Progress data-testid="import-progress" percent={percentOf(imp)} status="active" />
          <Typography.Paragraph type="secondary">{t('run.leaveHint')}</Typography.Paragraph>
          <Popconfirm title={t('run.cancelConfirm')} onConfirm={cancel} okButtonProps={{ danger: true }}>
            <Button danger loading={cancelling} data-testid="import-cancel" style={{ marginBottom: 16 }}>{cancelling ? t('run.cancelling') : t('run.cancel')}</Button>
          </Popconfirm>
        </>
      ) : (
        <Result
          data-testid="import-result"
          data-status={imp.status}
          style={{ padding: '16px 0' }}
          status={imp.status === 'failed' ? 'error' : imp.status === 'cancelled' || imp.failed > 0 ? 'warning' : 'success'}
          title={imp.status === 'failed' ? t('result.failed') : imp.status === 'cancelled' ? t('result.cancelled')
            : imp.failed > 0 ? t('result.completedWithErrors', { count: imp.failed }) : t('result.completed')}
          subTitle={imp.status === 'failed'
            ? <span data-testid="import-error-message">{stoppedBecause(imp)}</span>
            : t('result.summary', { rows: formatCount(imp.rowsRead), inserted: formatCount(imp.inserted), updated: formatCount(imp.updated), skipped: formatCount(imp.skipped), failed: formatCount(imp.failed) })}
          extra={another}
        />
      )}
      {error !== null && <div style={{ marginBottom: 16 }}><ErrorResult compact error={error} onRetry={retry} /></div>}
      <ImportCounts imp={imp} />
      {!running && imp.failed > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24, display: 'flex', justifyContent: 'space-between' }}>
            {t('result.errors')}
            <Button href={errorsCsvUrl(imp.id, i18n.language)} icon={<DownloadOutlined />} data-testid="import-errors-download" download>
              {t('result.download')}
            </Button>
          </Typography.Title>
          <ErrorReport imp={imp} />
        </>
      )}
    </Card>
  )
}
