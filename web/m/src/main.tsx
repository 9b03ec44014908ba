import { MutationCache, QueryCache, QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query'
import { StrictMode, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { api, ApiError, call } from './api.js'
import { I18nProvider, preloadErrorWords, useI18n } from './i18n.js'
import './m.css'
import { CardPage } from './pages/card.js'
import { CouponsPage } from './pages/coupons.js'
import { DrawsPage } from './pages/draws.js'
import { EventsPage } from './pages/events.js'
import { FeedbackPage } from './pages/feedback.js'
import { GiftsPage } from './pages/gifts.js'
import { ConsentsPage, MinePage, PrivacyPage } from './pages/mine.js'
import { PointsPage } from './pages/points.js'
import { ProfilePage } from './pages/profile.js'
import { ReceiptsPage } from './pages/receipts.js'
import { RegisterPage } from './pages/register.js'
import { SignInPage } from './pages/sign-in.js'
import { SurveysPage } from './pages/surveys.js'
import { RouterProvider, useLocation } from './router.js'
import { Loading, Note, Page, TabBar, Toaster } from './ui.js'

/** A session that ended meanwhile (idle 30 days, signed out elsewhere): back to the sign-in. */
const onError = (err: unknown, key?: readonly unknown[]) => {
  if (err instanceof ApiError && err.status === 401 && key?.[0] !== 'me') window.dispatchEvent(new Event('patron:signed-out'))
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (err, query) => onError(err, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (err) => onError(err) }),
  defaultOptions: {
    queries: { retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2, staleTime: 30_000, refetchOnWindowFocus: false },
  },
})

const TAB_PATHS = new Set(['/', '/coupons', '/receipts', '/mine'])

/** The member's page: the poster's registration form and the sign-in are open; the rest needs the member's session. */
const App = () => {
  const { t, errorText } = useI18n()
  const { path } = useLocation()
  const client = useQueryClient()
  const me = useQuery({ queryKey: ['me'], queryFn: () => call(api.GET('/api/v1/me')), enabled: path !== '/register', retry: false })
  useEffect(() => {
    // Signed out (here, or the session ended): nothing of the member stays; /me is asked again and answers 401.
    const signedOut = () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' })
      void client.resetQueries({ queryKey: ['me'] })
    }
    window.addEventListener('patron:signed-out', signedOut)
    return () => window.removeEventListener('patron:signed-out', signedOut)
  }, [client])
  if (path === '/register') return <RegisterPage />
  if (me.isPending) return <Loading />
  if (me.error) {
    if (me.error instanceof ApiError && me.error.status === 401) return <SignInPage />
    return <Page title={t('memberCard')}><Note kind="error">{errorText(me.error)}</Note></Page>
  }
  const page = (() => {
    switch (path) {
      case '/': return <CardPage me={me.data} />
      case '/coupons': return <CouponsPage />
      case '/receipts': return <ReceiptsPage />
      case '/mine': return <MinePage me={me.data} />
      case '/points': return <PointsPage me={me.data} />
      case '/gifts': return <GiftsPage />
      case '/draws': return <DrawsPage />
      case '/feedback': return <FeedbackPage />
      case '/surveys': return <SurveysPage />
      case '/events': return <EventsPage />
      case '/profile': return <ProfilePage />
      case '/consents': return <ConsentsPage />
      case '/privacy': return <PrivacyPage />
      default: return <Page title={t('notFound')} back="/"><Note>{t('notFoundText')}</Note></Page>
    }
  })()
  return <>{page}{TAB_PATHS.has(path) && <TabBar />}</>
}

preloadErrorWords()
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <RouterProvider>
          <App />
          <Toaster />
        </RouterProvider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
)
