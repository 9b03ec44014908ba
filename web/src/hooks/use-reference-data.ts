import { useCallback, useMemo } from 'react'
import { REFERENCE_STALE_MS, useApiQuery, type GetData } from '../api/query.js'
import { useStores } from './use-stores.js'

type Region = GetData<'/api/v1/regions'>[number]
type DepartmentNode = GetData<'/api/v1/products/tree'>[number]

const NO_REGIONS: Region[] = []
const NO_TREE: DepartmentNode[] = []

/**
 * Stores, regions and the product tree, for choosing a rule's scope and products and for
 * names in the tables. Each is optional: a failed load (or a role that may not read it) leaves
 * its list empty and the page still works.
 */
export const useReferenceData = () => {
  const { stores } = useStores()
  const regions = useApiQuery('/api/v1/regions', undefined, { staleTime: REFERENCE_STALE_MS }).data ?? NO_REGIONS
  const tree = useApiQuery('/api/v1/products/tree', { params: { query: { status: 'active' } } }, { staleTime: REFERENCE_STALE_MS }).data ?? NO_TREE
  const storeNames = useMemo(() => new Map(stores.map((s) => [s.id, s.name])), [stores])
  const regionNames = useMemo(() => new Map(regions.map((r) => [r.id, r.name])), [regions])
  const storeName = useCallback((id: string) => storeNames.get(id) ?? id, [storeNames])
  const regionName = useCallback((id: string) => regionNames.get(id) ?? id, [regionNames])
  return { stores, regions, tree, storeName, regionName }
}
