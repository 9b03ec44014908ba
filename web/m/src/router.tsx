import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'

/**
 * The member page's own few-line router: pages are paths under /m/, changed with the history API,
 * so the back button and a shared link work, without a routing library in a small bundle.
 */
export const BASE = '/m'

interface Location { path: string; query: URLSearchParams }
const read = (): Location => {
  const path = window.location.pathname.replace(/^\/m/, '').replace(/\/+$/, '') || '/'
  return { path, query: new URLSearchParams(window.location.search) }
}

const RouterContext = createContext<Location>(read())

export const navigate = (to: string, { replace = false } = {}) => {
  const url = `${BASE}${to === '/' ? '/' : to}`
  if (replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  window.dispatchEvent(new Event('patron:navigate'))
  window.scrollTo(0, 0)
}

export const RouterProvider = ({ children }: { children: ReactNode }) => {
  const [location, setLocation] = useState(read)
  useEffect(() => {
    const update = () => setLocation(read())
    window.addEventListener('popstate', update)
    window.addEventListener('patron:navigate', update)
    return () => {
      window.removeEventListener('popstate', update)
      window.removeEventListener('patron:navigate', update)
    }
  }, [])
  return <RouterContext.Provider value={location}>{children}</RouterContext.Provider>
}

export const useLocation = () => useContext(RouterContext)

export const Link = ({ to, children, className, testId }: { to: string; children: ReactNode; className?: string; testId?: string }) => (
  <a
    href={`${BASE}${to}`}
    className={className}
    data-testid={testId}
    onClick={(e) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
      e.preventDefault()
      navigate(to)
    }}
  >
    {children}
  </a>
)
