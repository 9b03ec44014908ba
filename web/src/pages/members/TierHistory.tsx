import { Card, Skeleton, Table, Tag, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import { useTiers } from '../../hooks/use-tiers.js'

type Change = GetData<'/api/v1/members/{id}/tier-history'>[number]

const REASON_COLORS: Record<string, string> = { initial: 'default', upgrade: 'green', downgrade: 'orange', manual: 'purple' }
const REASONS = ['initial', 'upgrade', 'downgrade', 'manual'] as const

/** Every tier the member reached or lost, newest first, with what qualified them. */
export const TierHistory = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { tierName } = useTiers()
  const { data: changes, error, refetch } = useApiQuery('/api/v1/members/{id}/tier-history', { params: { path: { id: memberId } } })
  const { data: policy } = useApiQuery('/api/v1/loyalty/policy')

  // The qualifying value is spend (fen) or points, as the policy counts tiers.
  const qualifying = (v: number) => (policy?.tierBasis === 'points' ? t('tiers.pointsValue', { points: formatCount(v) }) : formatMoney(v))
  const columns: TableColumnsType<Change> = [
    { title: t('tiers.time'), dataIndex: 'at', width: 160, render: (at: string) => formatDateTime(at, tz) },
    { title: t('tiers.from'), dataIndex: 'fromTier', render: (c: string | null) => (c ? <Tag>{tierName(c)}</Tag> : '—') },
    { title: t('tiers.to'), dataIndex: 'toTier', render: (c: string) => <Tag color="gold">{tierName(c)}</Tag> },
    {
      title: t('tiers.reason'), dataIndex: 'reason',
      render: (r: string) => <Tag color={REASON_COLORS[r]}>{(REASONS as readonly string[]).includes(r) ? t(`tiers.reasons.${r as (typeof REASONS)[number]}`) : r}</Tag>,
    },
    { title: t('tiers.qualifying'), dataIndex: 'qualifyingValue', align: 'right', render: qualifying },
  ]

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} compact />

  if (!changes) return <Skeleton active />
  return (
    <Card variant="borderless">
      <Table rowKey="id" size="small" columns={columns} dataSource={changes} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="tier-history" locale={{ emptyText: t('tiers.empty') }} />
    </Card>
  )
}
