import { useCallback, useMemo } from 'react'
import { REFERENCE_STALE_MS, useApiQuery, type GetData } from '../api/query.js'
import { useSession } from '../auth/session.js'

export type Store = GetData<'/api/v1/stores'>[number]

const NONE: Store[] = []

/** The stores a user may choose: a region manager's region's, everyone else's every store (the API scopes store roles anyway). */
export const useMyStores = <S extends { regionId: string | null }>(all: readonly S[]): S[] => {
  const { user } = useSession()
  const region = user?.role === 'region_manager' ? user.regionId ?? '' : null
  return useMemo(() => (region === null ? [...all] : all.filter((s) => s.regionId === region)), [all, region])
}

/**
 * The stores to choose from in filters and forms (a region manager's: the region's) and every
 * store's name for lists; a failed load leaves the list empty.
 */
export const useStores = () => {
  const { data } = useApiQuery('/api/v1/stores', undefined, { staleTime: REFERENCE_STALE_MS })
  const all = data ?? NONE
  const stores = useMyStores(all)
  const names = useMemo(() => new Map(all.map((s) => [s.id, s.name])), [all])
  const storeName = useCallback((id: string | null) => (id ? names.get(id) ?? null : null), [names])
  return { stores, storeName }
}
