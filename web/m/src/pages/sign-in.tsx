import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api, ApiError, call } from '../api.js'
import { useI18n } from '../i18n.js'
import { navigate } from '../router.js'
import { Button, Field, Note, Page, toast } from '../ui.js'

/** The number and its six-digit code, with the button that sends the code and waits before a resend. */
export const PhoneAndCode = ({ phone, code, onPhone, onCode }: { phone: string; code: string; onPhone: (v: string) => void; onCode: (v: string) => void }) => {
  const { t, errorText } = useI18n()
  const [wait, setWait] = useState(0)
  useEffect(() => {
    if (wait <= 0) return
    const timer = setTimeout(() => setWait((w) => w - 1), 1000)
    return () => clearTimeout(timer)
  }, [wait])
  const send = useMutation({
    mutationFn: () => call(api.POST('/api/v1/me/auth/code', { body: { phone: phone.trim() } })),
    onSuccess: (sent) => {
      setWait(sent.resendAfterSeconds)
      toast(t('codeSent', { to: sent.sentTo }))
    },
  })
  return (
    <>
      <Field label={t('phone')}>
        <input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} value={phone} onChange={(e) => onPhone(e.target.value)} placeholder={t('phonePlaceholder')} data-testid="phone" />
      </Field>
      <Field label={t('code')} error={send.error ? errorText(send.error) : null}>
        <div className="inline">
          <input type="text" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => onCode(e.target.value.replace(/\D/g, ''))} placeholder={t('codePlaceholder')} data-testid="code" />
          <Button onClick={() => send.mutate()} loading={send.isPending} disabled={wait > 0 || phone.trim().length < 11} data-testid="send-code">
            {wait > 0 ? t('resendIn', { s: wait }) : t('sendCode')}
          </Button>
        </div>
      </Field>
    </>
  )
}

export const SignInPage = () => {
  const { t, errorText } = useI18n()
  const queryClient = useQueryClient()
  const [phone, setPhone] = useState('')
  const [code, setCode] = useState('')
  const login = useMutation({
    mutationFn: () => call(api.POST('/api/v1/me/auth/login', { body: { phone: phone.trim(), code } })),
    onSuccess: (signed) => {
      queryClient.setQueryData(['me'], signed.me)
      navigate('/', { replace: true })
    },
  })
  const notMember = login.error instanceof ApiError && login.error.code === 'MEMBER_NOT_REGISTERED'
  return (
    <Page title={t('signInTitle')} testId="sign-in">
      <div className="hero"><div className="hero-title">{t('welcome')}</div><div className="hero-sub">{t('signInHint')}</div></div>
      <form className="form" onSubmit={(e) => { e.preventDefault(); login.mutate() }}>
        <PhoneAndCode phone={phone} code={code} onPhone={setPhone} onCode={setCode} />
        {login.error && !notMember && <Note kind="error">{errorText(login.error)}</Note>}
        {notMember && <Note kind="info" testId="not-member">{t('notMemberYet')}</Note>}
        <Button kind="primary" block type="submit" loading={login.isPending} disabled={code.length !== 6} data-testid="sign-in-submit">{t('signIn')}</Button>
      </form>
    </Page>
  )
}
