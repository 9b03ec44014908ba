import { App, Button, Card, Input, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import type { components } from '../../api/schema.js'
import { refundText } from './receipt-format.js'

type Approval = components['schemas']['ReturnApproval']

/**
 * Desk returns above the chain's limit, waiting for a store manager: the manager approves (the
 * return is posted then, and the message says what to hand back) or rejects with a reason; the
 * desk sees its requests wait. Shown only while there are any (a return, approval or rejection
 * anywhere on the page reloads them, as every change does).
 */
export const ReturnApprovals = () => {
  const { t } = useTranslation('receipts')
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message, modal } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const mayDecide = can('receipts.approve_returns')
  const { data, refetch } = useApiQuery('/api/v1/return-approvals', { params: { query: { status: 'pending' } } })
  const items: Approval[] = data ?? []
  // After a refusal (another manager decided first), what is still pending.
  const load = () => void refetch()
  const [busy, setBusy] = useState<string | null>(null)

  const approve = async (a: Approval) => {
    setBusy(a.id)
    try {
      const { result } = await call(api.POST('/api/v1/return-approvals/{id}/approve', { params: { path: { id: a.id } }, body: {} }))
      const text = t('returns.approved', { refund: result.refund ? refundText(t as never, result.refund, result.points, formatMoney, formatCount) : formatMoney(result.total) })
      modal.success({ title: t('returns.status.approved'), content: <span data-testid="approval-done">{text}</span> })
    } catch (err) {
      void message.error(errorMessage(tc, err))
      load()
    } finally {
      setBusy(null)
    }
  }

  const reject = (a: Approval) => {
    let note = ''
    modal.confirm({
      title: t('returns.rejectTitle'), okText: t('returns.reject'), okButtonProps: { danger: true },
      content: <Input maxLength={200} placeholder={t('returns.rejectNote')} onChange={(e) => { note = e.target.value }} data-testid="approval-reject-note" />,
      onOk: async () => {
        try {
          await call(api.POST('/api/v1/return-approvals/{id}/reject', { params: { path: { id: a.id } }, body: note.trim() ? { note: note.trim() } : {} }))
          void message.success(t('returns.rejected', { receiptNo: a.receiptNo }))
        } catch (err) {
          void message.error(errorMessage(tc, err))
          load()
        }

      },
    })
  }

  if (items.length === 0) return null
  return (
    <Card size="small" title={<Space>{t('returns.pendingTitle')}<Tag color="gold">{items.length}</Tag></Space>} style={{ marginBottom: 16 }} data-testid="return-approvals">
      <Table<Approval>
        rowKey="id" size="small" pagination={false} dataSource={items}
        columns={[
          { key: 'at', title: t('returns.requestedAt'), width: 150, render: (_, a) => formatDateTime(a.createdAt, tz) },
          { key: 'no', title: t('returns.returnNo'), render: (_, a) => <><Typography.Text strong>{a.receiptNo}</Typography.Text><div><Typography.Text type="secondary">{t('returns.original')} {a.originalReceiptNo}</Typography.Text></div></> },
          { key: 'lines', title: t('returns.lines'), render: (_, a) => a.lines.map((l) => t('returns.lineOf', { n: String(l.originalLineNo ?? l.sku ?? ''), quantity: l.quantity })).join(t('returns.tenderJoin')) },
          { key: 'total', title: t('returns.total'), align: 'right', render: (_, a) => <Typography.Text strong>{formatMoney(a.total)}</Typography.Text> },
          { key: 'reason', title: t('returns.reason'), render: (_, a) => [t(`returns.reasons.${a.reason as 'other'}`, { defaultValue: a.reason }), a.note].filter(Boolean).join('：') },
          { key: 'by', title: t('returns.requestedBy'), dataIndex: 'requestedBy' },
          {
            key: 'actions', title: '', width: 150,
            render: (_, a) => (mayDecide
              ? (
                <Space>
                  <Button size="small" type="primary" loading={busy === a.id} onClick={() => void approve(a)} data-testid={`approval-approve-${a.receiptNo}`}>{t('returns.approve')}</Button>
                  <Button size="small" danger disabled={busy === a.id} onClick={() => reject(a)} data-testid={`approval-reject-${a.receiptNo}`}>{t('returns.reject')}</Button>
                </Space>
              )
              : <Tag color="gold">{t('returns.status.pending')}</Tag>),
          },
        ]}
      />
    </Card>
  )
}
