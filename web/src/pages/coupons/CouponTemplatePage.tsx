import { EditOutlined } from '@ant-design/icons'
import { App, Breadcrumb, Button, Card, Col, Descriptions, Flex, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { useApiQuery, useSetApiData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../format.js'
import { useReferenceData } from '../../hooks/use-reference-data.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { BulkIssuePanel, IssueOnePanel } from './IssuePanels.js'
import { TemplateCoupons } from './TemplateCoupons.js'
import { TemplateFormModal } from './TemplateFormModal.js'
import { TemplateStatusActions } from './TemplateStatusActions.js'
import { budgetText, goodsText, placesText, rateText, stackingText, summarizeOffer, validityText } from './template-summary.js'
import { KIND_COLORS, TEMPLATE_STATUS_COLORS, type CouponReport, type IssueRun } from './types.js'
import { useTemplates } from './use-templates.js'

const RUN_COLORS: Record<IssueRun['status'], string> = { running: 'blue', completed: 'green', failed: 'red' }

/** The template's redemption figures. */
const ReportCard = ({ report }: { report: CouponReport | null }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const figures: Array<[string, string, string]> = report
    ? [
        ['issued', t('report.issued'), formatCount(report.issued)],
        ['unused', t('report.unused'), formatCount(report.unused)],
        ['used', t('report.used'), formatCount(report.used)],
        ['expired', t('report.expired'), formatCount(report.expired)],
        ['voided', t('report.voided'), formatCount(report.voided)],
        ['rate', t('report.rate'), rateText(report.redemptionRate)],
        ['discount', t('report.discount'), formatMoney(report.discountGiven)],
        ['bonus', t('report.bonusPoints'), formatCount(report.bonusPoints)],
        ['receipts', t('report.receipts'), formatCount(report.receipts)],
        ['sales', t('report.sales'), formatMoney(report.sales)],
      ]
    : []
  return (
    <Card title={t('report.title')} size="small" data-testid="template-report">
      {report
        ? (
          <Row gutter={[16, 16]}>
            {figures.map(([key, title, value]) => (
              <Col key={key} xs={12} md={6} xl={4}>
                <Statistic title={title} value={value} valueRender={(n) => <span data-testid={`report-${key}`}>{n}</span>} />
              </Col>
            ))}
          </Row>
        )
        : <Skeleton active paragraph={{ rows: 2 }} title={false} />}
    </Card>
  )
}

/** The template's bulk issues, newest first. */
const IssueRuns = ({ templateId }: { templateId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data: runs, error, refetch } = useApiQuery('/api/v1/coupon-templates/{id}/issues', { params: { path: { id: templateId } } })
  return (
    <Card title={t('runs.title')} size="small">
      {error
        ? <ErrorResult error={error} onRetry={() => void refetch()} compact />
        : (
          <Table<IssueRun>
            rowKey="id" size="small" dataSource={runs ?? []} loading={runs === undefined} pagination={{ pageSize: 10, hideOnSinglePage: true }} scroll={{ x: 900 }}
            locale={{ emptyText: t('runs.empty') }} data-testid="issue-runs"
            columns={[
              { key: 'at', title: t('runs.createdAt'), width: 150, render: (_, r) => formatDateTime(r.createdAt, tz) },
              { key: 'source', title: t('runs.source'), render: (_, r) => r.sourceName },
              { key: 'key', title: t('runs.issueKey'), render: (_, r) => <Typography.Text code>{r.issueKey}</Typography.Text> },
              { key: 'total', title: t('runs.total'), width: 80, align: 'right', render: (_, r) => formatCount(r.total) },
              { key: 'issued', title: t('bulk.issued'), width: 80, align: 'right', render: (_, r) => formatCount(r.issued) },
              { key: 'skipped', title: t('bulk.skipped'), width: 80, align: 'right', render: (_, r) => formatCount(r.skipped) },
              { key: 'failed', title: t('bulk.failed'), width: 80, align: 'right', render: (_, r) => formatCount(r.failed) },
              { key: 'status', title: t('runs.status'), width: 90, render: (_, r) => <Tag color={RUN_COLORS[r.status]} title={r.errorMessage ?? undefined}>{t(`runs.statuses.${r.status}`)}</Tag> },
              { key: 'by', title: t('runs.createdBy'), width: 110, render: (_, r) => r.createdBy ?? '—' },
            ]}
          />
        )}
    </Card>
  )
}

/** One coupon template: what it gives and to whom, its figures, issuing (one member or a list), and its coupons. */
export const CouponTemplatePage = () => {
  const { id = '' } = useParams()
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { can } = useSession()
  const { message } = App.useApp()
  const read = { params: { path: { id } } }
  const { data: template, error, refetch } = useApiQuery('/api/v1/coupon-templates/{id}', read)
  // A change answers with the template: shown at once (what is on screen also loads again by itself).
  const setTemplate = useSetApiData('/api/v1/coupon-templates/{id}', read)
  const [editing, setEditing] = useState(false)
  const refs = useReferenceData()
  const { tiers, tierName } = useTiers()
  const all = useTemplates()
  const reportsAllowed = can('rewards.reports')
  const report = useApiQuery('/api/v1/coupon-reports', { params: { query: { templateId: id } } }, { enabled: reportsAllowed }).data?.[0] ?? null

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!template) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>

  const names = { store: refs.storeName, region: refs.regionName, tier: (code: string) => tierName(code) ?? code }
  const manage = can('rewards.manage')
  return (
    <Flex vertical gap={16} data-testid="coupon-template">
      <Breadcrumb items={[{ title: <Link to="/rewards/coupons">{t('template.back')}</Link> }, { title: template.name }]} />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <Space align="center" wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="template-title">{template.name}</Typography.Title>
            <Tag color={KIND_COLORS[template.kind]}>{t(`kinds.${template.kind}`)}</Tag>
            <Tag color={TEMPLATE_STATUS_COLORS[template.status]} data-testid="template-status">{t(`templateStatus.${template.status}`)}</Tag>
          </Space>
          {manage && (
            <Space>
              {template.status !== 'archived' && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="template-edit">{t('templates.edit')}</Button>}
              <TemplateStatusActions template={template} size="middle" onChanged={(saved) => setTemplate(() => saved)} />
            </Space>
          )}
        </Flex>
        <Descriptions
          style={{ marginTop: 16 }} column={{ xs: 1, md: 2 }} size="small" bordered
          items={[
            { key: 'offer', label: t('template.offer'), children: <span data-testid="template-offer">{summarizeOffer(template, t)}</span> },
            { key: 'validity', label: t('template.validity'), children: validityText(template, t) },
            { key: 'goods', label: t('template.goods'), children: goodsText(template.scope, t) },
            { key: 'places', label: t('template.places'), children: placesText(template, names, t) },
            { key: 'stacking', label: t('template.stacking'), children: stackingText(template, all.templateName, t) },
            { key: 'restore', label: t('template.restoreOnReturn'), children: template.restoreOnReturn ? t('template.yes') : t('template.no') },
            { key: 'autoIssue', label: t('template.autoIssue'), children: template.autoIssue === 'registration' ? t('template.yes') : t('template.no') },
            {
              key: 'issuedBudget', label: t('template.issuedBudget'),
              children: budgetText(formatCount(template.issuedCount), template.maxIssued === null ? null : formatCount(template.maxIssued), t),
            },
            {
              key: 'valueBudget', label: t('template.valueBudget'),
              children: budgetText(formatMoney(template.redeemedValue), template.maxRedeemedValue === null ? null : formatMoney(template.maxRedeemedValue), t),
            },
            ...(template.description ? [{ key: 'description', label: t('template.description'), children: template.description }] : []),
          ]}
        />
      </Card>
      {reportsAllowed && <ReportCard report={report} />}
      {can('rewards.issue') && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}><IssueOnePanel template={template} /></Col>
          <Col xs={24} lg={14}><BulkIssuePanel template={template} /></Col>
        </Row>
      )}
      <IssueRuns templateId={template.id} />
      <TemplateCoupons templateId={template.id} />
      {editing && (
        <TemplateFormModal
          template={template} templates={all.templates ?? []} stores={refs.stores} regions={refs.regions} tree={refs.tree} tiers={tiers}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false)
            setTemplate(() => saved)
            void message.success(t('templates.saved'))
          }}

        />
      )}
    </Flex>
  )
}

export default CouponTemplatePage
