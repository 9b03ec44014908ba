import { useCallback, useEffect, useMemo, useState } from 'react'
import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import { useSession } from '../../auth/session.js'

export type Tier = paths['/api/v1/loyalty/tiers']['get']['responses']['200']['content']['application/json'][number]

/** The tier ladder, to name tier codes (history, a sale's upgrade); a code not on it is shown as it is. */
export const useTiers = () => {
  const { can } = useSession()
  const allowed = can('loyalty.read')
  const [tiers, setTiers] = useState<Tier[]>([])
  useEffect(() => {
    if (!allowed) return
    let live = true
    call(api.GET('/api/v1/loyalty/tiers')).then((t) => live && setTiers(t), () => undefined)
    return () => {
      live = false
    }
  }, [allowed])
  const names = useMemo(() => new Map(tiers.map((t) => [t.code, t.name])), [tiers])
  const tierName = useCallback((code: string | null) => (code ? names.get(code) ?? code : null), [names])
  return { tiers, tierName }
}
