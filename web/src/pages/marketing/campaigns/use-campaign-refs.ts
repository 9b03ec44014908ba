import { useTranslation } from 'react-i18next'
import { useApiQuery, REFERENCE_STALE_MS } from '../../../api/query.js'
import { formatDateTime } from '../../../format.js'
import type { Campaign } from './campaign-form.js'

/** The chain's segments by id (active and archived: a campaign may name one archived since). */
export const useSegments = () => {
  const active = useApiQuery('/api/v1/insight/segments', { params: { query: { status: 'active' } } }, { staleTime: REFERENCE_STALE_MS })
  const archived = useApiQuery('/api/v1/insight/segments', { params: { query: { status: 'archived' } } }, { staleTime: REFERENCE_STALE_MS })
  const all = [...(active.data ?? []), ...(archived.data ?? [])]
  return {
    active: active.data ?? [],
    loading: active.isLoading,
    nameOf: (id: string) => all.find((s) => s.id === id)?.name ?? null,
  }
}

/** A campaign's schedule in words: now, once at a time, or every day/week/month from a time (until a time). */
export const useScheduleText = (tz: string) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns' })
  return (c: Pick<Campaign, 'scheduleKind' | 'sendAt' | 'recurrence' | 'repeatUntil'>): string => {
    if (c.scheduleKind === 'now') return t('schedule.now')
    const time = formatDateTime(c.sendAt, tz)
    if (c.scheduleKind === 'at') return t('schedule.at', { time })
    const text = t('schedule.recurring', { every: t(`schedule.every.${c.recurrence ?? 'daily'}`), time })
    return c.repeatUntil ? text + t('schedule.until', { time: formatDateTime(c.repeatUntil, tz) }) : text
  }
}
