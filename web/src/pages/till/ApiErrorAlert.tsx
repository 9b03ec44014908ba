import { Alert } from 'antd'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client.js'
import { errorMessage } from '../../components/errors.js'
import { lineOfField } from './basket.js'

/**
 * A refused quote or sale: what its code says, and each field's reason from the server, with
 * `lines[i]` named by the basket line it is about.
 */
export const ApiErrorAlert = ({ error, lineName, testId }: { error: unknown; lineName?: (index: number) => string | undefined; testId?: string }) => {
  const { t: tc } = useTranslation()
  const { t } = useTranslation('till')
  const details = error instanceof ApiError ? error.details : []
  const label = (field: string) => {
    const line = lineOfField(field)
    if (line === null) return field
    const rest = field.replace(/^lines\[\d+\]\.?/, '')
    return `${t('errors.line', { n: line + 1, name: lineName?.(line) ?? '' })}${rest ? ` · ${rest}` : ''}`
  }
  return (
    <Alert
      type="error" showIcon data-testid={testId} title={errorMessage(tc, error)}
      description={details.length > 0 && (
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {details.map((d, i) => <li key={i}>{label(d.field)}: {d.reason}</li>)}
        </ul>
      )}
    />
  )
}
