import { useCallback, useEffect, useMemo, useState } from 'react'
import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'

export type Store = paths['/api/v1/stores']['get']['responses']['200']['content']['application/json'][number]

/** The chain's stores, for filters, the registration store and names in lists; a failed load leaves the list empty. */
export const useStores = () => {
  const [stores, setStores] = useState<Store[]>([])
  useEffect(() => {
    let live = true
    call(api.GET('/api/v1/stores')).then((s) => live && setStores(s), () => undefined)
    return () => {
      live = false
    }
  }, [])
  const names = useMemo(() => new Map(stores.map((s) => [s.id, s.name])), [stores])
  const storeName = useCallback((id: string | null) => (id ? names.get(id) ?? null : null), [names])
  return { stores, storeName }
}
