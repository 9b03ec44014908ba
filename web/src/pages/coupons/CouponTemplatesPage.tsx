import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { formatCount, formatMoney } from '../../format.js'
import { useReferenceData } from '../../hooks/use-reference-data.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { TemplateFormModal } from './TemplateFormModal.js'
import { TemplateStatusActions } from './TemplateStatusActions.js'
import { rateText, summarizeOffer, validityText } from './template-summary.js'
import { KIND_COLORS, TEMPLATE_STATUS_COLORS, TEMPLATE_STATUSES, type CouponTemplate, type TemplateStatus } from './types.js'
import { useTemplates } from './use-templates.js'

/** Coupon templates with what they give, their validity and how they are used; created, edited, paused and archived here. */
export const CouponTemplatesPage = () => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { can } = useSession()
  const { message } = App.useApp()
  const manage = can('rewards.manage')
  const [status, setStatus] = useState<TemplateStatus | undefined>(undefined)
  // All of them (a chain has dozens), filtered here: the form lists every one it may stack with.
  const { templates, reports, reportsAllowed, loading, error, load } = useTemplates()
  const shown = status ? (templates ?? []).filter((x) => x.status === status) : templates ?? []
  const refs = useReferenceData()
  const { tiers } = useTiers()
  const [editing, setEditing] = useState<CouponTemplate | 'new' | null>(null)

  const columns: TableColumnsType<CouponTemplate> = [
    {
      key: 'name', title: t('templates.columns.name'),
      render: (_, tpl) => (
        <Space orientation="vertical" size={2}>
          <Link to={`/rewards/coupons/${tpl.id}`} data-testid={`template-link-${tpl.id}`}><Typography.Text strong>{tpl.name}</Typography.Text></Link>
          <Space size={4} wrap>
            <Tag color={KIND_COLORS[tpl.kind]}>{t(`kinds.${tpl.kind}`)}</Tag>
            {tpl.autoIssue === 'registration' && <Tag color="purple">{t('templates.autoIssue')}</Tag>}
          </Space>
        </Space>
      ),
    },
    { key: 'offer', title: t('templates.columns.offer'), render: (_, tpl) => <span data-testid={`template-offer-${tpl.id}`}>{summarizeOffer(tpl, t)}</span> },
    { key: 'validity', title: t('templates.columns.validity'), width: 170, render: (_, tpl) => validityText(tpl, t) },
    {
      key: 'status', title: t('templates.columns.status'), width: 90,
      render: (_, tpl) => <Tag color={TEMPLATE_STATUS_COLORS[tpl.status]} data-testid={`template-status-${tpl.id}`}>{t(`templateStatus.${tpl.status}`)}</Tag>,
    },
    {
      key: 'issued', title: t('templates.columns.issued'), width: 80, align: 'right',
      render: (_, tpl) => formatCount(reports.get(tpl.id)?.issued ?? tpl.issuedCount),
    },
    ...(reportsAllowed
      ? [
          { key: 'used', title: t('templates.columns.used'), width: 80, align: 'right' as const, render: (_: unknown, tpl: CouponTemplate) => formatCount(reports.get(tpl.id)?.used ?? 0) },
          { key: 'rate', title: t('templates.columns.rate'), width: 80, align: 'right' as const, render: (_: unknown, tpl: CouponTemplate) => rateText(reports.get(tpl.id)?.redemptionRate ?? 0) },
          {
            key: 'discount', title: t('templates.columns.discount'), width: 110, align: 'right' as const,
            render: (_: unknown, tpl: CouponTemplate) => formatMoney(reports.get(tpl.id)?.discountGiven ?? tpl.redeemedValue),
          },
        ]
      : []),
    ...(manage
      ? [{
          key: 'actions', title: t('templates.columns.actions'), width: 160, fixed: 'right' as const,
          render: (_: unknown, tpl: CouponTemplate) => (
            <Space size={0}>
              {tpl.status !== 'archived' && <Button type="link" size="small" onClick={() => setEditing(tpl)} data-testid={`template-edit-${tpl.id}`}>{t('templates.edit')}</Button>}
              <TemplateStatusActions template={tpl} />
            </Space>
          ),
        }]
      : []),
  ]

  return (
    <Card
      title={t('templates.title')}
      extra={(
        <Space>
          <Select
            style={{ width: 140 }} allowClear placeholder={t('templates.allStatuses')} value={status} onChange={setStatus} data-testid="templates-status"
            options={TEMPLATE_STATUSES.map((s) => ({ value: s, label: t(`templateStatus.${s}`) }))}
          />
          {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="template-create">{t('templates.create')}</Button>}
        </Space>
      )}
    >
      {error
        ? <ErrorResult error={error} onRetry={load} compact />
        : (
          <Table<CouponTemplate>
            data-testid="templates-table" rowKey="id" size="middle" columns={columns} dataSource={shown} loading={loading}
            pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 1000 }} locale={{ emptyText: t('templates.empty') }}
            onRow={(tpl) => (tpl.status === 'archived' ? { style: { opacity: 0.6 } } : {})}
          />
        )}
      {editing && (
        <TemplateFormModal
          key={editing === 'new' ? 'new' : editing.id}
          template={editing === 'new' ? null : editing}
          templates={templates ?? []} stores={refs.stores} regions={refs.regions} tree={refs.tree} tiers={tiers}
          onClose={() => setEditing(null)}
          onSaved={(_, created) => {
            setEditing(null)
            void message.success(created ? t('templates.created') : t('templates.saved'))

          }}
        />
      )}
    </Card>
  )
}

export default CouponTemplatesPage
