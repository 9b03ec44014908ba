import { Card } from 'antd'
import { useTranslation } from 'react-i18next'

/** Placeholder until the page is built. */
export default function TicketsPage() {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  return <Card title={t('title')} />
}
