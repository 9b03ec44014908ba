import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, call, type Me } from '../api.js'
import { formatDate, useI18n, type WordKey } from '../i18n.js'
import { navigate } from '../router.js'
import { Button, Field, Loaded, Note, Page, Row, Section, Sheet, toast } from '../ui.js'

/** 我的: profile, preferences and consents, feedback, personal data, language, signing out. */
export const MinePage = ({ me }: { me: Me }) => {
  const { t, lang, setLang } = useI18n()
  const signOut = useMutation({
    mutationFn: (everywhere: boolean) => everywhere ? call(api.POST('/api/v1/me/auth/logout-everywhere')) : call(api.POST('/api/v1/me/auth/logout')),
    onSuccess: () => { navigate('/', { replace: true }); window.dispatchEvent(new Event('patron:signed-out')) },
  })
  return (
    <Page title={t('tabMine')} testId="mine-page">
      <div className="hero hero-left"><div className="hero-title">{me.nameMasked ?? t('member')}</div><div className="hero-sub">{me.tier?.name ?? t('noTier')} · {t('cardNo', { no: me.cardNo })}</div></div>
      <Section>
        <div className="list">
          <Row title={t('profile')} to="/profile" testId="mine-profile" />
          <Row title={t('consents')} to="/consents" testId="mine-consents" />
          <Row title={t('giftOrders')} to="/gifts?tab=orders" />
          <Row title={t('feedback')} to="/feedback" testId="mine-feedback" />
          <Row title={t('surveys')} to="/surveys" testId="mine-surveys" />
          <Row title={t('events')} to="/events" />
          <Row title={t('personalData')} to="/privacy" testId="mine-privacy" />
        </div>
      </Section>
      <Section>
        <div className="list">
          <Row title={t('language')} extra={
            <div className="segmented small-seg">
              <button type="button" className={lang === 'zh-CN' ? 'on' : ''} onClick={() => setLang('zh-CN')}>中文</button>
              <button type="button" className={lang === 'en-US' ? 'on' : ''} onClick={() => setLang('en-US')}>English</button>
            </div>} />
        </div>
      </Section>
      <div className="stack">
        <Button block onClick={() => signOut.mutate(false)} loading={signOut.isPending} data-testid="sign-out">{t('signOut')}</Button>
        <Button block kind="link" onClick={() => signOut.mutate(true)}>{t('signOutEverywhere')}</Button>
      </div>
    </Page>
  )
}

type Channel = 'sms' | 'wechat' | 'email' | 'app_push' | 'phone_call'

/** Consent per channel, one tap each (recorded as given on the member page). */
export const ConsentsPage = () => {
  const { t, errorText } = useI18n()
  const queryClient = useQueryClient()
  const consents = useQuery({ queryKey: ['consents'], queryFn: () => call(api.GET('/api/v1/me/consents')) })
  // The switch moves at the tap (set within the tap's own event), back if the change is refused.
  const [tapped, setTapped] = useState<Partial<Record<Channel, boolean>>>({})
  const change = useMutation({
    mutationFn: (input: { channel: Channel; granted: boolean }) => call(api.PUT('/api/v1/me/consents', { body: input })),
    onSuccess: (next) => { queryClient.setQueryData(['consents'], next); toast(t('saved')) },
    onSettled: (_data, _err, input) => setTapped(({ [input.channel]: _, ...rest }) => rest),
  })
  return (
    <Page title={t('consents')} back="/mine" testId="consents-page">
      <p className="small muted pad">{t('consentsExplain')}</p>
      {change.error && <Note kind="error">{errorText(change.error)}</Note>}
      <Loaded query={consents}>
        {(list) => (
          <div className="list">
            {list.map((c) => (
              <Row key={c.channel} title={t(`channel_${c.channel}` as WordKey)} sub={c.changedAt ? t('changedOn', { date: formatDate(c.changedAt) }) : t('neverAsked')}
                extra={
                  <label className="switch">
                    <input type="checkbox" role="switch" checked={tapped[c.channel] ?? c.granted} disabled={change.isPending} data-testid={`consent-${c.channel}`}
                      onChange={(e) => {
                        setTapped({ ...tapped, [c.channel]: e.target.checked })
                        change.mutate({ channel: c.channel, granted: e.target.checked })
                      }} />
                    <span />
                  </label>} />
            ))}
          </div>
        )}
      </Loaded>
    </Page>
  )
}

/** My personal data: download everything Patron holds on me; close my account. */
export const PrivacyPage = () => {
  const { t, errorText } = useI18n()
  const [closing, setClosing] = useState(false)
  const [reason, setReason] = useState('')
  const close = useMutation({ mutationFn: () => call(api.POST('/api/v1/me/close-account', { body: { reason: reason.trim() || null } })) })
  return (
    <Page title={t('personalData')} back="/mine" testId="privacy-page">
      <Section title={t('downloadTitle')}>
        <p className="small muted">{t('downloadExplain')}</p>
        <a className="btn btn-primary btn-block" href="/api/v1/me/personal-data.zip" download data-testid="download-data">{t('download')}</a>
      </Section>
      <Section title={t('closeTitle')}>
        {close.data
          ? <Note kind="success" testId="close-requested">{t('closeRequested', { date: formatDate(close.data.dueAt) })}</Note>
          : <><p className="small muted">{t('closeExplain')}</p><Button block kind="danger" onClick={() => setClosing(true)} data-testid="close-account">{t('closeAccount')}</Button></>}
      </Section>
      <Sheet open={closing && !close.data} onClose={() => setClosing(false)} title={t('closeAccount')}>
        <p>{t('closeConfirm')}</p>
        <Field label={t('reasonOptional')}><textarea maxLength={500} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} /></Field>
        {close.error && <Note kind="error">{errorText(close.error)}</Note>}
        <Button block kind="danger" loading={close.isPending} onClick={() => close.mutate()} data-testid="close-confirm">{t('closeAccountConfirm')}</Button>
      </Sheet>
    </Page>
  )
}
