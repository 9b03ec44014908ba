import { useMyStores } from '../../../hooks/use-stores.js'
import { Select, Space, Tag } from 'antd'
import { useMemo, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { REFERENCE_STALE_MS, useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { HelpTip } from './HelpTip.js'

type Region = GetData<'/api/v1/regions'>[number]
type Store = GetData<'/api/v1/stores'>[number]
const NO_REGIONS: Region[] = []
const NO_STORES: Store[] = []

export interface InsightScope {
  /** what the insight reads take: nothing for the chain, a region or a store */
  query: { regionId?: string; storeId?: string }
  /** the filter (HQ roles) or the fixed store (store roles) */
  filter: ReactNode
  /** a short name of the scope, for file names */
  slug: string
}

/**
 * The scope of the insight figures: HQ roles pick the chain, a region or a store; a store
 * role is fixed to its store (the API scopes it anyway — the filter only says so). `help` says
 * what the store means on the page, when it is not the members' registration store.
 */
export const useInsightScope = (testId = 'insight-scope', help?: string): InsightScope => {
  const { t } = useTranslation('insight', { keyPrefix: 'shared' })
  const { user, store } = useSession()
  const ownStore = user?.storeId ?? undefined
  // A region manager's figures are their region's (the API's default for them) or one of its stores'.
  const myRegion = user?.role === 'region_manager' ? user.regionId : null
  const allRegions = useApiQuery('/api/v1/regions', undefined, { enabled: !ownStore, staleTime: REFERENCE_STALE_MS }).data ?? NO_REGIONS
  const regions = useMemo(() => (myRegion ? allRegions.filter((r) => r.id === myRegion) : allRegions), [allRegions, myRegion])
  const stores = useMyStores(useApiQuery('/api/v1/stores', undefined, { enabled: !ownStore, staleTime: REFERENCE_STALE_MS }).data ?? NO_STORES)
  const [regionId, setRegionId] = useState<string | undefined>()
  const [storeId, setStoreId] = useState<string | undefined>()
  const storesShown = useMemo(() => (regionId ? stores.filter((s) => s.regionId === regionId) : stores), [stores, regionId])

  if (ownStore) {
    return {
      query: { storeId: ownStore },
      slug: store?.code ?? ownStore,
      filter: (
        <Space size={6}>
          <Tag color="orange" data-testid={`${testId}-fixed`}>{t('storeFixed', { store: store ? `${store.code} ${store.name}` : ownStore })}</Tag>
          <HelpTip>{help ?? t('scopeHelp')}</HelpTip>
        </Space>
      ),
    }
  }
  const chosenStore = stores.find((s) => s.id === storeId)
  return {
    query: storeId ? { storeId } : regionId ? { regionId } : {},
    slug: chosenStore?.code ?? regions.find((r) => r.id === regionId)?.code ?? 'chain',
    filter: (
      <Space size={6} wrap>
        <Select
          data-testid={`${testId}-region`} allowClear style={{ width: 160 }} placeholder={myRegion ? regions[0]?.name : t('allRegions')} value={regionId}
          options={regions.map((r) => ({ value: r.id, label: r.name }))}
          onChange={(v?: string) => {
            setRegionId(v)
            if (v && chosenStore && chosenStore.regionId !== v) setStoreId(undefined)
          }}
        />
        <Select
          data-testid={`${testId}-store`} allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 220 }} placeholder={t('allStores')} value={storeId}
          options={storesShown.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))} onChange={(v?: string) => setStoreId(v)}
        />
        <HelpTip>{help ?? t('scopeHelp')}</HelpTip>
      </Space>
    ),
  }
}
