import { Typography } from 'antd'
import { useTranslation } from 'react-i18next'

// Placeholder until this page is built.
export default function GiftsPage() {
  const { t } = useTranslation('gifts')
  return <Typography.Title level={3}>{t('title')}</Typography.Title>
}
