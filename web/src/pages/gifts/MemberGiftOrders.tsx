import { Typography } from 'antd'
import { useTranslation } from 'react-i18next'

// Placeholder until this tab is built.
export const MemberGiftOrders = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('gifts')
  return <Typography.Text data-member={memberId}>{t('title')}</Typography.Text>
}
