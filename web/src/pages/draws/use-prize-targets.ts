import { useEffect, useMemo, useState } from 'react'
import { api, call } from '../../api/client.js'

export interface Target {
  id: string
  name: string
}

/**
 * What a prize can give: the active coupon templates and gifts, to pick by name. A list that
 * cannot be read (null) is entered as an id instead.
 */
export const usePrizeTargets = () => {
  const [templates, setTemplates] = useState<Target[] | null>([])
  const [gifts, setGifts] = useState<Target[] | null>([])
  useEffect(() => {
    let live = true
    call(api.GET('/api/v1/coupon-templates', { params: { query: { status: 'active' } } }))
      .then((rows) => live && setTemplates(rows.map((r) => ({ id: r.id, name: r.name }))), () => live && setTemplates(null))
    call(api.GET('/api/v1/gifts', { params: { query: { status: 'active' } } }))
      .then((rows) => live && setGifts(rows.map((r) => ({ id: r.id, name: r.name }))), () => live && setGifts(null))
    return () => {
      live = false
    }
  }, [])
  const names = useMemo(() => new Map([...(templates ?? []), ...(gifts ?? [])].map((x) => [x.id, x.name])), [templates, gifts])
  return { templates, gifts, nameOf: (id: string | null) => (id ? names.get(id) ?? id : null) }
}
