import { ExclamationCircleOutlined } from '@ant-design/icons'
import { Button, Flex, Table, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useSession } from '../../auth/session.js'
import { formatCount, formatMoney } from '../../format.js'
import { newTicketLink } from '../service/tickets/ticket-format.js'
import { quantityText, type Receipt } from './receipt-format.js'

/** A receipt's lines (with what was returned of them) and its tenders; the receipts list and the member's receipts open to it. */
export const ReceiptDetail = ({ receipt }: { receipt: Receipt }) => {
  const { t } = useTranslation('receipts')
  const { t: ts } = useTranslation('service', { keyPrefix: 'tickets' })
  const { can } = useSession()
  // A complaint about this purchase: the member, the receipt and its store prefilled.
  const complain = newTicketLink({ memberId: receipt.memberId, receiptId: receipt.id, storeId: receipt.storeId })
  const isReturn = receipt.kind === 'return'
  return (
    <Flex gap={24} wrap data-testid={`receipt-detail-${receipt.receiptNo}`}>
      <div style={{ flex: '2 1 560px' }}>
        <Typography.Text strong>{t('lines')}</Typography.Text>
        <Table
          size="small" rowKey="lineNo" pagination={false} dataSource={receipt.lines} style={{ marginTop: 8 }}
          columns={[
            { key: 'lineNo', title: t('lineNo'), dataIndex: 'lineNo', width: 56 },
            { key: 'sku', title: t('sku'), dataIndex: 'sku' },
            { key: 'name', title: t('name'), render: (_, l) => l.name ?? '—' },
            {
              key: 'quantity', title: t('quantity'), align: 'right',
              render: (_, l) => (
                <>
                  {quantityText(l)}
                  {l.returnedQuantity > 0 && <Tag style={{ marginInlineStart: 6 }}>{t('returned', { quantity: quantityText({ quantity: l.returnedQuantity, unit: l.unit }) })}</Tag>}
                </>
              ),
            },
            { key: 'unitPrice', title: t('unitPrice'), align: 'right', render: (_, l) => `${formatMoney(l.unitPrice)}${l.unit === 'g' ? '/kg' : ''}` },
            { key: 'discount', title: t('discount'), align: 'right', render: (_, l) => (l.discount ? formatMoney(l.discount) : '—') },
            { key: 'amount', title: t('amount'), align: 'right', render: (_, l) => formatMoney(l.amount) },
            { key: 'points', title: t('points'), align: 'right', render: (_, l) => formatCount(l.points) },
          ]}
        />
      </div>
      <div style={{ flex: '1 1 280px' }}>
        {/* A return's tenders are its refund: money back to each tender of the sale, points given back, what coupons paid. */}
        <Typography.Text strong>{isReturn ? t('returns.refundTitle') : t('tendersTitle')}</Typography.Text>
        <Table
          size="small" rowKey={(_, i) => String(i)} pagination={false} dataSource={receipt.tenders} style={{ marginTop: 8 }}
          columns={[
            {
              key: 'kind', title: t('tenderKind'),
              render: (_, x) => (isReturn ? t(`returns.refundKinds.${x.kind as 'cash'}`, { defaultValue: x.kind }) : t(`tenders.${x.kind as 'cash'}`, { defaultValue: x.kind })),
            },
            { key: 'amount', title: t('amount'), align: 'right', render: (_, x) => formatMoney(x.amount) },
            { key: 'points', title: t('tenderPoints'), align: 'right', render: (_, x) => (x.points === null ? '—' : formatCount(x.points)) },
            { key: 'reference', title: t('reference'), render: (_, x) => x.reference ?? '—' },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('cashier')}: {[receipt.till, receipt.cashier].filter(Boolean).join(' / ') || '—'}
          {receipt.originalReceiptNo && <><br />{t('original', { no: receipt.originalReceiptNo })}</>}
          {receipt.returnReason && <><br />{t('returns.reasonShown', { reason: [t(`returns.reasons.${receipt.returnReason as 'other'}`, { defaultValue: receipt.returnReason }), receipt.returnNote].filter(Boolean).join('：') })}</>}
          {receipt.approvedBy && <><br />{t('returns.approvedBy', { name: receipt.approvedBy })}</>}
        </Typography.Paragraph>
        {can('service.intake') && (
          <Link to={complain}><Button size="small" icon={<ExclamationCircleOutlined />} data-testid={`receipt-complain-${receipt.receiptNo}`}>{ts('receipt.complain')}</Button></Link>
        )}
      </div>
    </Flex>
  )
}
