import { Tag, Timeline, Typography } from 'antd'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { formatCount, formatDateTime, formatMoney } from '../../../format.js'
import type { TicketEvent } from './types.js'

const COLORS: Partial<Record<TicketEvent['kind'], string>> = {
  created: 'blue', escalated: 'red', reminder: 'orange', resolved: 'green', closed: 'gray', reopened: 'red', compensation: 'purple', reply: 'blue', note: 'gray',
}

type Words = TFunction<'service', 'tickets'>

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null)

/** A deadline kind as the API words it in an event's data (first_response / resolution). */
const deadlineWord = (t: Words, v: unknown) => {
  const kind = str(v)
  return kind === 'first_response' || kind === 'firstResponse' ? t('deadlineKinds.firstResponse') : kind === 'resolution' ? t('deadlineKinds.resolution') : ''
}

/** Names for the ids an event's data carries (teams, staff, a compensation's coupon). */
export interface Names {
  team: (id: string) => string | null
  person: (id: string) => string | null
  coupon: (compensationId: string) => string | null
}

/** An event's headline from its kind and data. */
const eventTitle = (t: Words, e: TicketEvent, names: Names): string => {
  const d = e.data
  const team = (v: unknown) => (str(v) ? names.team(str(v)!) ?? str(v) : null)
  const person = (v: unknown) => (str(v) ? names.person(str(v)!) ?? str(v) : null)
  switch (e.kind) {
    case 'assigned':
    case 'reassigned': {
      const to = [team(d.toTeamId ?? d.teamId), person(d.toAssigneeId ?? d.assigneeId)].filter(Boolean).join(' / ') || '—'
      return t(`events.${e.kind}`, { to })
    }
    case 'reply':
      return t('events.reply', { channel: e.channel ? t(`replyChannels.${e.channel as 'phone'}`, { defaultValue: e.channel }) : '—' })
    case 'status': {
      const from = str(d.from)
      const to = str(d.to)
      return t('events.status', { from: from ? t(`statuses.${from as 'new'}`, { defaultValue: from }) : '—', to: to ? t(`statuses.${to as 'new'}`, { defaultValue: to }) : '—' })
    }
    case 'reminder':
      return t('events.reminder', { deadline: deadlineWord(t, d.deadline ?? d.deadlineKind) })
    case 'escalated': {
      const step = str(d.to ?? d.step)
      const who = person(d.userId)
      return t('events.escalated', {
        deadline: deadlineWord(t, d.deadline ?? d.deadlineKind), level: str(d.level) ?? '?',
        step: step ? t(`escalationSteps.${step as 'hq'}`, { defaultValue: step }) : '', who: who ? `（${who}）` : '',
      })
    }
    case 'compensation': {
      const points = typeof d.points === 'number' ? d.points : null
      const what = points !== null
        ? t('compensation.pointsShown', { points: formatCount(points) })
        : t('compensation.couponShown', { name: (str(d.compensationId) ? names.coupon(str(d.compensationId)!) : null) ?? '', value: typeof d.faceValue === 'number' ? formatMoney(d.faceValue) : '—' })
      return t('events.compensation', { what })
    }
    case 'follow_up': {
      const score = typeof d.satisfaction === 'number' ? d.satisfaction : null
      return d.reached === false ? `${t('events.follow_up')} · ${t('followUp.notReached')}` : score !== null ? `${t('events.follow_up')} · ${t('followUp.result', { score, comment: '' }).replace(/ · $/, '')}` : t('events.follow_up')
    }
    default:
      return t(`events.${e.kind}`)
  }
}

/** How a reply told by SMS, email or WeChat went out through the channels (phone and in person are only recorded). */
const ReplySendState = ({ data }: { data: Record<string, unknown> }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  if (data.sending === true || data.messageStatus === 'queued') return <Tag color="processing" style={{ marginInlineStart: 8 }} data-testid="reply-send-state">{t('events.replySending')}</Tag>
  if (data.sent === true) return <Tag color="success" style={{ marginInlineStart: 8 }} data-testid="reply-send-state">{t('events.replySent')}</Tag>
  if (typeof data.error === 'string') return <Tag color="error" style={{ marginInlineStart: 8 }} data-testid="reply-send-state">{t('events.replyNotSent', { reason: data.error })}</Tag>
  return null
}

/**
 * Every step of the ticket, oldest first, with who and when (in the chain's time zone). Internal
 * notes sit on a grey, dashed card marked 内部; what the customer was told on a blue one.
 */
export const TicketTimeline = ({ events, tz, names }: { events: TicketEvent[]; tz: string; names: Names }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  return (
    <Timeline
      data-testid="ticket-events"
      items={events.map((e) => ({
        key: e.id,
        color: COLORS[e.kind] ?? 'blue',
        content: (
          <div data-testid={`ticket-event-${e.kind}`}>
            <Typography.Text strong>{eventTitle(t, e, names)}</Typography.Text>
            {e.kind === 'reply' && <ReplySendState data={e.data} />}
            <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
              {e.actorName ?? (e.actorId ? e.actorId : t('events.system'))} · {formatDateTime(e.at, tz)}
            </Typography.Text>
            {e.body && (
              e.kind === 'note'
                ? (
                    <div style={{ marginTop: 4, padding: '6px 10px', background: '#fafafa', border: '1px dashed #d9d9d9', borderRadius: 6 }} data-testid="ticket-note-body">
                      <Tag style={{ marginInlineEnd: 6 }}>{t('events.internal')}</Tag>
                      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{e.body}</Typography.Text>
                    </div>
                  )
                : e.kind === 'reply'
                  ? (
                      <div style={{ marginTop: 4, padding: '6px 10px', background: '#e6f4ff', border: '1px solid #91caff', borderRadius: 6, whiteSpace: 'pre-wrap' }} data-testid="ticket-reply-body">
                        {e.body}
                      </div>
                    )
                  : <div style={{ marginTop: 2, whiteSpace: 'pre-wrap' }}><Typography.Text type="secondary">{e.body}</Typography.Text></div>
            )}
          </div>
        ),
      }))}
    />
  )
}
