import { Space, Tag, Tooltip } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Schemas } from '../../../api/client.js'
import { useSession } from '../../../auth/session.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'

type Message = Schemas['Message']

// A tracked email's opens and clicks, as the message log and the member's messages show them.

/** 已打开 / 已点击 beside a message's status, the first time in a tooltip; nothing for a message not opened. */
export const TrackingTags = ({ message: m }: { message: Message }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  if (!m.openedAt && !m.clickedAt) return null
  return (
    <Space size={4} wrap>
      {m.openedAt && <Tooltip title={formatDateTime(m.openedAt, tz)}><Tag color="cyan" data-testid="message-opened">{t('tracking.opened')}</Tag></Tooltip>}
      {m.clickedAt && <Tooltip title={formatDateTime(m.clickedAt, tz)}><Tag color="purple" data-testid="message-clicked">{t('tracking.clicked')}</Tag></Tooltip>}
    </Space>
  )
}

/** The lines of a tracked message's detail: its first open and click with how many; "not opened" while it is not. */
export const useTrackingLines = (m: Message): Array<{ key: string; label: string; children: ReactNode }> => {
  const { t } = useTranslation('marketing', { keyPrefix: 'channels' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  if (!m.tracked && !m.openedAt) return []
  if (!m.openedAt) return [{ key: 'opened', label: t('tracking.openedAt'), children: t('tracking.notOpened') }]
  return [
    { key: 'opened', label: t('tracking.openedAt'), children: t('tracking.times', { time: formatDateTime(m.openedAt, tz), n: m.opens }) },
    ...(m.clickedAt ? [{ key: 'clicked', label: t('tracking.clickedAt'), children: t('tracking.times', { time: formatDateTime(m.clickedAt, tz), n: m.clicks }) }] : []),
  ]
}
