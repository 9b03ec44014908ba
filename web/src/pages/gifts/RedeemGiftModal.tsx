import { Alert, App, Descriptions, Flex, InputNumber, Modal, Select, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatCount, formatMoney } from '../../format.js'
import { useStores } from '../../hooks/use-stores.js'
import { orderTotal } from './gift-format.js'
import { GiftPrice, GiftThumb } from './GiftsPage.js'
import type { GiftOption, GiftOrder } from './types.js'


/**
 * The desk's "redeem a gift": the gifts on offer as this member sees them (what each costs, what
 * is left at the pick-up store, and why one cannot be had), a quantity, and the order.
 */
export const RedeemGiftModal = ({ memberId, onClose, onDone }: { memberId: string; onClose(): void; onDone(order: GiftOrder): void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  const { t: tc } = useTranslation()
  const { user } = useSession()
  const { message } = App.useApp()
  const { stores } = useStores()
  const ownStore = user?.storeId ?? null
  const [pickupStoreId, setPickupStoreId] = useState<string | null>(ownStore)
  const { data: options, error } = useApiQuery('/api/v1/members/{id}/gift-options', { params: { path: { id: memberId }, query: pickupStoreId ? { pickupStoreId } : {} } })
  const [selected, setSelected] = useState<string | null>(null)
  const [quantity, setQuantity] = useState(1)
  const [busy, setBusy] = useState(false)


  const gift = useMemo(() => options?.gifts.find((g) => g.id === selected) ?? null, [options, selected])
  const maxQuantity = gift
    ? Math.max(1, Math.min(99, gift.availableHere, gift.perMemberLimit ? gift.perMemberLimit - gift.redeemed : 99, gift.pointsPrice ? Math.floor((options?.spendable ?? 0) / gift.pointsPrice) : 99))
    : 1
  const total = gift ? orderTotal(gift, quantity) : null

  const submit = async () => {
    if (!gift || !pickupStoreId) return
    setBusy(true)
    try {
      const order = await call(api.POST('/api/v1/members/{id}/gift-orders', { params: { path: { id: memberId } }, body: { giftId: gift.id, quantity, ...(ownStore ? {} : { pickupStoreId }) } }))
      void message.success(t('member.done', { orderNo: order.orderNo }))
      onDone(order)
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(false)
    }
  }

  const columns: TableColumnsType<GiftOption> = [
    { key: 'picture', width: 56, render: (_, g) => <GiftThumb gift={g} size={40} /> },
    { key: 'name', title: t('catalogue.columns.name'), render: (_, g) => <Typography.Text strong>{g.name}</Typography.Text> },
    { key: 'price', title: t('catalogue.columns.price'), width: 160, render: (_, g) => <GiftPrice gift={g} /> },
    { key: 'left', title: t('catalogue.columns.stock'), width: 90, render: (_, g) => t('member.left', { n: formatCount(g.availableHere) }) },
    {
      key: 'block', width: 130,
      render: (_, g) => (g.block
        ? <Tag color={g.block === 'points' ? 'orange' : 'default'}>{t(`member.blocks.${g.block}`)}</Tag>
        : g.redeemed > 0 ? <Typography.Text type="secondary">{t('member.held', { n: g.redeemed })}</Typography.Text> : null),
    },
  ]

  return (
    <Modal
      open title={t('member.dialogTitle')} onCancel={onClose} width={760} destroyOnHidden
      okText={t('member.submit')} onOk={() => void submit()} okButtonProps={{ disabled: !gift || !pickupStoreId, loading: busy, 'data-testid': 'redeem-submit' } as never}
    >
      <Flex vertical gap={12}>
        <Descriptions size="small" column={2}>
          <Descriptions.Item label={t('member.spendable')}><span data-testid="redeem-spendable">{options ? formatCount(options.spendable) : '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('member.pickupStore')}>
            {ownStore
              ? stores.find((s) => s.id === ownStore)?.name ?? ownStore
              : (
                  <Select
                    showSearch optionFilterProp="label" style={{ width: 220 }} placeholder={t('member.pickupStoreRequired')} value={pickupStoreId ?? undefined}
                    onChange={(v: string) => { setPickupStoreId(v); setSelected(null) }} data-testid="redeem-pickup-store"
                    options={stores.filter((s) => s.status === 'open').map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
                  />
                )}
          </Descriptions.Item>
        </Descriptions>
        {error ? <ErrorResult error={error} compact /> : null}
        {!error && !options && <Skeleton active />}
        {options && (options.gifts.length === 0
          ? <Alert type="info" showIcon title={t('member.noGifts')} />
          : (
              <Table
                rowKey="id" size="small" pagination={false} scroll={{ y: 360 }} columns={columns} dataSource={options.gifts} data-testid="redeem-gifts"
                rowSelection={{
                  type: 'radio', selectedRowKeys: selected ? [selected] : [],
                  onChange: (keys) => { setSelected(String(keys[0])); setQuantity(1) },
                  getCheckboxProps: (g) => ({ disabled: g.block !== null || (!pickupStoreId && g.stockMode === 'per_store'), 'data-testid': `redeem-gift-${g.id}` } as never),
                }}
                onRow={(g) => ({ onClick: () => { if (g.block === null) { setSelected(g.id); setQuantity(1) } } })}
              />
            ))}
        {gift && total && (
          <Flex align="center" gap={12} wrap>
            <span>{t('member.quantity')}</span>
            <InputNumber min={1} max={maxQuantity} precision={0} value={quantity} onChange={(v) => setQuantity(v ?? 1)} data-testid="redeem-quantity" />
            <Typography.Text strong data-testid="redeem-total">
              {total.cash ? t('member.totalWithCash', { points: formatCount(total.points), cash: formatMoney(total.cash) }) : t('member.total', { points: formatCount(total.points) })}
            </Typography.Text>
          </Flex>
        )}
      </Flex>
    </Modal>
  )
}
