import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { api, ApiError, call, type GetOk } from '../api.js'
import { formatDate, useI18n, type WordKey } from '../i18n.js'
import { OPTIONS, type OptionField } from '../options.js'
import { navigate, useLocation } from '../router.js'
import { Button, Field, Loaded, Note, Page, Row, Section, toast } from '../ui.js'

type Profile = GetOk<'/api/v1/me/profile'>
type Editable = Profile['editable'][number]
type Draft = Partial<Record<Editable, string>>

const isWeChat = () => /MicroMessenger/i.test(navigator.userAgent)

/**
 * The member's profile: the fields the chain lets them change (the phone is changed at the desk),
 * and WeChat: bound in WeChat's own browser through its authorisation of the chain's official
 * account (the server learns the OpenID from WeChat, never from the page).
 */
const ProfileForm = ({ profile }: { profile: Profile }) => {
  const { t, lang, errorText } = useI18n()
  const queryClient = useQueryClient()
  // A saved profile comes back as a new form (keyed by when it was read), its values the starting point.
  const [draft, setDraft] = useState<Draft>(() => Object.fromEntries(profile.editable.map((f) => [f, (profile[f] as string | null) ?? ''])) as Draft)
  const save = useMutation({
    mutationFn: () => {
      const changed = Object.fromEntries(profile.editable.filter((f) => (draft[f] ?? '') !== ((profile[f] as string | null) ?? '')).map((f) => [f, draft[f]?.trim() || null]))
      return call(api.PATCH('/api/v1/me/profile', { body: changed }))
    },
    onSuccess: (next) => { queryClient.setQueryData(['profile'], next); void queryClient.invalidateQueries({ queryKey: ['me'] }); toast(t('saved')) },
  })
  const dirty = profile.editable.some((f) => (draft[f] ?? '') !== ((profile[f] as string | null) ?? ''))
  const fieldError = (f: string) => (save.error instanceof ApiError ? save.error.details.find((d) => d.field === f)?.reason ?? null : null)
  const input = (f: Editable) => {
    const value = draft[f] ?? ''
    const set = (v: string) => setDraft({ ...draft, [f]: v })
    if (f === 'gender' || f in OPTIONS) {
      const choices = f === 'gender' ? OPTIONS.gender : OPTIONS[f as OptionField]
      return (
        <select value={value} onChange={(e) => set(e.target.value)} data-testid={`profile-${f}`}>
          <option value="">{t('notSaying')}</option>
          {Object.entries(choices).map(([k, words]) => <option key={k} value={k}>{words[lang]}</option>)}
        </select>
      )
    }
    if (f === 'birthday') return <input type="date" value={value} onChange={(e) => set(e.target.value)} data-testid="profile-birthday" />
    return <input type={f === 'email' ? 'email' : 'text'} value={value} maxLength={f === 'email' ? 254 : 100} onChange={(e) => set(e.target.value)} data-testid={`profile-${f}`} />
  }
  return (
    <form className="form" onSubmit={(e) => { e.preventDefault(); save.mutate() }} data-testid="profile-form">
      {profile.editable.map((f) => <Field key={f} label={t(`field_${f}` as WordKey)} error={fieldError(f)}>{input(f)}</Field>)}
      {save.error && <Note kind="error">{errorText(save.error)}</Note>}
      <Button kind="primary" block type="submit" loading={save.isPending} disabled={!dirty} data-testid="profile-save">{t('save')}</Button>
    </form>
  )
}

const WeChatBinding = ({ profile }: { profile: Profile }) => {
  const { t, errorText } = useI18n()
  const { query } = useLocation()
  const queryClient = useQueryClient()
  const done = () => { void queryClient.invalidateQueries({ queryKey: ['profile'] }); toast(t('saved')) }
  // Tapped: to WeChat's authorisation of the chain's account, which comes back here with a code.
  const authorize = useMutation({ mutationFn: () => call(api.GET('/api/v1/me/wechat/authorize')), onSuccess: ({ url }) => window.location.assign(url) })
  const bind = useMutation({ mutationFn: (input: { code: string; state: string }) => call(api.POST('/api/v1/me/wechat', { body: input })), onSuccess: done })
  const unbind = useMutation({ mutationFn: () => call(api.DELETE('/api/v1/me/wechat')), onSuccess: done })
  const back = useRef(false)
  useEffect(() => {
    const code = query.get('code')
    const state = query.get('state')
    if (back.current || !code || !state) return
    back.current = true
    // The code works once: taken off the address at once, so a reload does not send it again.
    navigate('/profile', { replace: true })
    bind.mutate({ code, state })
  }, [query, bind])
  const error = authorize.error ?? bind.error ?? unbind.error
  return (
    <Section title={t('wechat')} testId="wechat">
      {profile.wechat.bound ? (
        <Row title={t('wechatBound')} extra={<Button kind="link" loading={unbind.isPending} onClick={() => unbind.mutate()}>{t('wechatUnbind')}</Button>} />
      ) : isWeChat() ? (
        <Button kind="primary" block loading={authorize.isPending || bind.isPending} onClick={() => authorize.mutate()} data-testid="wechat-bind">{t('wechatBind')}</Button>
      ) : (
        <p className="small muted">{t('wechatHow')}</p>
      )}
      {error && <Note kind="error">{errorText(error)}</Note>}
    </Section>
  )
}

export const ProfilePage = () => {
  const { t } = useI18n()
  const profile = useQuery({ queryKey: ['profile'], queryFn: () => call(api.GET('/api/v1/me/profile')) })
  return (
    <Page title={t('profile')} back="/mine" testId="profile-page">
      <Loaded query={profile}>
        {(p) => (
          <>
            <Section>
              <div className="list">
                <Row title={t('cardNoLabel')} extra={p.cardNo} />
                <Row title={t('phone')} extra={p.phone ?? '—'} sub={t('phoneAtDesk')} />
                <Row title={t('joined')} extra={formatDate(p.registeredAt)} sub={p.registrationStoreName ?? undefined} />
              </div>
            </Section>
            <ProfileForm key={profile.dataUpdatedAt} profile={p} />
            <WeChatBinding profile={p} />
          </>
        )}
      </Loaded>
    </Page>
  )
}
