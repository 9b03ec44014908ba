import { Card, Skeleton, Table, Tag, type TableColumnsType } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import { useTiers } from '../../hooks/use-tiers.js'

type Change = paths['/api/v1/members/{id}/tier-history']['get']['responses']['200']['content']['application/json'][number]
type Policy = paths['/api/v1/loyalty/policy']['get']['responses']['200']['content']['application/json']

const REASON_COLORS: Record<string, string> = { initial: 'default', upgrade: 'green', downgrade: 'orange', manual: 'purple' }
const REASONS = ['initial', 'upgrade', 'downgrade', 'manual'] as const

/** Every tier the member reached or lost, newest first, with what qualified them. */
export const TierHistory = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { tierName } = useTiers()
  const [changes, setChanges] = useState<Change[] | null>(null)
  const [policy, setPolicy] = useState<Policy | null>(null)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback(() => {
    setError(null)
    call(api.GET('/api/v1/members/{id}/tier-history', { params: { path: { id: memberId } } })).then(setChanges, setError)
    call(api.GET('/api/v1/loyalty/policy')).then(setPolicy, () => undefined)
  }, [memberId])
  useEffect(load, [load])

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

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  if (!changes) return <Skeleton active />
  return (
    <Card variant="borderless">
      <Table rowKey="id" size="small" columns={columns} dataSource={changes} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="tier-history" locale={{ emptyText: t('tiers.empty') }} />
    </Card>
  )
}
