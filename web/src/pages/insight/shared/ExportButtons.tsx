import { DownloadOutlined } from '@ant-design/icons'
import { App, Button, Space } from 'antd'
import { useTranslation } from 'react-i18next'
import { downloadCsv, downloadXlsx, type ExportTable } from './export.js'

/** CSV and Excel downloads of a table as the page shows it (its words, its figures). */
export const ExportButtons = ({ table, testId }: { table: () => ExportTable; testId: string }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'shared' })
  const { message } = App.useApp()
  return (
    <Space size={4}>
      <Button size="small" icon={<DownloadOutlined />} data-testid={`${testId}-csv`} onClick={() => downloadCsv(table())}>{t('exportCsv')}</Button>
      <Button
        size="small" icon={<DownloadOutlined />} data-testid={`${testId}-xlsx`}
        onClick={() => void downloadXlsx(table()).catch(() => message.error(t('exportFailed')))}
      >
        {t('exportXlsx')}
      </Button>
    </Space>
  )
}
