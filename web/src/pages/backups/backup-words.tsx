import { Alert } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'

type BackupAlert = NonNullable<GetData<'/api/v1/operations/backups'>['alert']>

export const fileSize = (bytes: number): string =>
  bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(1)} GB` : bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`

/** What went wrong with the backups, in a sentence. */
export const BackupAlertText = ({ alert }: { alert: BackupAlert }) => {
  const { t } = useTranslation('jobs', { keyPrefix: 'backups' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const at = alert.since ? formatDateTime(alert.since, tz) : t('never')
  return <>{alert.kind === 'failed' ? t('alertFailed', { at, error: alert.error ?? '' }) : t('alertStale', { at })}</>
}

/** HQ's dashboard: an error when the last backup failed or none succeeded for a day (nothing otherwise). */
export const BackupAlert = () => {
  const { t } = useTranslation('jobs', { keyPrefix: 'backups' })
  const { can } = useSession()
  // A warning, not the page's content: if it cannot load, the page shows without it.
  const { data } = useApiQuery('/api/v1/operations/backups', undefined, { enabled: can('jobs.manage') })
  if (!data?.alert) return null
  return <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="dashboard-backup-alert" title={<BackupAlertText alert={data.alert} />} action={<Link to="/settings/backups">{t('alertLink')}</Link>} />
}
