import { Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { deadlineState, formatSpan, TONE_COLORS } from './ticket-format.js'
import type { Severity, TicketStatus } from './types.js'

const SEVERITY_COLORS: Record<Severity, string> = { low: 'default', normal: 'blue', high: 'orange', critical: 'red' }
const STATUS_COLORS: Record<TicketStatus, string> = { new: 'gold', assigned: 'blue', in_progress: 'processing', resolved: 'green', closed: 'default' }

export const SeverityTag = ({ severity }: { severity: Severity }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  return <Tag color={SEVERITY_COLORS[severity]} data-testid="ticket-severity">{t(`severities.${severity}`)}</Tag>
}

export const StatusTag = ({ status }: { status: TicketStatus }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  return <Tag color={STATUS_COLORS[status]} data-testid="ticket-status">{t(`statuses.${status}`)}</Tag>
}

/** A deadline's countdown: time left, red once overdue, orange when due soon; met (or met late) once done. */
export const Countdown = ({ dueAt, doneAt, now, soonMs, testId }: { dueAt: string | null; doneAt?: string | null; now: number; soonMs: number; testId?: string }) => {
  const { t, i18n } = useTranslation('service', { keyPrefix: 'tickets' })
  const { tone, ms } = deadlineState(dueAt, doneAt ?? null, now, soonMs)
  const units = { d: t('units.d'), h: t('units.h'), m: t('units.m'), s: t('units.s') }
  const span = formatSpan(ms, units, i18n.language === 'en-US' ? ' ' : '')
  const text = tone === 'none' ? t('countdown.none')
    : tone === 'met' ? t('countdown.met')
      : tone === 'metLate' ? t('countdown.metLate')
        : tone === 'overdue' ? t('countdown.overdue', { span }) : t('countdown.left', { span })
  return (
    <Typography.Text strong={tone === 'overdue' || tone === 'soon'} style={{ color: TONE_COLORS[tone], whiteSpace: 'nowrap' }} data-testid={testId} data-tone={tone}>
      {text}
    </Typography.Text>
  )
}
