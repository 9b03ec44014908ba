import { Alert, Button, Result } from 'antd'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/client.js'
import { errorMessage } from './errors.js'

/** A failed load: what went wrong and a retry, never a blank page. */
export const ErrorResult = ({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) => {
  const { t } = useTranslation()
  const message = errorMessage(t, error)
  const retry = onRetry ? <Button onClick={onRetry}>{t('actions.retry')}</Button> : null
  if (compact) return <Alert type="error" showIcon title={message} action={retry} />
  const status = error instanceof ApiError && error.status === 403 ? '403' : error instanceof ApiError && error.status === 404 ? '404' : 'error'
  return <Result status={status} title={t('status.loadFailed')} subTitle={message} extra={retry} />
}
