import { FileTextOutlined, InboxOutlined } from '@ant-design/icons'
import { Alert, Button, Checkbox, Col, Form, Input, Modal, Result, Row, Statistic, Table, Typography, Upload } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../components/errors.js'
import { formatCount } from '../../format.js'
import { productReason } from './reasons.js'
import type { ImportResult } from './types.js'
import { importProducts } from './upload.js'

const FIELDS = 'sku, name, barcode, department, category, subcategory, brand, list_price, member_price, points_eligible, sold_by_weight'

const Summary = ({ result }: { result: ImportResult }) => {
  const { t } = useTranslation('products')
  const counts = [
    { key: 'read', value: result.read },
    { key: 'inserted', value: result.inserted, color: '#389e0d' },
    { key: 'updated', value: result.updated, color: '#1677ff' },
    { key: 'skipped', value: result.skipped },
    { key: 'failed', value: result.failed, color: result.failed > 0 ? '#cf1322' : undefined },
  ] as const
  return (
    <>
      <Result
        data-testid="product-import-result" style={{ padding: '8px 0' }}
        status={result.failed > 0 ? 'warning' : 'success'}
        title={result.failed > 0 ? t('upload.completedWithErrors', { count: result.failed }) : t('upload.completed')}
        subTitle={t('upload.summary', { read: formatCount(result.read), inserted: formatCount(result.inserted), updated: formatCount(result.updated), skipped: formatCount(result.skipped), failed: formatCount(result.failed) })}
      />
      <Row gutter={16}>
        {counts.map((c) => (
          <Col key={c.key} span={Math.floor(24 / counts.length)}>
            <Statistic data-testid={`product-import-${c.key}`} title={t(`upload.${c.key}`)} value={c.value} styles={{ content: 'color' in c && c.color ? { color: c.color } : undefined }} />
          </Col>
        ))}
      </Row>
      {result.errors.length > 0 && (
        <Table
          data-testid="product-import-errors" size="small" style={{ marginTop: 16 }}
          rowKey={(e) => `${e.line}:${e.column}:${e.reason}`}
          dataSource={result.errors}
          pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
          columns={[
            { key: 'line', dataIndex: 'line', title: t('upload.line'), width: 80 },
            { key: 'column', dataIndex: 'column', title: t('upload.column'), width: 120 },
            { key: 'value', dataIndex: 'value', title: t('upload.value'), width: 140, ellipsis: true, render: (v: string) => <Typography.Text code={Boolean(v)}>{v}</Typography.Text> },
            { key: 'reason', dataIndex: 'reason', title: t('upload.reason'), render: (r: string) => <span title={r}>{productReason(t, r)}</span> },
          ]}
        />
      )}
      {result.errorsOmitted > 0 && <Typography.Text type="secondary">{t('upload.omitted', { count: result.errorsOmitted })}</Typography.Text>}
    </>
  )
}

/** Uploads a product CSV; the server imports it while we wait, then its summary and refused rows show. */
export const ProductImportModal = ({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) => {
  const { t } = useTranslation('products')
  const { t: tc } = useTranslation()
  const [file, setFile] = useState<File | null>(null)
  const [mapping, setMapping] = useState('')
  const [update, setUpdate] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [result, setResult] = useState<ImportResult | null>(null)

  const reset = () => {
    setFile(null)
    setResult(null)
    setProblem(null)
  }
  const close = () => {
    reset()
    onClose()
  }
  const start = async () => {
    if (!file) return
    setBusy(true)
    setProblem(null)
    try {
      setResult(await importProducts(file, { mapping, update }))
      onImported()
    } catch (err) {
      setProblem(errorMessage(tc, err))
    } finally {
      setBusy(false)
    }
  }

  const footer = result
    ? [<Button key="another" onClick={reset} data-testid="product-import-another">{t('upload.another')}</Button>, <Button key="close" type="primary" onClick={close}>{tc('actions.close')}</Button>]
    : [
      <Button key="cancel" onClick={close}>{tc('actions.cancel')}</Button>,
      <Button key="start" type="primary" disabled={!file} loading={busy} onClick={() => void start()} data-testid="product-import-start">{t('upload.start')}</Button>,
    ]
  return (
    <Modal open={open} title={t('upload.title')} onCancel={close} footer={footer} width={760} destroyOnHidden>
      {result ? <Summary result={result} /> : (
        <Form layout="vertical">
          <Upload.Dragger
            accept=".csv,.gz" multiple={false} showUploadList={false} data-testid="product-import-file"
            beforeUpload={(f) => {
              setFile(f)
              return false
            }}
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{t('upload.drop')}</p>
            <p className="ant-upload-hint">{t('upload.hint')}</p>
          </Upload.Dragger>
          {file && <Typography.Paragraph style={{ marginTop: 8 }} data-testid="product-import-file-name"><FileTextOutlined /> {t('upload.selected', { name: file.name })}</Typography.Paragraph>}
          <Form.Item label={t('upload.mapping')} extra={t('upload.mappingHelp', { fields: FIELDS })} style={{ marginTop: 16 }}>
            <Input data-testid="product-import-mapping" value={mapping} onChange={(e) => setMapping(e.target.value)} placeholder="货号=sku,品名=name,零售价=list_price" />
          </Form.Item>
          <Checkbox data-testid="product-import-update" checked={update} onChange={(e) => setUpdate(e.target.checked)}>{t('upload.update')}</Checkbox>
          {problem && <Alert data-testid="product-import-problem" type="error" showIcon title={problem} style={{ marginTop: 16 }} />}
        </Form>
      )}
    </Modal>
  )
}
