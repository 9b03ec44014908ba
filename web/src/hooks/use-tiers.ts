import { useCallback, useMemo } from 'react'
import { REFERENCE_STALE_MS, useApiQuery, type GetData } from '../api/query.js'
import { useSession } from '../auth/session.js'

export type Tier = GetData<'/api/v1/loyalty/tiers'>[number]

const NONE: Tier[] = []

/** The tier ladder, to name tier codes (history, a sale's upgrade); a code not on it is shown as it is. */
export const useTiers = () => {
  const { can } = useSession()
  const { data } = useApiQuery('/api/v1/loyalty/tiers', undefined, { enabled: can('loyalty.read'), staleTime: REFERENCE_STALE_MS })
  const tiers = data ?? NONE
  const names = useMemo(() => new Map(tiers.map((t) => [t.code, t.name])), [tiers])
  const tierName = useCallback((code: string | null) => (code ? names.get(code) ?? code : null), [names])
  return { tiers, tierName }
}
