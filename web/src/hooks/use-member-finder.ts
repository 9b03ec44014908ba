import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../api/client.js'
import { lookupKey, nameQuery } from '../shared/lookup-key.js'
import type { Member } from '../shared/member-options.js'
import { useErrorText } from './use-error-text.js'

const INVALID_KEY_MESSAGES = { phone: 'search.invalidPhone', idNumber: 'search.invalidIdNumber', email: 'search.invalidEmail' } as const

/** A format the server rejected says which key was wrong; not found, a bad card check digit etc. come from errors.<CODE>. */
const invalidKeyMessage = (t: TFunction<'members'>, err: unknown): string | null => {
  const field = err instanceof ApiError && err.code === 'VALIDATION' ? err.details[0]?.field : undefined
  return field && field in INVALID_KEY_MESSAGES ? t(INVALID_KEY_MESSAGES[field as keyof typeof INVALID_KEY_MESSAGES]) : null
}

/**
 * Finds a member from whatever staff typed (phone, card, ID number, email): the member, or
 * null with `error` saying why in the user's language.
 */
export const useMemberFinder = () => {
  const { t } = useTranslation('members')
  const errorText = useErrorText()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const find = async (query: string): Promise<Member | null> => {
    const key = lookupKey(query)
    if (!key) {
      setError(t('search.unrecognized'))
      return null
    }
    setBusy(true)
    setError(null)
    try {
      return await call(api.POST('/api/v1/members/lookup', { body: key }))
    } catch (err) {
      setError(invalidKeyMessage(t, err) ?? errorText(err))
      return null
    } finally {
      setBusy(false)
    }
  }

  /**
   * Like find, and a full name finds every member of that name (people share names): the
   * members found (one for a phone, card or ID number), or null with `error` saying why.
   */
  const search = async (query: string): Promise<Member[] | null> => {
    const name = lookupKey(query) ? null : nameQuery(query)
    if (!name) {
      const member = await find(query)
      return member ? [member] : null
    }
    setBusy(true)
    setError(null)
    try {
      const { items } = await call(api.POST('/api/v1/members/name-search', { body: { name } }))
      if (items.length === 0) setError(t('search.noNameMatch', { name }))
      return items.length ? items : null
    } catch (err) {
      setError(errorText(err))
      return null
    } finally {
      setBusy(false)
    }
  }

  return { find, search, error, busy, clear: () => setError(null) }
}
