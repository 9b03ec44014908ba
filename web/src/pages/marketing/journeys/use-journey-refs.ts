import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { REFERENCE_STALE_MS, useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { useTiers } from '../../../hooks/use-tiers.js'
import type { Channel } from '../marketing-words.js'
import type { Names } from './journey-words.js'

type Template = GetData<'/api/v1/marketing/templates'>['items'][number]
type CouponTemplate = GetData<'/api/v1/coupon-templates'>[number]
type Tag = GetData<'/api/v1/insight/tags'>[number]
type Segment = GetData<'/api/v1/insight/segments'>[number]

const read = { staleTime: REFERENCE_STALE_MS }
const NO_SEGMENTS: Segment[] = []

/**
 * What journeys point at — message templates, coupon templates, tags, segments, tiers — to
 * choose from (the active ones) and to name (any, archived too). Each list the user may not read
 * stays empty and its names unknown; the page still works.
 */
export const useJourneyRefs = () => {
  const { can } = useSession()
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tl } = useTranslation('insight', { keyPrefix: 'lifecycle' })
  const templates = useApiQuery('/api/v1/marketing/templates', {}, read)
  const coupons = useApiQuery('/api/v1/coupon-templates', {}, { ...read, enabled: can('rewards.read') })
  const tags = useApiQuery('/api/v1/insight/tags', {}, { ...read, enabled: can('insight.read') })
  const segments = useApiQuery('/api/v1/insight/segments', { params: { query: { status: 'active' } } }, { ...read, enabled: can('insight.read') })
  const archivedSegments = useApiQuery('/api/v1/insight/segments', { params: { query: { status: 'archived' } } }, { ...read, enabled: can('insight.read') })
  const { tiers, tierName } = useTiers()

  return useMemo(() => {
    const byId = <X extends { id: string; name: string }>(xs: readonly X[] | undefined) => {
      const m = new Map((xs ?? []).map((x) => [x.id, x.name]))
      return (id: string) => m.get(id) ?? null
    }
    const names: Names = {
      tag: byId(tags.data), segment: byId([...(segments.data ?? []), ...(archivedSegments.data ?? [])]), coupon: byId(coupons.data), tier: (code) => tierName(code),
      stage: (code) => (code ? tl(`stages.${code as 'new'}`, { defaultValue: code }) : null),
      channel: (c) => tw(`channels.${c as Channel}`),
    }
    const activeTemplates: Template[] = (templates.data?.items ?? []).filter((x) => x.status === 'active' && x.purpose === 'marketing')
    return {
      names,
      templateName: byId(templates.data?.items),
      /** the active marketing templates of a channel */
      templatesOf: (c: Channel) => activeTemplates.filter((x) => x.channel === c),
      templatesLoading: templates.isLoading,
      coupons: (coupons.data ?? []).filter((c: CouponTemplate) => c.status === 'active'),
      tags: (tags.data ?? []).filter((x: Tag) => x.status === 'active'),
      segments: segments.data ?? NO_SEGMENTS,
      tiers,
    }
  }, [templates.data, templates.isLoading, coupons.data, tags.data, segments.data, archivedSegments.data, tiers, tierName, tl, tw])
}

export type JourneyRefs = ReturnType<typeof useJourneyRefs>
