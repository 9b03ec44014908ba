import { useQueryClient } from '@tanstack/react-query'
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, call, type Schemas } from '../api/client.js'
import type { paths } from '../api/schema.js'

type Me = paths['/api/v1/auth/me']['get']['responses']['200']['content']['application/json']
export type Permission = Me['permissions'][number]
export type StaffUser = Me['user']
type Chain = paths['/api/v1/chain']['get']['responses']['200']['content']['application/json']
type Store = paths['/api/v1/stores']['get']['responses']['200']['content']['application/json'][number]

interface SessionState {
  user: StaffUser | null
  permissions: Permission[]
  chain: Chain | null
  /** The signed-in user's store, for store roles. */
  store: Store | null
  /** The signed-in user's region's name, for region managers. */
  regionName: string | null
  loading: boolean
  /** the chain requires two-factor sign-in of this user, who must set it up before anything else */
  twoFactorSetupRequired: boolean
  login(username: string, password: string, code?: string): Promise<void>
  logout(): Promise<void>
  can(permission: Permission): boolean
  refresh(): Promise<void>
}

const SessionContext = createContext<SessionState | null>(null)

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const [me, setMe] = useState<Me | null>(null)
  const [chain, setChain] = useState<Chain | null>(null)
  const [store, setStore] = useState<Store | null>(null)
  const [regionName, setRegionName] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  // Another user's reads must never show: the cache goes with the session.
  const queryClient = useQueryClient()
  const signedOut = useCallback(() => {
    queryClient.clear()
    setMe(null)
  }, [queryClient])

  const loadContext = useCallback(async (session: Me) => {
    const [chainResult, storeResult, regions] = await Promise.all([
      call(api.GET('/api/v1/chain')),
      session.user.storeId ? call(api.GET('/api/v1/stores/{id}', { params: { path: { id: session.user.storeId } } })) : Promise.resolve(null),
      session.user.regionId ? call(api.GET('/api/v1/regions')) : Promise.resolve(null),
    ])
    setChain(chainResult)
    setStore(storeResult)
    setRegionName(regions?.find((r) => r.id === session.user.regionId)?.name ?? null)
  }, [])

  const refresh = useCallback(async () => {
    try {
      const session = await call(api.GET('/api/v1/auth/me'))
      // Until two-factor sign-in is set up, nothing but the user's own account is open.
      if (!session.twoFactorSetupRequired) await loadContext(session)
      setMe(session)
    } catch {
      setMe(null)
    } finally {
      setLoading(false)
    }
  }, [loadContext])

  useEffect(() => {
    void refresh()
    window.addEventListener('patron:signed-out', signedOut)
    return () => window.removeEventListener('patron:signed-out', signedOut)
  }, [refresh, signedOut])

  const value = useMemo<SessionState>(() => ({
    user: me?.user ?? null,
    permissions: me?.permissions ?? [],
    chain,
    store,
    regionName,
    loading,
    twoFactorSetupRequired: me?.twoFactorSetupRequired ?? false,
    login: async (username, password, code) => {
      const session = await call(api.POST('/api/v1/auth/login', { body: { username, password, ...(code ? { code } : {}) } }))
      if (!session.twoFactorSetupRequired) await loadContext(session)
      setMe(session)
    },
    logout: async () => {
      await call(api.POST('/api/v1/auth/logout')).catch(() => undefined)
      signedOut()
    },
    can: (permission) => me?.permissions.includes(permission) ?? false,
    refresh,
  }), [me, chain, store, regionName, loading, loadContext, refresh, signedOut])

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export const useSession = (): SessionState => {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside SessionProvider')
  return session
}

export type Member = Schemas['Member']
