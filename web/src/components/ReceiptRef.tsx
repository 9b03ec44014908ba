import { Popover, Skeleton, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../api/query.js'
import { useSession } from '../auth/session.js'
import { DEFAULT_TIMEZONE, formatDateTime, formatMoney } from '../format.js'
import { useErrorText } from '../hooks/use-error-text.js'

/** A ledger entry's receipt: its number, a link that shows the store, time and total when opened. */
export const ReceiptRef = ({ receiptId, receiptNo }: { receiptId: string; receiptNo?: string | null }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const { can, chain } = useSession()
  const errorText = useErrorText()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  // Read when first opened, not for every row of the table.
  const [opened, setOpened] = useState(false)
  const allowed = can('receipts.read')
  const { data: receipt, error } = useApiQuery('/api/v1/receipts/{id}', { params: { path: { id: receiptId } } }, { enabled: opened && allowed })

  const label = receiptNo ? t('ledger.receiptNo', { receiptNo }) : t('ledger.receipt')
  if (!allowed) return <span>{label}</span>
  const load = (open: boolean) => {
    if (open) setOpened(true)
  }
  const content = error
    ? <Typography.Text type="danger">{errorText(error)}</Typography.Text>

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
