import { Alert } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../api/client.js'

/** A merged record points at the member it became; the link names that member's card when it can be read. */
export const MergedNotice = ({ survivorId }: { survivorId: string }) => {
  const { t } = useTranslation('members')
  const [cardNo, setCardNo] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    call(api.GET('/api/v1/members/{id}', { params: { path: { id: survivorId } } })).then((m) => live && setCardNo(m.cardNo), () => undefined)
    return () => {
      live = false
    }
  }, [survivorId])
  return (
    <Alert
      type="warning" showIcon title={t('detail.mergedInto')} data-testid="member-merged-notice"
      description={<Link to={`/members/${survivorId}`} data-testid="member-merged-link">{t('detail.openSurvivor', { cardNo: cardNo ?? survivorId })}</Link>}
    />
  )
}
