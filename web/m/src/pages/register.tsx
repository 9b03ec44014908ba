import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, ApiError, call } from '../api.js'
import { useI18n } from '../i18n.js'
import { navigate, useLocation } from '../router.js'
import { Button, Field, Loaded, Note, Page } from '../ui.js'
import { PhoneAndCode } from './sign-in.js'

const CHANNELS = ['sms', 'wechat', 'email', 'app_push'] as const
type Channel = (typeof CHANNELS)[number]

/**
 * The page a store's registration poster opens (/m/register?store=SH001[&clerk=…]): the number and
 * its code, the few fields, the consents (none given unless ticked); a number that is a member
 * already is signed in instead.
 */
export const RegisterPage = () => {
  const { t, errorText } = useI18n()
  const { query } = useLocation()
  const queryClient = useQueryClient()
  const store = query.get('store') ?? ''
  const clerk = query.get('clerk') ?? undefined
  const poster = useQuery({
    queryKey: ['poster', store, clerk],
    queryFn: () => call(api.GET('/api/v1/me/auth/poster', { params: { query: { store, clerk } } })),
    enabled: store !== '',
    retry: false,
  })
  const [phone, setPhone] = useState('')
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const [gender, setGender] = useState<'female' | 'male' | ''>('')
  const [birthday, setBirthday] = useState('')
  const [consents, setConsents] = useState<Record<Channel, boolean>>({ sms: false, wechat: false, email: false, app_push: false })
  const [agreed, setAgreed] = useState(false)
  const register = useMutation({
    mutationFn: () => call(api.POST('/api/v1/me/auth/register', {
      body: { phone: phone.trim(), code, store, clerk: clerk ?? null, name: name.trim() || null, gender: gender || null, birthday: birthday || null, consents },
    })),
    onSuccess: (signed) => {
      queryClient.setQueryData(['me'], signed.me)
      navigate(signed.created ? '/?welcome=1' : '/', { replace: true })
    },
  })
  const fieldError = (field: string) => (register.error instanceof ApiError ? register.error.details.find((d) => d.field === field)?.reason ?? null : null)
  if (!store) return <Page title={t('registerTitle')}><Note kind="error">{t('posterMissingStore')}</Note></Page>
  return (
    <Page title={t('registerTitle')} testId="register">
      <Loaded query={poster}>
        {(p) => (
          <>
            <div className="hero">
              <div className="hero-title">{t('joinChain', { chain: p.chainName })}</div>
              <div className="hero-sub" data-testid="poster-store">{p.store.name}{p.clerk ? ` · ${t('servedBy', { name: p.clerk.displayName })}` : ''}</div>
            </div>
            <form className="form" onSubmit={(e) => { e.preventDefault(); register.mutate() }}>
              <PhoneAndCode phone={phone} code={code} onPhone={setPhone} onCode={setCode} />
              <Field label={t('nameOptional')} error={fieldError('name')}>
                <input type="text" autoComplete="name" maxLength={64} value={name} onChange={(e) => setName(e.target.value)} data-testid="name" />
              </Field>
              <Field label={t('gender')} error={fieldError('gender')}>
                <div className="segmented" role="radiogroup">
                  {(['female', 'male'] as const).map((g) => (
                    <button type="button" key={g} role="radio" aria-checked={gender === g} className={gender === g ? 'on' : ''} onClick={() => setGender(gender === g ? '' : g)}>{t(g === 'female' ? 'female' : 'male')}</button>
                  ))}
                </div>
              </Field>
              <Field label={t('birthdayOptional')} hint={t('birthdayHint')} error={fieldError('birthday')}>
                <input type="date" value={birthday} max={new Date().toISOString().slice(0, 10)} onChange={(e) => setBirthday(e.target.value)} data-testid="birthday" />
              </Field>
              <fieldset className="checks">
                <legend>{t('consentsLegend')}</legend>
                {CHANNELS.map((c) => (
                  <label key={c} className="check">
                    <input type="checkbox" checked={consents[c]} onChange={(e) => setConsents({ ...consents, [c]: e.target.checked })} data-testid={`consent-${c}`} />
                    <span>{t(`channel_${c}`)}</span>
                  </label>
                ))}
              </fieldset>
              <label className="check">
                <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} data-testid="agree" />
                <span>{t('agreePrivacy', { chain: p.chainName })}</span>
              </label>
              {register.error && <Note kind="error">{errorText(register.error)}</Note>}
              <Button kind="primary" block type="submit" loading={register.isPending} disabled={!agreed || code.length !== 6} data-testid="register-submit">{t('registerSubmit')}</Button>
            </form>
          </>
        )}
      </Loaded>
    </Page>
  )
}
