import { ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Steps, Table, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { FileStep, type ChosenFile } from '../member-import/FileStep.js'
import type { ReceiptImport } from './api.js'
import { ReceiptImportRun, ReceiptImportStatusTag } from './ReceiptImportRun.js'
import { ReceiptMappingStep, type ReceiptDraft } from './ReceiptMappingStep.js'

/** The chain's recent receipt imports, newest first, each openable for its result and problems. */
const RecentReceiptImports = ({ reloadKey, live, onView }: { reloadKey: number; live: ReceiptImport | null; onView: (id: string) => void }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'receipts' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [items, setItems] = useState<ReceiptImport[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)

  const load = useCallback(() => {
    setError(null)
    setLoading(true)
    call(api.GET('/api/v1/receipt-imports')).then(setItems, setError).finally(() => setLoading(false))
  }, [])
  useEffect(load, [load, reloadKey])

  return (
    <Card
      title={t('recent.title')} style={{ marginTop: 16 }}
      extra={<Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading}>{t('recent.refresh')}</Button>}
    >
      {error !== null && <div style={{ marginBottom: 12 }}><ErrorResult error={error} onRetry={load} compact /></div>}
      <Table
        data-testid="recent-receipt-imports" size="small" rowKey="id" loading={items === null && !error}
        dataSource={(items ?? []).map((r) => (live && r.id === live.id ? live : r))}
        pagination={{ defaultPageSize: 10, hideOnSinglePage: true }} scroll={{ x: 'max-content' }}
        rowClassName={(r) => (r.id === live?.id ? 'ant-table-row-selected' : '')}
        columns={[
          { key: 'createdAt', title: t('recent.createdAt'), render: (_, r) => formatDateTime(r.createdAt, tz) },
          { key: 'file', title: t('recent.file'), dataIndex: 'sourceName', ellipsis: true },
          { key: 'status', title: t('recent.status'), render: (_, r) => <ReceiptImportStatusTag status={r.status} /> },
          { key: 'lines', title: t('recent.lines'), align: 'right', render: (_, r) => formatCount(r.linesRead) },
          { key: 'posted', title: t('recent.posted'), align: 'right', render: (_, r) => formatCount(r.receiptsPosted + r.returnsPosted) },
          {
            key: 'failed', title: t('run.failed'), align: 'right',
            render: (_, r) => (r.failed > 0 ? <Typography.Text type="danger">{formatCount(r.failed)}</Typography.Text> : formatCount(r.failed)),
          },
          { key: 'view', title: '', render: (_, r) => <a onClick={() => onView(r.id)}>{t('recent.view')}</a> },
        ]}
      />
    </Card>
  )
}

/**
 * Receipt import: choose a POS export, map its columns and set the options, upload and follow
 * the run. The import being followed is in the URL (?id=), so a reload shows it again.
 */
export const ReceiptImportPage = () => {
  const { t } = useTranslation('imports', { keyPrefix: 'receipts' })
  const [params, setParams] = useSearchParams()
  const importId = params.get('id')
  const [step, setStep] = useState<0 | 1>(0)
  const [chosen, setChosen] = useState<ChosenFile | null>(null)
  const [draft, setDraft] = useState<ReceiptDraft | null>(null)
  const [reloadKey, setReloadKey] = useState(0)
  const [live, setLive] = useState<ReceiptImport | null>(null)

  const choose = useCallback((c: ChosenFile | null) => {
    setChosen(c)
    setDraft(null)
  }, [])
  const view = useCallback((id: string) => {
    setParams({ id })
    window.scrollTo({ top: 0, behavior: 'smooth' })
  }, [setParams])
  const another = () => {
    setParams({})
    choose(null)
    setStep(0)
  }
  const refreshRecent = useCallback(() => setReloadKey((k) => k + 1), [])

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
      <Steps
        style={{ marginBottom: 16 }}
        current={importId ? 2 : step}
        items={[{ title: t('steps.file') }, { title: t('steps.mapping') }, { title: t('steps.run') }]}
      />
      {importId ? (
        <ReceiptImportRun key={importId} id={importId} onAnother={another} onProgress={setLive} onFinished={refreshRecent} />
      ) : step === 0 || !chosen ? (
        <FileStep chosen={chosen} onChosen={choose} onNext={() => setStep(1)} />
      ) : (
        <ReceiptMappingStep
          chosen={chosen} draft={draft} onDraft={setDraft} onBack={() => setStep(0)}
          onStarted={(imp) => {
            view(imp.id)
            refreshRecent()
          }}
        />
      )}
      <RecentReceiptImports reloadKey={reloadKey} live={importId && live?.id === importId ? live : null} onView={view} />
    </>
  )
}

export default ReceiptImportPage
