import { Typography } from 'antd'
import { useTranslation } from 'react-i18next'

// Placeholder until this tab is built.
export const MemberCoupons = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('coupons')
  return <Typography.Text data-member={memberId}>{t('title')}</Typography.Text>
}
