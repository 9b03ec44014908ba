import { useMemo } from 'react'
import { useApiQuery } from '../../api/query.js'

export interface Target {
  id: string
  name: string
}

const toTargets = (rows: Array<{ id: string; name: string }>): Target[] => rows.map((r) => ({ id: r.id, name: r.name }))

/**
 * What a prize can give: the active coupon templates and gifts, to pick by name. A list that
 * cannot be read (null) is entered as an id instead.
 */
export const usePrizeTargets = () => {
  const templatesQuery = useApiQuery('/api/v1/coupon-templates', { params: { query: { status: 'active' } } })
  const giftsQuery = useApiQuery('/api/v1/gifts', { params: { query: { status: 'active' } } })
  const templates = useMemo(() => (templatesQuery.error ? null : toTargets(templatesQuery.data ?? [])), [templatesQuery.error, templatesQuery.data])
  const gifts = useMemo(() => (giftsQuery.error ? null : toTargets(giftsQuery.data ?? [])), [giftsQuery.error, giftsQuery.data])
  const names = useMemo(() => new Map([...(templates ?? []), ...(gifts ?? [])].map((x) => [x.id, x.name])), [templates, gifts])
  return { templates, gifts, nameOf: (id: string | null) => (id ? names.get(id) ?? id : null) }
}
