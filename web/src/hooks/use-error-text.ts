import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../components/errors.js'

/** errorMessage with the common namespace's t, whatever namespace the page itself uses. */
export const useErrorText = () => {
  const { t } = useTranslation()
  return useCallback((err: unknown) => errorMessage(t, err), [t])
}
