import { Card, Select, Space, Table, Typography, Button, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiPages } from '../../api/query.js'

import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime, formatMoney } from '../../format.js'
import { ReceiptRef } from '../../components/ReceiptRef.js'
import { CouponCode, CouponIssued, CouponStatusTag, VoidCouponButton } from './CouponParts.js'
import { COUPON_STATUSES, type Coupon, type CouponStatus } from './types.js'

/** What became of a coupon: used on a receipt (and for how much), or voided by whom and why. */
export const CouponOutcome = ({ coupon, tz }: { coupon: Coupon; tz: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  if (coupon.status === 'used') {
    return (
      <Space orientation="vertical" size={0}>
        <Typography.Text>{t('coupons.usedAt', { time: formatDateTime(coupon.usedAt, tz) })}</Typography.Text>
        {coupon.usedReceiptId && <ReceiptRef receiptId={coupon.usedReceiptId} />}
        {coupon.discount > 0 && <Typography.Text type="secondary">{t('coupons.discount', { value: formatMoney(coupon.discount) })}</Typography.Text>}
        {coupon.bonusPoints > 0 && <Typography.Text type="secondary">{t('coupons.bonusPoints', { points: coupon.bonusPoints })}</Typography.Text>}
      </Space>
    )
  }
  if (coupon.status === 'voided') {
    return <Typography.Text type="secondary">{t('coupons.voidedBy', { by: coupon.voidedBy ?? '—', reason: coupon.voidReason ?? '' })}</Typography.Text>
  }
  return <Typography.Text type="secondary">—</Typography.Text>
}

const PAGE = 50

/** A template's coupons, newest first, a page at a time, by status; unused ones may be voided. */
export const TemplateCoupons = ({ templateId }: { templateId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [status, setStatus] = useState<CouponStatus | undefined>(undefined)
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/coupon-templates/{id}/coupons', {
    params: { path: { id: templateId }, query: { limit: PAGE, ...(status ? { status } : {}) } },
  })

  const columns: TableColumnsType<Coupon> = [
    { key: 'code', title: t('coupons.code'), width: 210, render: (_, c) => <CouponCode coupon={c} /> },
    { key: 'member', title: t('coupons.member'), width: 150, render: (_, c) => (can('members.read') ? <Link to={`/members/${c.memberId}`}>{c.memberCardNo ?? c.memberId}</Link> : c.memberCardNo ?? c.memberId) },
    { key: 'status', title: t('coupons.status'), width: 80, render: (_, c) => <CouponStatusTag status={c.status} testId={`coupon-status-${c.code}`} /> },
    { key: 'validity', title: t('coupons.validity'), width: 180, render: (_, c) => `${c.validFrom} ~ ${c.validTo}` },
    { key: 'issued', title: t('coupons.issuedAt'), width: 160, render: (_, c) => <CouponIssued coupon={c} tz={tz} /> },
    { key: 'used', title: t('coupons.used'), render: (_, c) => <CouponOutcome coupon={c} tz={tz} /> },
    ...(can('rewards.issue')
      ? [{
          key: 'actions', title: t('coupons.actions'), width: 70,
          render: (_: unknown, c: Coupon) => (c.status === 'issued' ? <VoidCouponButton coupon={c} />
 : null),
        }]
      : []),
  ]

  return (
    <Card
      title={t('coupons.title')} size="small"
      extra={(
        <Select
          style={{ width: 130 }} allowClear placeholder={t('coupons.status')} value={status} onChange={setStatus} data-testid="template-coupons-status"
          options={COUPON_STATUSES.map((s) => ({ value: s, label: t(`couponStatus.${s}`) }))}
        />
      )}
    >
      {error
        ? <ErrorResult error={error} onRetry={load} compact />
        : (
          <>
            <Table<Coupon>
              data-testid="template-coupons" rowKey="id" size="small" columns={columns} dataSource={items ?? []} loading={items === null}
              pagination={false} scroll={{ x: 1000 }} locale={{ emptyText: t('coupons.empty') }}
            />
            {nextCursor && (
              <Button block style={{ marginTop: 8 }} loading={loadingMore} onClick={more} data-testid="template-coupons-more">{t('coupons.more')}</Button>
            )}
          </>
        )}
    </Card>
  )
}
