import { App, InputNumber, Modal, Table, Typography } from 'antd'
import { useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatCount, formatMoney } from '../../format.js'
import { ApiErrorAlert } from '../till/ApiErrorAlert.js'
import { receiptNumber } from '../till/receipt-no.js'
import { quantityText, returnable, returnLines, type Receipt } from './receipt-format.js'

export interface ReturnModalProps {
  /** the sale to return goods of; null: closed */
  receipt: Receipt | null
  onClose: () => void
  /** after a return was posted */
  onReturned: () => void
}

/**
 * A return at the desk, for a store without an integrated till: how many of each line come back
 * (all that is left, to start with). The server reverses the points those lines earned and gives
 * back points that paid for them; the return's own number keeps a double press from posting twice.
 */
export const ReturnModal = ({ receipt, onClose, onReturned }: ReturnModalProps) => {
  const { t } = useTranslation('loyaltySettings')
  const { user, chain } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  // All that is left of every line, to start with (the page gives each receipt its own dialog).
  const [picked, setPicked] = useState<Record<number, number | null>>(() => Object.fromEntries((receipt ? returnable(receipt) : []).map((l) => [l.lineNo, l.left])))
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  // One number per opened dialog: pressing OK twice, or again after a lost answer, posts once.
  const number = useRef<string | null>(null)
  const left = useMemo(() => new Map((receipt ? returnable(receipt) : []).map((l) => [l.lineNo, l.left])), [receipt])
  const lines = receipt ? returnLines(receipt, picked) : []

  const submit = async () => {
    if (!receipt || lines.length === 0 || busy) return
    setBusy(true)
    setError(null)
    number.current ??= receiptNumber(new Date(), tz, Math.random, 'R')
    try {
      const result = await call(api.POST('/api/v1/pos/returns', {
        body: { storeId: receipt.storeId, receiptNo: number.current, businessAt: new Date().toISOString(), originalReceiptNo: receipt.receiptNo, cashier: user?.username, lines },
      }))
      void message.success(result.couponAmount
        ? t('receipts.returnDoneCoupon', { receiptNo: result.receiptNo, total: formatMoney(result.total), coupon: formatMoney(result.couponAmount), points: formatCount(result.points) })
        : t('receipts.returnDone', { receiptNo: result.receiptNo, total: formatMoney(result.total), points: formatCount(result.points) }))
      onReturned()
      onClose()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      open={receipt !== null} title={receipt ? t('receipts.returnTitle', { receiptNo: receipt.receiptNo }) : ''} width={720} destroyOnHidden
      onCancel={onClose} onOk={() => void submit()} okText={t('receipts.returnOk')} okButtonProps={{ disabled: lines.length === 0, loading: busy, danger: true, ...({ 'data-testid': 'return-submit' } as Record<string, string>) }}
    >
      <div data-testid="return-modal">
        <Typography.Paragraph type="secondary">{t('receipts.returnHint')}</Typography.Paragraph>
        <Table
          rowKey="lineNo" size="small" pagination={false} dataSource={receipt?.lines ?? []}
          columns={[
            { key: 'lineNo', title: '#', dataIndex: 'lineNo', width: 40 },
            { key: 'name', title: t('receipts.name'), render: (_, l) => l.name ?? l.sku },
            { key: 'sold', title: t('receipts.returnSold'), align: 'right', render: (_, l) => quantityText(l) },
            { key: 'left', title: t('receipts.returnLeft'), align: 'right', render: (_, l) => quantityText({ quantity: left.get(l.lineNo) ?? 0, unit: l.unit }) },
            {
              key: 'back', title: t('receipts.returnBack'), align: 'right', width: 140,
              render: (_, l) => (
                <InputNumber
                  min={0} max={left.get(l.lineNo) ?? 0} precision={0} disabled={(left.get(l.lineNo) ?? 0) === 0} value={picked[l.lineNo] ?? 0}
                  onChange={(v) => setPicked((p) => ({ ...p, [l.lineNo]: v }))} data-testid={`return-qty-${l.lineNo}`}
                  suffix={l.unit === 'g' ? 'g' : undefined} style={{ width: 120 }}
                />
              ),
            },
          ]}
        />
        {error ? <div style={{ marginTop: 12 }}><ApiErrorAlert error={error} testId="return-error" /></div> : null}
      </div>
    </Modal>
  )
}
