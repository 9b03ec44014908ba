import { useEffect, useMemo, useState, type ButtonHTMLAttributes, type ReactNode } from 'react'
import { renderSVG } from 'uqr'
import { useI18n, type WordKey } from './i18n.js'
import { Link, navigate, useLocation } from './router.js'

/** A page: its title bar (with a way back unless it is a tab's top page) and its content. */
export const Page = ({ title, back, children, testId }: { title: string; back?: string; children: ReactNode; testId?: string }) => (
  <div className="page" data-testid={testId}>
    <header className="bar">
      {back !== undefined && <button type="button" className="bar-back" aria-label="back" onClick={() => (window.history.length > 1 ? window.history.back() : navigate(back))}>‹</button>}
      <h1>{title}</h1>
    </header>
    <main className="content">{children}</main>
  </div>
)

export const Section = ({ title, extra, children, testId }: { title?: ReactNode; extra?: ReactNode; children: ReactNode; testId?: string }) => (
  <section className="section" data-testid={testId}>
    {(title || extra) && <div className="section-head"><h2>{title}</h2>{extra}</div>}
    {children}
  </section>
)

export const Button = ({ kind = 'default', loading, children, block, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { kind?: 'primary' | 'default' | 'danger' | 'link'; loading?: boolean; block?: boolean }) => (
  <button type="button" {...rest} className={`btn btn-${kind}${block ? ' btn-block' : ''} ${rest.className ?? ''}`} disabled={rest.disabled || loading} aria-busy={loading || undefined}>
    {loading ? '…' : children}
  </button>
)

export const Field = ({ label, hint, error, children }: { label: ReactNode; hint?: ReactNode; error?: string | null; children: ReactNode }) => (
  <label className={`field${error ? ' field-error' : ''}`}>
    <span className="field-label">{label}</span>
    {children}
    {hint && <span className="field-hint">{hint}</span>}
    {error && <span className="field-message" role="alert">{error}</span>}
  </label>
)

export const Note = ({ kind = 'info', children, testId }: { kind?: 'info' | 'error' | 'success'; children: ReactNode; testId?: string }) => (
  <div className={`note note-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>{children}</div>
)

export const Loading = () => {
  const { t } = useI18n()
  return <div className="loading" aria-busy="true">{t('loading')}</div>
}

export const Empty = ({ children }: { children: ReactNode }) => <div className="empty">{children}</div>

/** What a query shows while it loads or when it failed; its data otherwise. */
export const Loaded = <D,>({ query, children }: { query: { data?: D; error: unknown; isPending: boolean }; children: (data: D) => ReactNode }) => {
  const { errorText } = useI18n()
  if (query.error) return <Note kind="error">{errorText(query.error)}</Note>
  if (query.isPending || query.data === undefined) return <Loading />
  return <>{children(query.data)}</>
}

/** A QR code drawn as SVG on the phone (nothing sent anywhere to draw it). */
export const Qr = ({ text, size = 200, testId }: { text: string; size?: number; testId?: string }) => {
  const svg = useMemo(() => renderSVG(text, { ecc: 'M', border: 2 }), [text])
  return <div className="qr" style={{ width: size, height: size }} data-testid={testId} data-qr={text} role="img" aria-label="QR" dangerouslySetInnerHTML={{ __html: svg }} />
}

/** A panel over the page (a coupon's QR, a confirmation). */
export const Sheet = ({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode }) => {
  const { t } = useI18n()
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose() }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open, onClose])
  if (!open) return null
  return (
    <div className="sheet-mask" onClick={onClose}>
      <div className="sheet" role="dialog" aria-modal="true" onClick={(e) => e.stopPropagation()}>
        <div className="sheet-head"><h2>{title}</h2><button type="button" className="btn btn-link" onClick={onClose}>{t('close')}</button></div>
        {children}
      </div>
    </div>
  )
}

/** A message that shows for a few seconds at the bottom (a saved change, a sent code). */
export const toast = (text: string) => window.dispatchEvent(new CustomEvent('patron:toast', { detail: text }))
export const Toaster = () => {
  const [text, setText] = useState<string | null>(null)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const show = (e: Event) => {
      setText((e as CustomEvent<string>).detail)
      clearTimeout(timer)
      timer = setTimeout(() => setText(null), 2500)
    }
    window.addEventListener('patron:toast', show)
    return () => { window.removeEventListener('patron:toast', show); clearTimeout(timer) }
  }, [])
  return text ? <div className="toast" role="status" data-testid="toast">{text}</div> : null
}

const TABS: Array<{ to: string; label: WordKey; icon: string }> = [
  { to: '/', label: 'tabCard', icon: '▣' },
  { to: '/coupons', label: 'tabCoupons', icon: '✂' },
  { to: '/receipts', label: 'tabReceipts', icon: '☰' },
  { to: '/mine', label: 'tabMine', icon: '☺' },
]
export const TabBar = () => {
  const { t } = useI18n()
  const { path } = useLocation()
  return (
    <nav className="tabbar">
      {TABS.map((tab) => (
        <Link key={tab.to} to={tab.to} className={`tab${path === tab.to ? ' tab-active' : ''}`} testId={`tab-${tab.label}`}>
          <span className="tab-icon" aria-hidden="true">{tab.icon}</span>
          <span>{t(tab.label)}</span>
        </Link>
      ))}
    </nav>
  )
}

/** A row of a list that opens something (a page, a sheet). */
export const Row = ({ title, extra, sub, to, onClick, testId }: { title: ReactNode; extra?: ReactNode; sub?: ReactNode; to?: string; onClick?: () => void; testId?: string }) => {
  const body = (
    <>
      <div className="row-main"><div className="row-title">{title}</div>{sub && <div className="row-sub">{sub}</div>}</div>
      {extra !== undefined && <div className="row-extra">{extra}</div>}
      {(to || onClick) && <span className="row-arrow" aria-hidden="true">›</span>}
    </>
  )
  if (to) return <Link to={to} className="row row-link" testId={testId}>{body}</Link>
  if (onClick) return <button type="button" className="row row-link" data-testid={testId} onClick={onClick}>{body}</button>
  return <div className="row" data-testid={testId}>{body}</div>
}
