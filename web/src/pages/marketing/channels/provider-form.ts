import type { TFunction } from 'i18next'
import { ApiError, type Schemas } from '../../../api/client.js'

// The provider form: a channel's kind, whether it is on, and the kind's settings as the API
// describes them (GET /marketing/providers: fields by kind). Secrets never come back: a secret
// field starts blank, and blank keeps the stored one.

export type Provider = Schemas['MessageProvider']
export type ProviderKind = Provider['kind']
export type ProviderField = Provider['fields'][string][number]
export type SettingValue = string | number | boolean | null | undefined

export interface ProviderFormValues {
  kind: ProviderKind
  enabled: boolean
  settings: Record<string, SettingValue>
}

export interface ProviderBody {
  kind: ProviderKind
  enabled: boolean
  settings: Record<string, string | number | boolean | null>
}

export const fieldsOf = (p: Provider, kind: ProviderKind): ProviderField[] => p.fields[kind] ?? []

/** Whether a secret is stored for the field: only a secret of the provider's own kind is kept. */
export const isSecretSet = (p: Provider, kind: ProviderKind, name: string): boolean => p.kind === kind && p.hasSecret[name] === true

/** The form's settings for a kind: the stored ones for the provider's own kind, else the defaults; secrets blank. */
export const settingsFor = (p: Provider, kind: ProviderKind): Record<string, SettingValue> =>
  Object.fromEntries(fieldsOf(p, kind).map((f) => {
    if (f.secret) return [f.name, undefined]
    const v = kind === p.kind && f.name in p.settings ? p.settings[f.name] : f.default
    return [f.name, v ?? undefined]
  }))

export const providerToValues = (p: Provider): ProviderFormValues => ({ kind: p.kind, enabled: p.enabled, settings: settingsFor(p, p.kind) })

/** The PUT body: text trimmed (blank is null, the field's default), secrets left blank left out. */
export const toProviderBody = (p: Provider, v: ProviderFormValues): ProviderBody => {
  const settings: ProviderBody['settings'] = {}
  for (const f of fieldsOf(p, v.kind)) {
    const value = v.settings?.[f.name]
    if (f.secret) {
      const s = typeof value === 'string' ? value.trim() : ''
      if (s) settings[f.name] = s
    } else if (f.type === 'boolean') settings[f.name] = typeof value === 'boolean' ? value : f.default === true
    else if (f.type === 'port') settings[f.name] = typeof value === 'number' ? value : null
    else settings[f.name] = typeof value === 'string' && value.trim() ? value.trim() : null
  }
  return { kind: v.kind, enabled: v.enabled, settings }
}

/** Whether saving starts sending for real: the channel kept messages here (sandbox or off) and will not. */
export const startsSending = (p: Provider, v: Pick<ProviderFormValues, 'kind' | 'enabled'>): boolean =>
  (p.kind === 'sandbox' || !p.enabled) && v.kind !== 'sandbox' && v.enabled

/** The server's reason for a setting (provider-settings.ts), in the user's language; one not known as sent. */
export const settingReason = (t: TFunction<'marketing', 'channels'>, reason: string): string => {
  if (reason === 'required' || reason === 'empty') return t('form.reasons.required')
  if (reason.startsWith('must be an http(s) URL')) return t('form.reasons.url')
  if (reason.startsWith('must be a port number')) return t('form.reasons.port')
  if (reason.startsWith('must be an email address')) return t('form.reasons.email')
  if (reason.startsWith('must be one of')) return t('form.reasons.choice')
  if (reason.startsWith('not a setting of')) return t('form.reasons.unknown')
  const long = /^must be at most (\d+) characters$/.exec(reason)
  if (long) return t('form.reasons.tooLong', { max: Number(long[1]) })
  return reason
}

/** A 422's details with their reasons in the user's language, for the fields they name (settings.url, kind). */
export const localizeProviderError = (t: TFunction<'marketing', 'channels'>, err: unknown): unknown => {
  if (!(err instanceof ApiError) || err.details.length === 0 || err.status !== 422) return err
  return new ApiError(err.status, err.code, err.message, err.details.map((d) => ({ ...d, reason: settingReason(t, d.reason) })))
}

/** Where the provider posts its delivery receipts (the public callback), for its console. */
export const receiptUrl = (origin: string, kind: ProviderKind): string | null =>
  kind === 'sandbox' || kind === 'smtp' ? null : `${origin}/api/v1/public/marketing/receipts/${kind}`
