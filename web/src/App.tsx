import { QueryClientProvider } from '@tanstack/react-query'
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import 'dayjs/locale/zh-cn'
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router'
import { queryClient } from './api/query.js'
import { SessionProvider, useSession } from './auth/session.js'
import { AppLayout } from './layout/AppLayout.js'
import { LoginPage } from './pages/login/LoginPage.js'
import { TwoFactorGate } from './pages/account/TwoFactorGate.js'
import { mayOpen, ROUTES } from './routes.js'

// Pages a customer opens without signing in (a survey's link or QR code): outside the console's layout.
const PublicSurveyPage = lazy(() => import('./pages/service/surveys/PublicSurveyPage.js'))
// The suggestion box a receipt's QR code opens (/f/<store code>).
const PublicSuggestionPage = lazy(() => import('./pages/service/suggestions/PublicSuggestionPage.js'))
// The page of a message's unsubscribe link (/u/<token>).
const UnsubscribePage = lazy(() => import('./pages/unsubscribe/UnsubscribePage.js'))

// Every staff user's own account (password, two-factor sign-in), from the header.
const AccountPage = lazy(() => import('./pages/account/AccountPage.js'))

const RequireSession = () => {
  const { user, loading, twoFactorSetupRequired } = useSession()
  const location = useLocation()
  if (loading) return <Spin size="large" style={{ display: 'block', margin: '200px auto' }} />
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname }} />
  if (twoFactorSetupRequired) return <TwoFactorGate />
  return <AppLayout />
}

const Pages = () => {
  const { t } = useTranslation()
  const { can } = useSession()
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/s/:token" element={<Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '120px auto' }} />}><PublicSurveyPage /></Suspense>} />
      <Route path="/f/:storeCode?" element={<Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '120px auto' }} />}><PublicSuggestionPage /></Suspense>} />
      <Route path="/u/:token" element={<Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '120px auto' }} />}><UnsubscribePage /></Suspense>} />
      <Route element={<RequireSession />}>
        {ROUTES.map(({ path, permission, page: Page }) => (
          <Route key={path} path={path} element={mayOpen(can, permission) ? <Page /> : <Result status="403" title={t('status.forbidden')} />} />
        ))}
        <Route path="/account" element={<AccountPage />} />
        <Route path="*" element={<Result status="404" title={t('status.notFound')} />} />
      </Route>
    </Routes>
  )
}

export const App = () => {
  const { i18n } = useTranslation()
  return (
    <ConfigProvider locale={i18n.language === 'en-US' ? enUS : zhCN} theme={{ token: { colorPrimary: '#d4380d' } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <BrowserRouter>
              <Pages />
            </BrowserRouter>
          </SessionProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  )
}
