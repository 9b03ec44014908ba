import { Alert } from 'antd'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client.js'
import { errorMessage } from '../../components/errors.js'
import { fieldParts } from './basket.js'

/**
 * A refused quote or sale: what its code says, and each field in words (the basket line by its
 * number and name, the field by its label), never the API's path. The server's reason is English:
 * it is shown in English, and in Chinese the field is said to be wrong.
 */
export const ApiErrorAlert = ({ error, lineName, testId }: { error: unknown; lineName?: (index: number) => string | undefined; testId?: string }) => {
  const { t: tc } = useTranslation()
  const { t, i18n } = useTranslation('till')
  const details = error instanceof ApiError ? error.details : []
  const english = i18n.language.startsWith('en')
  const label = (field: string) => {
    const { line, name } = fieldParts(field)
    const what = name ? t(`errors.fields.${name as 'quantity'}`, { defaultValue: '' }) : ''
    const where = line === null ? '' : t('errors.line', { n: line + 1, name: lineName?.(line) ?? '' })
    return [where, what].filter(Boolean).join(' · ')
  }
  const items = details.map((d) => {
    const where = label(d.field)
    const why = english ? d.reason : t('errors.invalid')
    return where ? `${where}: ${why}` : english ? d.reason : ''
  }).filter(Boolean)
  return (
    <Alert
      type="error" showIcon data-testid={testId} title={errorMessage(tc, error)}
      description={items.length > 0 && (
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {[...new Set(items)].map((text) => <li key={text}>{text}</li>)}
        </ul>
      )}
    />
  )
}
