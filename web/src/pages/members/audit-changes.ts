import type { TFunction } from 'i18next'
import { consentSource } from './consent-source.js'
import { CHANNELS, CONSENT_CHANNELS, EDUCATIONS, GENDERS, INCOME_BANDS, OCCUPATIONS, STATUSES } from './member-options.js'

const REDACTED = '[redacted]'

/** Enum-valued keys of audit changes and the translation list each value comes from. */
const ENUM_KEYS: Record<string, { prefix: string; values: readonly string[] }> = {
  gender: { prefix: 'genders', values: GENDERS },
  occupation: { prefix: 'occupations', values: OCCUPATIONS },
  education: { prefix: 'educations', values: EDUCATIONS },
  incomeBand: { prefix: 'incomeBands', values: INCOME_BANDS },
  status: { prefix: 'statuses', values: STATUSES },
}

const isFromTo = (v: unknown): v is { from: unknown; to: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && 'from' in v && 'to' in v

/**
 * An audit entry's changes as lines a person reads ("手机号: （已隐去） → （已隐去）",
 * "渠道: 短信"). Labels and values are translated where known and shown raw otherwise.
 */
export const describeChanges = (t: TFunction<'members'>, tc: TFunction, action: string, changes: Record<string, unknown> | null): string[] => {
  if (!changes) return []
  const isConsent = action.startsWith('member.consent')
  const tr = (key: string, raw: string) => (t(key as never, { defaultValue: '' }) as string) || raw
  const label = (k: string, parent?: string): string => {
    if (parent === 'consents') return tr(`consentChannels.${k}`, k)
    if (parent === 'moves') return tr(`merge.moveKinds.${k}`, k)
    // audit.keys first: an audit entry's 'channel' is a plain channel, not the registration one.
    return tr(`audit.keys.${k}`, '') || tr(`fields.${k}`, k)
  }
  const value = (k: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—'
    if (v === REDACTED) return t('audit.redacted')
    if (typeof v === 'boolean') return v ? tc('yes') : tc('no')
    if (Array.isArray(v)) return v.map((x) => (k === 'fields' || k === 'fieldsFilled' ? label(String(x)) : value(k, x))).join(t('audit.listSeparator'))
    if (typeof v === 'object') return Object.entries(v).map(([k2, v2]) => `${label(k2, k)} ${value(k2, v2)}`).join(t('audit.pairSeparator'))
    const s = String(v)
    // A consent change's channel is a messaging channel; a registration's, where it happened.
    if (k === 'channel' && isConsent && (CONSENT_CHANNELS as string[]).includes(s)) return tr(`consentChannels.${s}`, s)
    if (k === 'channel' && (CHANNELS as string[]).includes(s)) return tr(`channels.${s}`, s)
    if (k === 'source' && isConsent) return consentSource(t, tc, s)
    const e = ENUM_KEYS[k]
    if (e?.values.includes(s)) return tr(`${e.prefix}.${s}`, s)
    return s
  }
  return Object.entries(changes).map(([k, v]) => (isFromTo(v) ? `${label(k)}: ${value(k, v.from)} → ${value(k, v.to)}` : `${label(k)}: ${value(k, v)}`))
}
