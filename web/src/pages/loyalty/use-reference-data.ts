import { useCallback, useEffect, useMemo, useState } from 'react'
import { api, call } from '../../api/client.js'
import type { DepartmentNode, Region, Store } from './types.js'

/**
 * Stores, regions and the product tree, for choosing a rule's scope and products and for
 * names in the tables. Each is optional: a failed load (or a role that may not read it) leaves
 * its list empty and the page still works.
 */
export const useReferenceData = () => {
  const [stores, setStores] = useState<Store[]>([])
  const [regions, setRegions] = useState<Region[]>([])
  const [tree, setTree] = useState<DepartmentNode[]>([])
  useEffect(() => {
    let live = true
    const ignore = () => undefined
    call(api.GET('/api/v1/stores')).then((s) => live && setStores(s), ignore)
    call(api.GET('/api/v1/regions')).then((r) => live && setRegions(r), ignore)
    call(api.GET('/api/v1/products/tree', { params: { query: { status: 'active' } } })).then((tr) => live && setTree(tr), ignore)
    return () => {
      live = false
    }
  }, [])
  const storeNames = useMemo(() => new Map(stores.map((s) => [s.id, s.name])), [stores])
  const regionNames = useMemo(() => new Map(regions.map((r) => [r.id, r.name])), [regions])
  const storeName = useCallback((id: string) => storeNames.get(id) ?? id, [storeNames])
  const regionName = useCallback((id: string) => regionNames.get(id) ?? id, [regionNames])
  return { stores, regions, tree, storeName, regionName }
}
