import { App, Form, Input, InputNumber, Select, Table, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { FormModal } from '../../components/FormModal.js'
import { formatCount } from '../../format.js'
import { useStores } from '../../hooks/use-stores.js'
import type { Gift, GiftStock } from './types.js'

interface StockValues {
  location: string
  delta: number
  reason?: string
}

/** Adds or takes away pieces at one location, with the stock of every location above it. */
export const StockModal = ({ gift, onClose, onChanged }: { gift: Gift; onClose(): void; onChanged(gift: Gift): void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  const { message } = App.useApp()
  const { stores, storeName } = useStores()
  const [form] = Form.useForm<StockValues>()
  const locationName = (location: string) => (location === 'central' ? t('central') : storeName(location) ?? location)

  const submit = async (v: StockValues) => {
    const updated = await call(api.POST('/api/v1/gifts/{id}/stock', { params: { path: { id: gift.id } }, body: { location: v.location, delta: v.delta, reason: v.reason?.trim() || null } }))
    void message.success(t('stock.done'))
    form.setFieldsValue({ delta: undefined as never, reason: '' })
    onChanged(updated)
  }

  const columns: TableColumnsType<GiftStock> = [
    { key: 'location', title: t('stock.location'), render: (_, s) => locationName(s.location) },
    ...(['stocked', 'available', 'reserved', 'collected'] as const).map((k) => ({ key: k, title: t(`stock.${k}`), align: 'right' as const, render: (_: unknown, s: GiftStock) => formatCount(s[k]) })),
  ]
  const locations = gift.stockMode === 'central'
    ? [{ value: 'central', label: t('central') }]
    : stores.filter((s) => s.status === 'open' || gift.stock.some((r) => r.location === s.id)).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))

  return (
    <FormModal<StockValues>
      open title={t('stock.title', { name: gift.name })} form={form} name="gift-stock" onClose={onClose} onSubmit={submit}
      initialValues={gift.stockMode === 'central' ? { location: 'central' } : {}} submitLabel={t('stock.submit')} submitTestId="stock-submit" formTestId="stock-form" width={640}
    >
      <Table rowKey="location" size="small" pagination={false} columns={columns} dataSource={gift.stock} style={{ marginBottom: 16 }} data-testid="stock-table" />
      <Form.Item name="location" label={t('stock.location')} rules={[{ required: true, message: t('stock.locationRequired') }]}>
        <Select showSearch optionFilterProp="label" options={locations} disabled={gift.stockMode === 'central'} data-testid="stock-location" />
      </Form.Item>
      <Form.Item
        name="delta" label={t('stock.delta')} extra={t('stock.deltaHint')}
        rules={[{ required: true, message: t('stock.deltaRequired') }, { validator: (_, v: number | null) => (v === 0 ? Promise.reject(new Error(t('stock.deltaRequired'))) : Promise.resolve()) }]}
      >
        <InputNumber precision={0} min={-1_000_000} max={1_000_000} style={{ width: 200 }} data-testid="stock-delta" />
      </Form.Item>
      <Form.Item name="reason" label={t('stock.reason')}>
        <Input maxLength={200} data-testid="stock-reason" />
      </Form.Item>
    </FormModal>
  )
}
