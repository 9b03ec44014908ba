import { Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import { STATUS_COLORS, type MemberStatus } from './member-options.js'

export const StatusTag = ({ status }: { status: MemberStatus }) => {
  const { t } = useTranslation('members')
  return <Tag color={STATUS_COLORS[status]} data-testid="member-status">{t(`statuses.${status}`)}</Tag>
}
