import { Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import { STATUS_COLORS, type MemberStatus } from '../shared/member-options.js'

export const MemberStatusTag = ({ status }: { status: MemberStatus }) => {
  const { t } = useTranslation('members')
  return <Tag color={STATUS_COLORS[status]} data-testid="member-status">{t(`statuses.${status}`)}</Tag>
}
