import { Card } from 'antd'
import { useTranslation } from 'react-i18next'

/** Placeholder until the page is built. */
export default function SurveysPage() {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  return <Card title={t('title')} />
}
