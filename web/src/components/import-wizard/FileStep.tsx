import { FileTextOutlined, InboxOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Flex, Spin, Table, Typography, Upload } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatBytes, PreviewError, readPreview, type FilePreview } from './csv-preview.js'

export interface ChosenFile {
  file: File
  preview: FilePreview
}

const ACCEPTED = /\.(csv|gz)$/i

/** The preview of a file's first rows: its own columns, as they will be mapped. */
export const PreviewTable = ({ preview }: { preview: FilePreview }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'wizard' })
  const columns = preview.header.map((name, index) => ({
    key: String(index),
    title: name || <Typography.Text type="secondary">#{index + 1}</Typography.Text>,
    dataIndex: index,
    ellipsis: true,
    width: 140,
  }))
  const data = preview.rows.map((row, i) => ({ key: i, ...Object.fromEntries(row.map((v, j) => [j, v])) }))
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('file.preview', { count: preview.rows.length })}</Typography.Title>
      <Table data-testid="import-preview" size="small" bordered columns={columns} dataSource={data} pagination={false} scroll={{ x: 'max-content', y: 360 }} />
      {preview.truncated && <Typography.Text type="secondary">{t('file.previewTruncated', { count: preview.rows.length })}</Typography.Text>}
    </>
  )
}

/** Step 1: the file, read in the browser for its columns and first rows. */
export const FileStep = ({ chosen, onChosen, onNext }: { chosen: ChosenFile | null; onChosen: (c: ChosenFile | null) => void; onNext: () => void }) => {
  const { t } = useTranslation('imports', { keyPrefix: 'wizard' })
  const [reading, setReading] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  const choose = async (file: File) => {
    setProblem(null)
    onChosen(null)
    if (!ACCEPTED.test(file.name)) {
      setProblem(t('file.badType'))
      return
    }
    setReading(true)
    try {
      onChosen({ file, preview: await readPreview(file) })
    } catch (err) {
      setProblem(err instanceof PreviewError ? t(`file.${err.problem}`) : t('file.unreadable', { reason: (err as Error).message }))
    } finally {
      setReading(false)
    }
  }

  const notComma = chosen && chosen.preview.header.length === 1 && /[\t;|]/.test(chosen.preview.header[0] ?? '')

  return (
    <Card>
      <div data-testid="import-upload-area">
        <Upload.Dragger
          accept=".csv,.gz"
          multiple={false}
          showUploadList={false}
          beforeUpload={(file) => {
            void choose(file)
            return false
          }}
          data-testid="import-file-input"
        >
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p className="ant-upload-text">{t('file.drop')}</p>
          <p className="ant-upload-hint">{t('file.hint')}</p>
        </Upload.Dragger>
      </div>
      {reading && <Spin style={{ display: 'block', marginTop: 16 }} description={t('file.reading')}><div style={{ height: 40 }} /></Spin>}
      {problem && <Alert data-testid="import-file-problem" type="error" showIcon title={problem} style={{ marginTop: 16 }} />}
      {chosen && (
        <>
          <Flex align="center" justify="space-between" style={{ marginTop: 16 }} wrap gap={8}>
            <Typography.Text data-testid="import-file-name">
              <FileTextOutlined /> {t('file.selected', { name: chosen.file.name, size: formatBytes(chosen.file.size) })}
            </Typography.Text>
            <Button type="primary" onClick={onNext} disabled={!!notComma} data-testid="import-next">{t('file.next')}</Button>
          </Flex>
          {notComma && <Alert type="warning" showIcon title={t('file.notComma')} style={{ marginTop: 16 }} />}
          <PreviewTable preview={chosen.preview} />
        </>
      )}
    </Card>
  )
}
