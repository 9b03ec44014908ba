import { Flex, Table, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { formatCount, formatMoney } from '../../format.js'
import { quantityText, type Receipt } from './receipt-format.js'

/** A receipt's lines (with what was returned of them) and its tenders; the receipts list and the member's receipts open to it. */
export const ReceiptDetail = ({ receipt }: { receipt: Receipt }) => {
  const { t } = useTranslation('loyaltySettings')
  const { t: tt } = useTranslation('till')
  const isReturn = receipt.kind === 'return'
  return (
    <Flex gap={24} wrap data-testid={`receipt-detail-${receipt.receiptNo}`}>
      <div style={{ flex: '2 1 560px' }}>
        <Typography.Text strong>{t('receipts.lines')}</Typography.Text>
        <Table
          size="small" rowKey="lineNo" pagination={false} dataSource={receipt.lines} style={{ marginTop: 8 }}
          columns={[
            { key: 'lineNo', title: t('receipts.lineNo'), dataIndex: 'lineNo', width: 56 },
            { key: 'sku', title: t('receipts.sku'), dataIndex: 'sku' },
            { key: 'name', title: t('receipts.name'), render: (_, l) => l.name ?? '—' },
            {
              key: 'quantity', title: t('receipts.quantity'), align: 'right',
              render: (_, l) => (
                <>
                  {quantityText(l)}
                  {l.returnedQuantity > 0 && <Tag style={{ marginInlineStart: 6 }}>{t('receipts.returned', { quantity: quantityText({ quantity: l.returnedQuantity, unit: l.unit }) })}</Tag>}
                </>
              ),
            },
            { key: 'unitPrice', title: t('receipts.unitPrice'), align: 'right', render: (_, l) => `${formatMoney(l.unitPrice)}${l.unit === 'g' ? '/kg' : ''}` },
            { key: 'discount', title: t('receipts.discount'), align: 'right', render: (_, l) => (l.discount ? formatMoney(l.discount) : '—') },
            { key: 'amount', title: t('receipts.amount'), align: 'right', render: (_, l) => formatMoney(l.amount) },
            { key: 'points', title: t('receipts.points'), align: 'right', render: (_, l) => formatCount(l.points) },
          ]}
        />
      </div>
      <div style={{ flex: '1 1 280px' }}>
        {/* A return's tenders are its refund: money back to each tender of the sale, points given back, what coupons paid. */}
        <Typography.Text strong>{isReturn ? tt('returns.refundTitle') : t('receipts.tenders')}</Typography.Text>
        <Table
          size="small" rowKey={(_, i) => String(i)} pagination={false} dataSource={receipt.tenders} style={{ marginTop: 8 }}
          columns={[
            {
              key: 'kind', title: t('receipts.tenderKind'),
              render: (_, x) => (isReturn ? tt(`returns.refundKinds.${x.kind as 'cash'}`, { defaultValue: x.kind }) : t(`tenders.${x.kind as 'cash'}`, { defaultValue: x.kind })),
            },
            { key: 'amount', title: t('receipts.amount'), align: 'right', render: (_, x) => formatMoney(x.amount) },
            { key: 'points', title: t('receipts.tenderPoints'), align: 'right', render: (_, x) => (x.points === null ? '—' : formatCount(x.points)) },
            { key: 'reference', title: t('receipts.reference'), render: (_, x) => x.reference ?? '—' },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('receipts.cashier')}: {[receipt.till, receipt.cashier].filter(Boolean).join(' / ') || '—'}
          {receipt.originalReceiptNo && <><br />{t('receipts.original', { no: receipt.originalReceiptNo })}</>}
          {receipt.returnReason && <><br />{tt('returns.reasonShown', { reason: [tt(`returns.reasons.${receipt.returnReason as 'other'}`, { defaultValue: receipt.returnReason }), receipt.returnNote].filter(Boolean).join('：') })}</>}
          {receipt.approvedBy && <><br />{tt('returns.approvedBy', { name: receipt.approvedBy })}</>}
        </Typography.Paragraph>
      </div>
    </Flex>
  )
}
