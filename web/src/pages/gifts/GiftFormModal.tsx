import { DeleteOutlined, PictureOutlined, UploadOutlined } from '@ant-design/icons'
import { App, Button, Col, DatePicker, Form, Image, Input, InputNumber, Radio, Row, Select, Space, Switch, Upload } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { FormModal } from '../../components/FormModal.js'
import { errorMessage } from '../../components/errors.js'
import { fenToYuan, yuanToFen } from '../../shared/money.js'
import { useStores } from '../../hooks/use-stores.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { pictureProblem, pictureUrl } from './gift-format.js'
import type { Gift } from './types.js'

interface GiftValues {
  name: string
  description?: string
  pointsPrice: number
  cashYuan?: number | null
  stockMode: Gift['stockMode']
  validFrom?: Dayjs | null
  validTo?: Dayjs | null
  perMemberLimit?: number | null
  minTier?: string | null
  pickupDays: number
  active: boolean
  initialQuantity?: number | null
  initialStore?: string
}

/** The picture as chosen in the form: unchanged, a new file (as a data: URL), or removed. */
type PictureChange = { kind: 'keep' } | { kind: 'set'; dataUrl: string } | { kind: 'remove' }

const readAsDataUrl = (file: File) => new Promise<string>((resolve, reject) => {
  const reader = new FileReader()
  reader.onload = () => resolve(String(reader.result))
  reader.onerror = () => reject(reader.error ?? new Error('unreadable'))
  reader.readAsDataURL(file)
})

