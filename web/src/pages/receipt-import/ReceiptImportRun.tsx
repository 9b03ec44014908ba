import { DownloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Col, Popconfirm, Progress, Result, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatCount } from '../../format.js'
import { errorsCsvUrl, percentDone, type ReceiptImport, type ReceiptImportRowError } from './api.js'
import { translateReceiptReason } from './reasons.js'

const POLL_MS = 500
/** Transient failures (a restart, a blip) are retried this many times before the user is asked. */
const POLL_RETRIES = 5
const STATUS_COLORS: Record<ReceiptImport['status'], string> = { running: 'processing', completed: 'success', failed: 'error', cancelled: 'warning' }

export const ReceiptImportStatusTag = ({ status }: { status: ReceiptImport['status'] }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'receipts' })
  return <Tag color={STATUS_COLORS[status]}>{t(`status.${status}`)}</Tag>
}

const Counts = ({ imp }: { imp: ReceiptImport }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'receipts' })
  const items = [
    { key: 'lines', title: t('run.linesRead'), value: imp.linesRead },
    { key: 'sales', title: t('run.receiptsPosted'), value: imp.receiptsPosted, color: '#389e0d' },
    { key: 'returns', title: t('run.returnsPosted'), value: imp.returnsPosted, color: '#1677ff' },
    { key: 'skipped', title: t('run.receiptsSkipped'), value: imp.receiptsSkipped },
    { key: 'members', title: t('run.membersCreated'), value: imp.membersCreated },
    { key: 'failed', title: t('run.failed'), value: imp.failed, color: imp.failed > 0 ? '#cf1322' : undefined },
  ]
  return (
    <Row gutter={16} data-testid="receipt-import-counts">
      {items.map((i) => (
        <Col key={i.key} xs={12} sm={8} md={4}>
          <Statistic
            data-testid={`receipt-import-count-${i.key}`} title={i.title} value={i.value} formatter={(v) => formatCount(Number(v))}
            styles={{ content: i.color ? { color: i.color } : undefined }}
          />
        </Col>
      ))}
    </Row>
  )
}

/** The problems of an import in file order, a page at a time. */
const Problems = ({ imp }: { imp: ReceiptImport }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'receipts' })
  const [rows, setRows] = useState<ReceiptImportRowError[]>([])
  const [next, setNext] = useState<string | null | undefined>(undefined)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback((cursor?: string) => {
    setLoading(true)
    setError(null)
    call(api.GET('/api/v1/receipt-imports/{id}/errors', { params: { path: { id: imp.id }, query: { cursor, limit: 100 } } }))
      .then((page) => {
        setRows((r) => (cursor ? [...r, ...page.items] : page.items))
        setNext(page.nextCursor)
      }, setError)
      .finally(() => setLoading(false))
  }, [imp.id])
  useEffect(() => load(), [load])

  return (
    <>
      <Typography.Paragraph type="secondary">{t('result.errorsHint')}</Typography.Paragraph>
      {error !== null && <div style={{ marginBottom: 12 }}><ErrorResult compact error={error} onRetry={() => load(next ?? undefined)} /></div>}
      <Table
        data-testid="receipt-import-errors" size="small" loading={loading && rows.length === 0} pagination={false}
        rowKey={(r) => `${r.line}:${r.column}:${r.reason}`} dataSource={rows} locale={{ emptyText: t('result.noErrors') }}
        columns={[
          { key: 'line', dataIndex: 'line', title: t('result.line'), width: 90 },
          { key: 'column', dataIndex: 'column', title: t('result.column'), width: 160 },
          { key: 'value', dataIndex: 'value', title: t('result.value'), width: 200, ellipsis: true, render: (v: string) => <Typography.Text code={!!v}>{v}</Typography.Text> },
          { key: 'reason', dataIndex: 'reason', title: t('result.reason'), render: (r: string) => <span title={r}>{translateReceiptReason(t, r)}</span> },
        ]}
      />
      {next && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button loading={loading} onClick={() => load(next)} data-testid="receipt-import-errors-more">{t('result.loadMore')}</Button>
        </div>
      )}
    </>
  )
}

/** Step 3: an import's progress, polled until it ends, then its result and problem report. */
export const ReceiptImportRun = ({ id, onAnother, onProgress, onFinished }: {
  id: string
  onAnother: () => void
  onProgress?: (imp: ReceiptImport) => void
  onFinished?: (imp: ReceiptImport) => void
}) => {
  const { t, i18n } = useTranslation('imports', { keyPrefix: 'receipts' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [imp, setImp] = useState<ReceiptImport | null>(null)
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
        const current = await call(api.GET('/api/v1/receipt-imports/{id}', { params: { path: { id } } }))
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
  // The server stops the import after the receipts in hand; polling then sees it cancelled.
  const cancel = async () => {
    setCancelling(true)
    try {
      setImp(await call(api.POST('/api/v1/receipt-imports/{id}/cancel', { params: { path: { id } } })))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setCancelling(false)
    }
  }
  const another = <Button type="primary" onClick={onAnother} data-testid="receipt-import-another">{t('run.another')}</Button>
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
  return (
    <Card>
      {running ? (
        <>
          <Typography.Title level={5}>{t('run.running')} <Typography.Text type="secondary">{imp.sourceName}</Typography.Text></Typography.Title>
          <Progress data-testid="receipt-import-progress" percent={percentDone(imp)} status="active" />
          <Typography.Paragraph type="secondary">{t('run.leaveHint')}</Typography.Paragraph>
          <Popconfirm title={t('run.cancelConfirm')} onConfirm={cancel} okButtonProps={{ danger: true }}>
            <Button danger loading={cancelling} data-testid="receipt-import-cancel" style={{ marginBottom: 16 }}>{t('run.cancel')}</Button>
          </Popconfirm>
        </>
      ) : (
        <Result
          data-testid="receipt-import-result" data-status={imp.status} style={{ padding: '16px 0' }}
          status={imp.status === 'failed' ? 'error' : imp.status === 'cancelled' || imp.failed > 0 ? 'warning' : 'success'}
          title={imp.status === 'failed'
            ? t('result.failed')
            : imp.status === 'cancelled' ? t('result.cancelled')
            : imp.failed > 0 ? t('result.completedWithErrors', { count: imp.failed }) : t('result.completed')}
          subTitle={imp.status === 'failed'
            ? <span data-testid="receipt-import-error-message">{[imp.errorCode && (tc(imp.errorCode as never, { ns: 'errors', defaultValue: '' }) as string), imp.errorMessage].filter(Boolean).join(': ')}</span>
            : t('result.summary', {
              lines: formatCount(imp.linesRead), sales: formatCount(imp.receiptsPosted), returns: formatCount(imp.returnsPosted),
              skipped: formatCount(imp.receiptsSkipped), failed: formatCount(imp.failed),
            })}
          extra={another}
        />
      )}
      {error !== null && <div style={{ marginBottom: 16 }}><ErrorResult compact error={error} onRetry={retry} /></div>}
      <Counts imp={imp} />
      {!running && imp.errorCount > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24, display: 'flex', justifyContent: 'space-between' }}>
            {t('result.errors')}
            <Button href={errorsCsvUrl(imp.id, i18n.language)} icon={<DownloadOutlined />} data-testid="receipt-import-errors-download" download>
              {t('result.download')}
            </Button>
          </Typography.Title>
          <Problems imp={imp} />
        </>
      )}
    </Card>
  )
}
