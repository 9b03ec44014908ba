import { useCallback, useMemo } from 'react'
import { REFERENCE_STALE_MS, useApiQuery, type GetData } from '../api/query.js'

export type Store = GetData<'/api/v1/stores'>[number]

const NONE: Store[] = []

/** The chain's stores, for filters, the registration store and names in lists; a failed load leaves the list empty. */
export const useStores = () => {
  const { data } = useApiQuery('/api/v1/stores', undefined, { staleTime: REFERENCE_STALE_MS })
  const stores = data ?? NONE
  const names = useMemo(() => new Map(stores.map((s) => [s.id, s.name])), [stores])
  const storeName = useCallback((id: string | null) => (id ? names.get(id) ?? null : null), [names])
  return { stores, storeName }
}
