import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api, call, type Me } from '../api.js'
import { formatDate, useI18n, type WordKey } from '../i18n.js'
import { Link, useLocation } from '../router.js'
import { Loaded, Note, Page, Qr, Section } from '../ui.js'

/** The seconds left until an instant, ticking every second. */
const useSecondsLeft = (until: string | undefined) => {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return until ? Math.max(0, Math.round((Date.parse(until) - now) / 1000)) : 0
}

/** The electronic card: a QR the till scans as the member, replaced before it expires (a minute). */
const CardQr = () => {
  const { t } = useI18n()
  const card = useQuery({
    queryKey: ['card'],
    queryFn: () => call(api.GET('/api/v1/me/card')),
    refetchInterval: (q) => (q.state.data?.refreshAfterSeconds ?? 50) * 1000,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: 'always',
    staleTime: 0,
    gcTime: 0,
  })
  const left = useSecondsLeft(card.data?.expiresAt)
  return (
    <Loaded query={card}>
      {(c) => (
        <div className="card-qr">
          <Qr text={c.qrToken} size={208} testId="card-qr" />
          <div className="card-no" data-testid="card-no">{c.cardNo.replace(/(\d{4})(?=\d)/g, '$1 ')}</div>
          <div className="small muted">{left > 0 ? t('qrRefreshes', { s: left }) : t('qrRefreshing')}</div>
        </div>
      )}
    </Loaded>
  )
}

const ENTRIES: Array<{ to: string; label: WordKey; icon: string }> = [
  { to: '/points', label: 'points', icon: '★' },
  { to: '/coupons', label: 'coupons', icon: '✂' },
  { to: '/gifts', label: 'gifts', icon: '✿' },
  { to: '/draws', label: 'draws', icon: '❂' },
  { to: '/receipts', label: 'receipts', icon: '☰' },
  { to: '/feedback', label: 'feedback', icon: '✉' },
  { to: '/surveys', label: 'surveys', icon: '✎' },
  { to: '/events', label: 'events', icon: '☀' },
]

export const CardPage = ({ me }: { me: Me }) => {
  const { t } = useI18n()
  const { query } = useLocation()
  const meQuery = useQuery({ queryKey: ['me'], queryFn: () => call(api.GET('/api/v1/me')), initialData: me })
  const m = meQuery.data
  return (
    <Page title={t('memberCard')} testId="card-page">
      {query.get('welcome') && <Note kind="success" testId="welcome">{t('welcomeJoined')}</Note>}
      <div className="member-card">
        <div className="member-card-top">
          <div><div className="member-name">{m.nameMasked ?? t('member')}</div><div className="member-tier" data-testid="tier">{m.tier?.name ?? t('noTier')}</div></div>
          <Link to="/points" className="member-points" testId="points-balance"><b>{m.points.balance.toLocaleString('en-US')}</b><span>{t('points')}</span></Link>
        </div>
        <CardQr />
        <div className="small muted center">{t('showAtTill')}</div>
      </div>
      {m.points.expiring[0] && (
        <Note kind="info">{t('pointsExpiring', { points: m.points.expiring[0].points, date: formatDate(m.points.expiring[0].expiresOn) })}</Note>
      )}
      <Section>
        <div className="grid">
          {ENTRIES.map((e) => (
            <Link key={e.to} to={e.to} className="grid-item" testId={`entry-${e.label}`}><span className="grid-icon" aria-hidden="true">{e.icon}</span><span>{t(e.label)}</span></Link>
          ))}
        </div>
      </Section>
    </Page>
  )
}
