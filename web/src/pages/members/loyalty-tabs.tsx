import { useTranslation } from 'react-i18next'
import type { Permission } from '../../auth/session.js'
import type { Member } from '../../shared/member-options.js'
import { PointsPanel } from './PointsPanel.js'
import { ReceiptsPanel } from './ReceiptsPanel.js'
import { TierHistory } from './TierHistory.js'
import { MemberCoupons } from '../coupons/MemberCoupons.js'
import { MemberDraws } from '../draws/MemberDraws.js'
import { MemberGiftOrders } from '../gifts/MemberGiftOrders.js'

const TabLabel = ({ tab }: { tab: 'points' | 'receipts' | 'tiers' | 'coupons' | 'giftOrders' | 'draws' }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  return <span data-testid={`member-tab-${tab}`}>{t(`tabs.${tab}`)}</span>
}

/** The member page's points, receipts, tier history, coupons, gift orders and draws tabs, each for the roles that may read it. */
export const loyaltyTabs = (member: Member, can: (p: Permission) => boolean) => [
  ...(can('loyalty.read') ? [{ key: 'points', label: <TabLabel tab="points" />, children: <PointsPanel member={member} /> }] : []),
  ...(can('receipts.read') ? [{ key: 'receipts', label: <TabLabel tab="receipts" />, children: <ReceiptsPanel memberId={member.id} /> }] : []),
  ...(can('loyalty.read') ? [{ key: 'tiers', label: <TabLabel tab="tiers" />, children: <TierHistory memberId={member.id} /> }] : []),
  ...(can('rewards.read') ? [
    { key: 'coupons', label: <TabLabel tab="coupons" />, children: <MemberCoupons memberId={member.id} /> },
    { key: 'giftOrders', label: <TabLabel tab="giftOrders" />, children: <MemberGiftOrders memberId={member.id} /> },
    { key: 'draws', label: <TabLabel tab="draws" />, children: <MemberDraws memberId={member.id} /> },
  ] : []),
]
