import { Alert } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiQuery } from '../../api/query.js'

/** A merged record points at the member it became; the link names that member's card when it can be read. */
export const MergedNotice = ({ survivorId }: { survivorId: string }) => {
  const { t } = useTranslation('members')
  const cardNo = useApiQuery('/api/v1/members/{id}', { params: { path: { id: survivorId } } }).data?.cardNo ?? null

  return (
    <Alert
      type="warning" showIcon title={t('detail.mergedInto')} data-testid="member-merged-notice"
      description={<Link to={`/members/${survivorId}`} data-testid="member-merged-link">{t('detail.openSurvivor', { cardNo: cardNo ?? survivorId })}</Link>}
    />
  )
}
