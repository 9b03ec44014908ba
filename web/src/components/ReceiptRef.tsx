import { Popover, Skeleton, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../api/client.js'
import type { paths } from '../api/schema.js'
import { useSession } from '../auth/session.js'
import { DEFAULT_TIMEZONE, formatDateTime, formatMoney } from '../format.js'
import { useErrorText } from '../hooks/use-error-text.js'

type Receipt = paths['/api/v1/receipts/{id}']['get']['responses']['200']['content']['application/json']

/** A ledger entry's receipt: its number, a link that shows the store, time and total when opened. */
export const ReceiptRef = ({ receiptId, receiptNo }: { receiptId: string; receiptNo?: string | null }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const { can, chain } = useSession()
  const errorText = useErrorText()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [receipt, setReceipt] = useState<Receipt | null>(null)
  const [error, setError] = useState<string | null>(null)

  const label = receiptNo ? t('ledger.receiptNo', { receiptNo }) : t('ledger.receipt')
  if (!can('receipts.read')) return <span>{label}</span>
  const load = (open: boolean) => {
    if (!open || receipt) return
    setError(null)
    call(api.GET('/api/v1/receipts/{id}', { params: { path: { id: receiptId } } })).then(setReceipt, (err: unknown) => setError(errorText(err)))
  }
  const content = error
    ? <Typography.Text type="danger">{error}</Typography.Text>
    : !receipt
      ? <Skeleton active paragraph={{ rows: 2 }} title={false} style={{ width: 220 }} />
      : (
        <div data-testid="ledger-receipt-popover">
          <div><Typography.Text strong>{receipt.receiptNo}</Typography.Text></div>
          <div>{receipt.storeName ?? receipt.storeId}</div>
          <div>{formatDateTime(receipt.businessAt, tz)}</div>
          <div>{t(`receipts.kinds.${receipt.kind}`)} {formatMoney(receipt.total)}</div>
        </div>
      )
  return (
    <Popover trigger="click" content={content} onOpenChange={load}>
      <Typography.Link>{label}</Typography.Link>
    </Popover>
  )
}
