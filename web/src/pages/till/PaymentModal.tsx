import { Button, Descriptions, Flex, InputNumber, Modal, Radio, Typography } from 'antd'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { formatCount, formatMoney } from '../../format.js'
import { ApiErrorAlert } from './ApiErrorAlert.js'
import { changeFor, pointValueOf } from './basket.js'
import { acceptedCoupons } from './coupons.js'
import { tenderIndexOfKey } from './hotkeys.js'
import { TILL_TENDERS, type Quote, type TillTender } from './types.js'

interface PaymentModalProps {
  open: boolean
  quote: Quote | null
  hasMember: boolean
  pointsToUse: number
  onPoints(points: number): void
  tender: TillTender
  onTender(tender: TillTender): void
  busy: boolean
  error: unknown
  lineName(index: number): string | undefined
  onConfirm(): void
  onClose(): void
  /** the dialog is gone: put the focus where the cashier goes next */
  onAfterClose(): void
}

/**
 * Taking the money: 1–4 pick the tender, points may pay part (up to what the quote allows),
 * cash received shows the change; Enter (or F9) posts the sale, Esc goes back to the basket.
 */
export const PaymentModal = ({ open, quote, hasMember, pointsToUse, onPoints, tender, onTender, busy, error, lineName, onConfirm, onClose, onAfterClose }: PaymentModalProps) => {
  const { t } = useTranslation('till')
  const confirmRef = useRef<HTMLButtonElement>(null)
  const [received, setReceived] = useState<number | null>(null)
  // The confirm button takes the focus once the dialog is up, so 1–4 and Enter work at once.
  useEffect(() => {
    if (!open) return
    const timer = setTimeout(() => confirmRef.current?.focus(), 50)
    return () => clearTimeout(timer)
  }, [open])
  const usable = quote?.usablePoints ?? 0
  const pointValue = quote ? pointValueOf(quote) : null
  const points = Math.min(pointsToUse, usable)
  const pointsValue = pointValue ? points * pointValue : 0
  // The coupons the quote accepted go into the sale at their discount; refused ones are left out.
  const coupons = quote ? acceptedCoupons(quote) : []
  const refused = quote ? quote.coupons.length - coupons.length : 0
  const due = quote ? quote.total - quote.couponDiscount - pointsValue : 0
  const receivedFen = received === null ? null : Math.round(received * 100)
  const change = changeFor(due, receivedFen)

  // On the whole dialog, footer included: Enter takes the payment unless another button has the focus.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLButtonElement && e.target !== confirmRef.current && (e.key === 'Enter' || e.key === ' ')) return
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault()
      onConfirm()
      return
    }
    const inField = e.target instanceof HTMLInputElement
    const index = inField ? null : tenderIndexOfKey(e.key, TILL_TENDERS.length)
    if (index !== null) {
      e.preventDefault()
      onTender(TILL_TENDERS[index]!)
    }
  }

  return (
    <Modal
      open={open} title={t('pay.title')} onCancel={onClose} destroyOnHidden width={560} maskClosable={false} closable={false}
      afterOpenChange={(visible) => { if (visible) confirmRef.current?.focus() }}
      focusable={{ focusTriggerAfterClose: false }}
      afterClose={() => { setReceived(null); onAfterClose() }}
      modalRender={(node) => <div onKeyDown={onKeyDown}>{node}</div>}
      footer={[
        <Button key="cancel" onClick={onClose}>{t('pay.back')} (Esc)</Button>,
        <Button key="confirm" ref={confirmRef} type="primary" size="large" loading={busy} disabled={!quote} onClick={onConfirm} data-testid="till-confirm">{t('pay.confirm')} (Enter)</Button>,
      ]}
    >
      <div data-testid="till-payment">
        <Descriptions
          column={1} size="small" bordered
          items={[
            { key: 'total', label: t('pay.total'), children: <Typography.Text strong style={{ fontSize: 20 }} data-testid="till-pay-total">{quote ? formatMoney(quote.total) : '—'}</Typography.Text> },
            ...(quote && quote.coupons.length > 0
              ? [{
                  key: 'coupons', label: t('pay.coupons'),
                  children: (
                    <Flex vertical gap={2} data-testid="till-pay-coupons">
                      {coupons.map((c) => (
                        <Flex key={c.code} justify="space-between" gap={16}>
                          <Typography.Text>{c.name ?? c.code}</Typography.Text>
                          <Typography.Text type="danger">-{formatMoney(c.discount)}</Typography.Text>
                        </Flex>
                      ))}
                      {refused > 0 && <Typography.Text type="warning">{t('pay.couponsNotApplied', { n: refused })}</Typography.Text>}
                    </Flex>
                  ),
                }]
              : []),
            ...(hasMember
              ? [{
                  key: 'points', label: t('pay.points'),
                  children: (
                    <Flex vertical gap={4}>
                      <Flex gap={8} align="center">
                        <InputNumber
                          min={0} max={usable} precision={0} value={points} disabled={usable === 0} style={{ width: 140 }} data-testid="till-points-input"
                          onChange={(v) => onPoints(Math.max(0, Math.min(v ?? 0, usable)))}
                        />
                        <Button size="small" disabled={usable === 0} onClick={() => onPoints(usable)} data-testid="till-points-max">{t('pay.usePoints', { points: formatCount(usable) })}</Button>
                      </Flex>
                      <Typography.Text type="secondary">
                        {usable === 0 ? t('pay.noPoints') : t('pay.pointsWorth', { value: formatMoney(pointsValue) })}
                      </Typography.Text>
                    </Flex>
                  ),
                }]
              : []),
            { key: 'due', label: t('pay.due'), children: <Typography.Text strong type="danger" style={{ fontSize: 24 }} data-testid="till-pay-due">{formatMoney(due)}</Typography.Text> },
            {
              key: 'tender', label: t('pay.tender'),
              children: (
                <Radio.Group
                  optionType="button" buttonStyle="solid" value={tender} onChange={(e) => onTender(e.target.value as TillTender)} data-testid="till-tenders"
                  options={TILL_TENDERS.map((k, i) => ({ value: k, label: `${i + 1} ${t(`tenders.${k}`)}` }))}
                />
              ),
            },
            ...(tender === 'cash'
              ? [{
                  key: 'received', label: t('pay.received'),
                  children: (
                    <Flex gap={16} align="center">
                      <InputNumber min={0} precision={2} prefix="¥" value={received} onChange={setReceived} style={{ width: 140 }} data-testid="till-cash-received" />
                      {change !== null && <Typography.Text data-testid="till-change">{t('pay.change', { change: formatMoney(change) })}</Typography.Text>}
                    </Flex>
                  ),
                }]
              : []),
          ]}
        />
        {error ? <div style={{ marginTop: 12 }}><ApiErrorAlert error={error} lineName={lineName} testId="till-payment-error" /></div> : null}
      </div>
    </Modal>
  )
}