/** Creates or edits a gift: its price, stock mode, validity, limits, first stock and picture. */
export const GiftFormModal = ({ gift, open, onClose, onSaved }: { gift: Gift | null; open: boolean; onClose(): void; onSaved(gift: Gift): void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'gifts' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { stores } = useStores()
  const { tiers } = useTiers()
  const [form] = Form.useForm<GiftValues>()
  const [picture, setPicture] = useState<PictureChange>({ kind: 'keep' })
  const stockMode = Form.useWatch('stockMode', form) ?? gift?.stockMode ?? 'central'
  const hasStock = (gift?.stock ?? []).some((s) => s.stocked > 0)

  const initialValues: Partial<GiftValues> = gift
    ? {
        name: gift.name, description: gift.description ?? '', pointsPrice: gift.pointsPrice, cashYuan: gift.cashPrice ? fenToYuan(gift.cashPrice) : null,
        stockMode: gift.stockMode, validFrom: gift.validFrom ? dayjs(gift.validFrom) : null, validTo: gift.validTo ? dayjs(gift.validTo) : null,
        perMemberLimit: gift.perMemberLimit, minTier: gift.minTier, pickupDays: gift.pickupDays, active: gift.status === 'active',
      }
    : { stockMode: 'central', pickupDays: 7, active: true, initialQuantity: null }

  const choose = async (file: File) => {
    const problem = pictureProblem(file)
    if (problem) {
      void message.error(t(problem === 'tooLarge' ? 'form.pictureTooLarge' : 'form.pictureWrongType'))
      return
    }
    setPicture({ kind: 'set', dataUrl: await readAsDataUrl(file) })
  }

  const submit = async (v: GiftValues) => {
    const fields = {
      name: v.name.trim(), description: v.description?.trim() || null, pointsPrice: v.pointsPrice, cashPrice: v.cashYuan ? yuanToFen(v.cashYuan) : 0,
      stockMode: v.stockMode, validFrom: v.validFrom ? v.validFrom.format('YYYY-MM-DD') : null, validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null,
      perMemberLimit: v.perMemberLimit ?? null, minTier: v.minTier ?? null, pickupDays: v.pickupDays, status: v.active ? 'active' as const : 'inactive' as const,
    }
    let saved: Gift
    if (gift) {
      saved = await call(api.PATCH('/api/v1/gifts/{id}', { params: { path: { id: gift.id } }, body: fields }))
    } else {
      const quantity = v.initialQuantity ?? 0
      const location = v.stockMode === 'central' ? 'central' : v.initialStore
      const initialStock = quantity > 0 && location ? [{ location, quantity }] : []
      saved = await call(api.POST('/api/v1/gifts', { body: { ...fields, initialStock } }))
    }
    try {
      if (picture.kind === 'set') saved = await call(api.PUT('/api/v1/gifts/{id}/picture', { params: { path: { id: saved.id } }, body: { data: picture.dataUrl } }))
      if (picture.kind === 'remove' && saved.hasPicture) saved = await call(api.DELETE('/api/v1/gifts/{id}/picture', { params: { path: { id: saved.id } } }))
    } catch (err) {
      // The gift itself is saved: say what became of the picture, and close.
      void message.warning(t('form.pictureFailed', { reason: errorMessage(tc, err) }))
      onSaved(saved)
      return
    }
    void message.success(t(gift ? 'form.saved' : 'form.created'))
    onSaved(saved)
  }

  const shownPicture = picture.kind === 'set' ? picture.dataUrl : picture.kind === 'keep' && gift?.hasPicture ? pictureUrl(gift) : null

  return (
    <FormModal<GiftValues>
      open={open} title={t(gift ? 'form.editTitle' : 'form.createTitle')} form={form} name="gift" onClose={onClose} onSubmit={submit}
      initialValues={initialValues} submitTestId="gift-submit" formTestId="gift-form" width={720}
    >
      <Row gutter={16}>
        <Col span={16}>
          <Form.Item name="name" label={t('form.name')} rules={[{ required: true, whitespace: true, max: 60, message: t('form.nameRequired') }]}>
            <Input maxLength={60} data-testid="gift-name" />
          </Form.Item>
          <Form.Item name="description" label={t('form.description')}>
            <Input.TextArea rows={2} maxLength={500} showCount data-testid="gift-description" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label={t('form.picture')} extra={t('form.pictureHint')}>
            <Space orientation="vertical" align="center" style={{ width: '100%' }}>
              {shownPicture
                ? <Image src={shownPicture} width={120} height={120} style={{ objectFit: 'cover', borderRadius: 6 }} data-testid="gift-picture-preview" />
                : <div style={{ width: 120, height: 120, display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5', borderRadius: 6 }}><PictureOutlined style={{ fontSize: 32, color: '#bbb' }} /></div>}
              <Space size={4}>
                <Upload accept="image/png,image/jpeg,image/webp" showUploadList={false} maxCount={1} beforeUpload={(file) => { void choose(file); return false }}>
                  <Button size="small" icon={<UploadOutlined />} data-testid="gift-picture-upload">{t('form.pictureUpload')}</Button>
                </Upload>
                {shownPicture && <Button size="small" icon={<DeleteOutlined />} onClick={() => setPicture({ kind: 'remove' })} data-testid="gift-picture-remove" aria-label={t('form.pictureRemove')} />}
              </Space>
            </Space>
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="pointsPrice" label={t('form.pointsPrice')} rules={[{ required: true, message: t('form.pointsRequired') }]}>
            <InputNumber precision={0} min={0} max={100_000_000} style={{ width: '100%' }} data-testid="gift-points" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="cashYuan" label={t('form.cashPrice')} tooltip={t('form.cashPriceHint')} dependencies={['pointsPrice']}
            rules={[({ getFieldValue }) => ({
              validator: (_, v: number | null) => (!v && !getFieldValue('pointsPrice') ? Promise.reject(new Error(t('form.priceRequired'))) : Promise.resolve()),
            })]}
          >
            <InputNumber precision={2} min={0} max={1_000_000} style={{ width: '100%' }} data-testid="gift-cash" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="pickupDays" label={t('form.pickupDays')} tooltip={t('form.pickupDaysHint')} rules={[{ required: true, message: t('form.pickupDaysRequired') }]}>
            <InputNumber precision={0} min={1} max={365} style={{ width: '100%' }} data-testid="gift-pickup-days" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="stockMode" label={t('form.stockMode')} extra={gift && hasStock ? t('form.stockModeLocked') : undefined}>
        <Radio.Group disabled={!!gift && hasStock} data-testid="gift-stock-mode" options={[
          { value: 'central', label: t('form.stockModes.central') },
          { value: 'per_store', label: t('form.stockModes.per_store') },
        ]} />
      </Form.Item>
      {!gift && (
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="initialQuantity" label={t('form.initialStock')}>
              <InputNumber precision={0} min={0} max={1_000_000} style={{ width: '100%' }} data-testid="gift-initial-stock" />
            </Form.Item>
          </Col>
          {stockMode === 'per_store' && (
            <Col span={16}>
              <Form.Item
                name="initialStore" label={t('form.initialStore')} dependencies={['initialQuantity']}
                rules={[({ getFieldValue }) => ({ required: !!getFieldValue('initialQuantity'), message: t('form.initialStoreRequired') })]}
              >
                <Select showSearch optionFilterProp="label" options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))} data-testid="gift-initial-store" />
              </Form.Item>
            </Col>
          )}
        </Row>
      )}
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="validFrom" label={t('form.validity')} tooltip={t('form.validityHint')}>
            <DatePicker style={{ width: '100%' }} data-testid="gift-valid-from" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="validTo" label=" " colon={false}>
            <DatePicker style={{ width: '100%' }} data-testid="gift-valid-to" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="perMemberLimit" label={t('form.perMemberLimit')} tooltip={t('form.perMemberLimitHint')}>
            <InputNumber precision={0} min={1} max={1000} style={{ width: '100%' }} data-testid="gift-limit" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={16}>
          <Form.Item name="minTier" label={t('form.minTier')}>
            <Select allowClear placeholder={t('catalogue.anyTier')} options={tiers.map((x) => ({ value: x.code, label: x.name }))} data-testid="gift-min-tier" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="active" label={t('form.status')} valuePropName="checked">
            <Switch data-testid="gift-active" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  )
}
