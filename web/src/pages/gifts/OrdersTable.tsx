import { App, Button, Form, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { FormModal } from '../../components/FormModal.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import { isOverdue, ORDER_STATUS_COLORS } from './gift-format.js'
import type { GiftOrder } from './types.js'

const CancelOrderModal = ({ order, onClose, onDone }: { order: GiftOrder; onClose(): void; onDone(o: GiftOrder): void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  const { message } = App.useApp()
  const [form] = Form.useForm<{ reason: string }>()
  const submit = async (v: { reason: string }) => {
    const done = await call(api.POST('/api/v1/gift-orders/{id}/cancel', { params: { path: { id: order.id } }, body: { reason: v.reason.trim() } }))
    void message.success(t('orders.cancelled'))
    onDone(done)
  }
  return (
    <FormModal<{ reason: string }>
      open title={t('orders.cancelTitle', { orderNo: order.orderNo })} form={form} name="gift-order-cancel" onClose={onClose} onSubmit={submit}
      submitLabel={t('orders.cancelSubmit')} submitTestId="gift-order-cancel-submit" formTestId="gift-order-cancel-form"
    >
      <Typography.Paragraph type="secondary">{t('orders.cancelHint', { points: formatCount(order.points) })}</Typography.Paragraph>
      <Form.Item name="reason" label={t('orders.cancelReason')} rules={[{ required: true, whitespace: true, min: 2, max: 200, message: t('orders.cancelReasonRequired') }]}>
        <Input.TextArea rows={3} maxLength={200} showCount data-testid="gift-order-cancel-reason" />
      </Form.Item>
    </FormModal>
  )
}

/**
 * Gift orders with the hand-over and cancellation a store's staff do at the counter. A store's
 * staff act only on their store's orders (and on draw prizes any store may hand over).
 */
export const OrdersTable = ({ orders, loading, showMember, onChanged, testId }: { orders: GiftOrder[]; loading?: boolean; showMember: boolean; onChanged(o: GiftOrder): void; testId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  const { t: tc } = useTranslation()
  const { can, chain, user } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [busy, setBusy] = useState<string | null>(null)
  const [cancelling, setCancelling] = useState<GiftOrder | null>(null)
  const now = new Date()
  const actsOn = (o: GiftOrder) => can('rewards.redeem') && o.status === 'reserved' && (!user?.storeId || o.pickupStoreId === null || o.pickupStoreId === user.storeId)

  const collect = async (o: GiftOrder) => {
    setBusy(o.id)
    try {
      onChanged(await call(api.POST('/api/v1/gift-orders/{id}/collect', { params: { path: { id: o.id } } })))
      void message.success(t('orders.collected'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(null)
    }
  }

  // Sized to fit a 1366 px screen without scrolling; the actions only for those who hand gifts over.
  const columns: TableColumnsType<GiftOrder> = [
    { key: 'orderNo', title: t('orders.columns.orderNo'), width: 120, render: (_, o) => <Typography.Text copyable strong style={{ whiteSpace: 'nowrap' }} data-testid="gift-order-no">{o.orderNo}</Typography.Text> },
    ...(showMember ? [{
      key: 'member', title: t('orders.columns.member'), width: 140,
      render: (_: unknown, o: GiftOrder) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/members/${o.memberId}`}>{o.memberCardNo ?? o.memberId}</Link>
          {o.memberName && <Typography.Text type="secondary">{o.memberName}</Typography.Text>}
        </Space>
      ),
    }] : []),
    {
      key: 'gift', title: t('orders.columns.gift'),
      render: (_, o) => (
        <Space size={4} wrap>
          <Typography.Text>{o.giftName}</Typography.Text>
          <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>× {formatCount(o.quantity)}</Typography.Text>
          {o.source === 'draw' && <Tag color="purple">{t('source.draw')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'price', title: t('orders.columns.price'), width: 120, align: 'right',
      render: (_, o) => (
        <Space orientation="vertical" size={0}>
          <span style={{ whiteSpace: 'nowrap' }}>{t('points', { points: formatCount(o.points) })}</span>
          {o.cash > 0 && <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>+ {formatMoney(o.cash)}</Typography.Text>}
        </Space>
      ),
    },
    { key: 'store', title: t('orders.columns.store'), width: 120, render: (_, o) => o.pickupStoreName ?? t('orders.anyStore') },
    {
      key: 'status', title: t('orders.columns.status'), width: 110,
      render: (_, o) => {
        const tag = <Tag color={ORDER_STATUS_COLORS[o.status]} data-testid={`gift-order-status-${o.id}`}>{t(`orderStatus.${o.status}`)}</Tag>
        const note = o.status === 'collected' && o.collectedAt
          ? t('orders.collectedBy', { by: o.collectedBy ?? '', at: formatDateTime(o.collectedAt, tz) })
          : o.closeReason ? t('orders.closeReason', { reason: o.closeReason }) : null
        return note ? <Tooltip title={note}>{tag}</Tooltip> : tag
      },
    },
    {
      key: 'time', title: t('orders.columns.createdAt'), width: 150,
      render: (_, o) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text style={{ whiteSpace: 'nowrap' }}>{formatDateTime(o.createdAt, tz)}</Typography.Text>
          {o.status === 'reserved' && (
            <Typography.Text type={isOverdue(o, now) ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
              {t('orders.pickUpBy', { at: formatDateTime(o.expiresAt, tz) })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    ...(can('rewards.redeem') ? [{
      key: 'actions', title: t('orders.columns.actions'), width: 150, fixed: 'right' as const,
      render: (_: unknown, o: GiftOrder) => actsOn(o) && (
        <Space size={0}>
          <Popconfirm
            title={t('orders.collectConfirm', { gift: o.giftName, quantity: o.quantity })}
            description={o.cash ? t('orders.collectCash', { cash: formatMoney(o.cash) }) : undefined}
            onConfirm={() => collect(o)} okButtonProps={{ 'data-testid': 'gift-order-collect-confirm' } as never}
          >
            <Button type="link" size="small" loading={busy === o.id} disabled={isOverdue(o, now)} data-testid={`gift-order-collect-${o.id}`}>{t('orders.collect')}</Button>
          </Popconfirm>
          <Button type="link" size="small" danger onClick={() => setCancelling(o)} data-testid={`gift-order-cancel-${o.id}`}>{t('orders.cancel')}</Button>
        </Space>
      ),
    }] : []),
  ]

  return (
    <>
      <Table rowKey="id" size="small" columns={columns} dataSource={orders} loading={loading} pagination={false} scroll={{ x: 900 }} locale={{ emptyText: t('orders.empty') }} data-testid={testId} />
      {cancelling && <CancelOrderModal order={cancelling} onClose={() => setCancelling(null)} onDone={(o) => { setCancelling(null); onChanged(o) }} />}
    </>
  )
}
