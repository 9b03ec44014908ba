import { QrcodeOutlined } from '@ant-design/icons'
import { App, Button, Form, Input, Modal, Popover, QRCode, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { errorMessage } from '../../components/errors.js'
import { formatDateTime } from '../../format.js'
import { groupCode } from './template-summary.js'
import { COUPON_STATUS_COLORS, type Coupon, type CouponStatus } from './types.js'

/** When and how a coupon was issued, and by whom. */
export const CouponIssued = ({ coupon, tz }: { coupon: Pick<Coupon, 'issuedAt' | 'source' | 'issuedBy'>; tz: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  return (
    <Space orientation="vertical" size={0}>
      <span>{formatDateTime(coupon.issuedAt, tz)}</span>
      <Typography.Text type="secondary">{t(`sources.${coupon.source}`)}{coupon.issuedBy ? ` · ${coupon.issuedBy}` : ''}</Typography.Text>
    </Space>
  )
}

export const CouponStatusTag = ({ status, testId }: { status: CouponStatus; testId?: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  return <Tag color={COUPON_STATUS_COLORS[status]} data-testid={testId}>{t(`couponStatus.${status}`)}</Tag>
}

/** A coupon's code in groups of four, copyable, with its QR code for the till's scanner one click away. */
export const CouponCode = ({ coupon, qrOpen = false }: { coupon: Pick<Coupon, 'code' | 'qrPayload'>; qrOpen?: boolean }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  // The server masks codes for those who may not redeem them from a list (a till, a cashier): nothing to copy or scan.
  if (coupon.code.includes('*')) return <Typography.Text code style={{ whiteSpace: 'nowrap' }} data-testid="coupon-code-masked">{coupon.code}</Typography.Text>
  return (
    <Space size={4}>
      <Typography.Text code copyable={{ text: coupon.code }} style={{ whiteSpace: 'nowrap' }} data-testid={`coupon-code-${coupon.code}`}>{groupCode(coupon.code)}</Typography.Text>
      <Popover
        trigger="click" defaultOpen={qrOpen} title={groupCode(coupon.code)}
        content={<div data-testid={`coupon-qr-${coupon.code}`}><QRCode value={coupon.qrPayload} size={180} /></div>}
      >
        <Button type="text" size="small" icon={<QrcodeOutlined />} aria-label={t('coupons.qr')} data-testid={`coupon-qr-button-${coupon.code}`} />
      </Popover>
    </Space>
  )
}

/** Voids an unused coupon, asking for the reason (audited by the server). */
export const VoidCouponButton = ({ coupon, onVoided }: { coupon: Pick<Coupon, 'id' | 'code'>; onVoided?: (c: Coupon) => void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm<{ reason: string }>()

  const submit = async ({ reason }: { reason: string }) => {
    setBusy(true)
    try {
      const voided = await call(api.POST('/api/v1/coupons/{id}/void', { params: { path: { id: coupon.id } }, body: { reason: reason.trim() } }))
      void message.success(t('coupons.voided'))
      setOpen(false)
      onVoided?.(voided)

    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <Button type="link" size="small" danger onClick={() => setOpen(true)} data-testid={`coupon-void-${coupon.code}`}>{t('coupons.void')}</Button>
      <Modal
        open={open} title={t('coupons.voidTitle', { code: groupCode(coupon.code) })} onCancel={() => setOpen(false)} destroyOnHidden
        okText={t('coupons.void')} okButtonProps={{ danger: true, loading: busy, 'data-testid': 'coupon-void-confirm' } as never} onOk={() => form.submit()}
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
          <Form.Item name="reason" label={t('coupons.voidReason')} rules={[{ required: true, whitespace: true, message: t('coupons.voidReasonRequired') }, { max: 200 }]}>
            <Input.TextArea autoFocus rows={2} maxLength={200} data-testid="coupon-void-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
