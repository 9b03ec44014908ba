import { WarningOutlined } from '@ant-design/icons'
import { Alert, Table, Tag, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'

type AlertRow = GetData<'/api/v1/members/lookup-alerts'>['items'][number]

/**
 * A warning for HQ when, in the last week, a staff user or till looked up many members that do
 * not exist within an hour: how someone walks the numbers a masked phone leaves open. Nothing
 * shows when there is nothing to see (or the user may not read the audit log).
 */
export const LookupAlerts = () => {
  const { t } = useTranslation('members')
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  // A warning, not the page's content: if it cannot load, the page shows without it.
  const { data: alerts } = useApiQuery('/api/v1/members/lookup-alerts', { params: { query: { days: 7 } } }, { enabled: can('audit.read') })


  if (!alerts || alerts.items.length === 0) return null
  const columns: TableColumnsType<AlertRow> = [
    { title: t('lookupAlerts.hour'), dataIndex: 'hour', render: (at: string) => formatDateTime(at, tz) },
    { title: t('lookupAlerts.who'), key: 'who', render: (_, r) => t('lookupAlerts.whoValue', { name: r.actorName ?? r.actorId, type: t(`lookupAlerts.actorTypes.${r.actorType}`) }) },
    { title: t('lookupAlerts.store'), dataIndex: 'storeName', render: (name: string | null) => name ?? '—' },
    { title: t('lookupAlerts.lookups'), dataIndex: 'lookups', align: 'right' },
    { title: t('lookupAlerts.misses'), dataIndex: 'misses', align: 'right' },
    { title: '', dataIndex: 'limited', render: (limited: boolean) => limited && <Tag color="red">{t('lookupAlerts.limited')}</Tag> },
  ]
  return (
    <Alert
      type="warning" showIcon icon={<WarningOutlined />} style={{ marginBottom: 16 }} data-testid="lookup-alerts"
      title={t('lookupAlerts.title', { misses: alerts.alertMisses })}
      description={(
        <>
          <p style={{ marginTop: 0 }}>{t('lookupAlerts.explain', { limit: alerts.missesPerHour })}</p>
          <Table<AlertRow> size="small" rowKey={(r) => `${r.actorId}-${r.hour}`} columns={columns} dataSource={alerts.items} pagination={{ pageSize: 5, hideOnSinglePage: true }} />
        </>
      )}
    />
  )
}
