import { App, Flex, Input, InputNumber, Modal, Select, Table, Typography } from 'antd'
import { useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatCount, formatMoney } from '../../format.js'
import { ApiErrorAlert } from '../till/ApiErrorAlert.js'
import { receiptNumber } from '../till/receipt-no.js'
import { quantityText, refundText, returnable, returnLines, type Receipt } from './receipt-format.js'

export const RETURN_REASONS = ['quality', 'expired', 'damaged', 'wrong_item', 'not_as_described', 'changed_mind', 'other'] as const
export type ReturnReason = (typeof RETURN_REASONS)[number]

export interface ReturnModalProps {
  /** the sale to return goods of; null: closed */
  receipt: Receipt | null
  /** closes it: cancelled, or a return posted or sent for approval (what is on screen reloads by itself) */
  onClose: () => void
}

/**
 * A return at the service desk: how many of each line come back (none, to start with) and why.
 * The server reverses the points those lines earned, gives back points that paid for them and
 * says how much money goes back to which tender, which the message states; a refund above the
 * chain's limit goes to the store manager instead. The return's own number keeps a double press
 * from posting twice.
 */
export const ReturnModal = ({ receipt, onClose }: ReturnModalProps) => {
  const { t } = useTranslation('receipts')
  const { user, chain } = useSession()
  const { message, modal } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  // Nothing comes back until the desk says so: a return of the wrong line is worse than a keystroke.
  const [picked, setPicked] = useState<Record<number, number | null>>({})
  const [reason, setReason] = useState<ReturnReason | undefined>(undefined)
  const [note, setNote] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  // One number per opened dialog: pressing OK twice, or again after a lost answer, posts once.
  const number = useRef<string | null>(null)
  const left = useMemo(() => new Map((receipt ? returnable(receipt) : []).map((l) => [l.lineNo, l.left])), [receipt])
  const lines = receipt ? returnLines(receipt, picked) : []
  const ready = lines.length > 0 && reason !== undefined && (reason !== 'other' || note.trim() !== '')

  const submit = async () => {
    if (!receipt || !ready || busy) return
    setBusy(true)
    setError(null)
    number.current ??= receiptNumber(new Date(), tz, Math.random, 'R')
    try {
      const result = await call(api.POST('/api/v1/pos/returns', {
        body: {
          storeId: receipt.storeId, receiptNo: number.current, businessAt: new Date().toISOString(), originalReceiptNo: receipt.receiptNo, cashier: user?.username, lines,
          reason, ...(note.trim() ? { reasonNote: note.trim() } : {}),
        },
      }))
      if (result.status === 'awaiting_approval') {
        modal.info({ title: t('returns.status.pending'), content: <span data-testid="return-awaiting">{t('returns.awaiting', { total: formatMoney(result.total), receiptNo: result.receiptNo })}</span> })
      } else {
        const text = result.refund
          ? t('returns.done', { receiptNo: result.receiptNo, refund: refundText(t as never, result.refund, result.points, formatMoney, formatCount) })
          : t('returnDone', { receiptNo: result.receiptNo, total: formatMoney(result.total), points: formatCount(result.points) })
        // The cashier counts the money out from this: it stays until closed.
        modal.success({ title: t('returnOk'), content: <span data-testid="return-done">{text}</span> })
        void message.success(text)
      }
      onClose()

    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      open={receipt !== null} title={receipt ? t('returnTitle', { receiptNo: receipt.receiptNo }) : ''} width={760} destroyOnHidden
      onCancel={onClose} onOk={() => void submit()} okText={t('returnOk')} okButtonProps={{ disabled: !ready, loading: busy, danger: true, ...({ 'data-testid': 'return-submit' } as Record<string, string>) }}
    >
      <div data-testid="return-modal">
        <Typography.Paragraph type="secondary">{t('returns.hint')}</Typography.Paragraph>
        <Table
          rowKey="lineNo" size="small" pagination={false} dataSource={receipt?.lines ?? []}
          columns={[
            { key: 'lineNo', title: '#', dataIndex: 'lineNo', width: 40 },
            { key: 'name', title: t('name'), render: (_, l) => l.name ?? l.sku },
            { key: 'amount', title: t('amount'), align: 'right', render: (_, l) => formatMoney(l.amount) },
            { key: 'sold', title: t('returnSold'), align: 'right', render: (_, l) => quantityText(l) },
            { key: 'left', title: t('returnLeft'), align: 'right', render: (_, l) => quantityText({ quantity: left.get(l.lineNo) ?? 0, unit: l.unit }) },
            {
              key: 'back', title: t('returnBack'), align: 'right', width: 140,
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
        <Flex gap={12} wrap style={{ marginTop: 12 }}>
          <Select<ReturnReason>
            style={{ width: 220 }} placeholder={t('returns.reasonPlaceholder')} value={reason} onChange={setReason} data-testid="return-reason"
            options={RETURN_REASONS.map((r) => ({ value: r, label: t(`returns.reasons.${r}`) }))}
          />
          <Input
            style={{ flex: '1 1 260px' }} maxLength={200} placeholder={t('returns.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)}
            status={reason === 'other' && !note.trim() ? 'warning' : undefined} data-testid="return-note"
          />
        </Flex>
        {lines.length === 0 && <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>{t('returns.pick')}</Typography.Text>}
        {error ? <div style={{ marginTop: 12 }}><ApiErrorAlert error={error} testId="return-error" /></div> : null}
      </div>
    </Modal>
  )
}
