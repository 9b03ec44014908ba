import { ReloadOutlined } from '@ant-design/icons'
import { App, Button, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiMutation, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { HelpTip } from './HelpTip.js'

/** "数据截至 2026-12-04 · 最近刷新 10:02": how current the figures on the page are. */
export const FreshnessLine = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'shared' })
  const { t: tc } = useTranslation()
  const { chain, can } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data } = useApiQuery('/api/v1/insight/freshness')
  const refresh = useApiMutation('post', '/api/v1/insight/refresh', { onSuccess: () => message.success(t('refreshQueued')) })
  if (!data) return null
  const last = [data.lastFullAt, data.lastIncrementalAt].filter((x): x is string => x !== null).sort().at(-1)
  // The time alone when it was today, the date too when older.
  const at = last ? formatDateTime(last, tz).replace(`${data.today} `, '') : '—'
  return (
    <Space size={8} wrap data-testid="insight-freshness">
      <Typography.Text type="secondary">
        {data.asOf ? t('freshness', { asOf: data.asOf, at }) : t('freshnessNever')}
        {data.asOf && data.pendingReceipts > 0 && ` · ${t('freshnessPending', { count: data.pendingReceipts, formatted: formatCount(data.pendingReceipts) })}`}
      </Typography.Text>
      {data.asOf && <Typography.Text type="secondary">· {t('windowLine', { from: data.window.from, to: data.window.to, days: data.windowDays })}</Typography.Text>}
      <HelpTip>{t('freshnessHelp')}</HelpTip>
      {can('insight.manage') && (
        <Button size="small" type="link" icon={<ReloadOutlined />} loading={refresh.isPending} data-testid="insight-refresh" onClick={() => void refresh.mutateAsync({ body: {} }).catch((err: unknown) => message.error(errorMessage(tc, err)))}>
          {t('refreshNow')}
        </Button>
      )}
    </Space>
  )
}
