import { App, Button, Drawer, Flex, Form, InputNumber, Popconfirm, Select, Table, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { REFERENCE_STALE_MS, apiKey, useApiMutation, useApiQuery, type GetData } from '../../../api/query.js'
import { errorMessage } from '../../../components/errors.js'
import { UNIT, formatFigure, targetFromInput, targetToInput } from '../kpis/kpi-charts.js'

type Target = GetData<'/api/v1/insight/kpi-targets'>[number]
type Metric = Target['metric']

const TARGET_METRICS: Metric[] = [
  'netSales', 'salesGrowth', 'memberSalesShare', 'newMembers', 'activeMembers', 'repurchaseRate', 'retentionRate', 'churnRate', 'members',
  'avgTicketMember', 'avgTicketNonMember', 'purchaseFrequency', 'pointsIssued', 'pointsRedeemed', 'couponsIssued', 'couponsRedeemed', 'couponRedemptionRate',
  'memberNetSales', 'satisfaction',
]

interface NewTarget { scopeKind: 'chain' | 'region' | 'store'; scopeId?: string; metric: Metric; value: number }

/** HQ's targets of a month or year: add one (chain, region or store), change a value in place, remove one. Audited by the API. */
export const TargetsDrawer = ({ period, open, onClose }: { period: string; open: boolean; onClose: () => void }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'report' })
  const { t: tk } = useTranslation('insight', { keyPrefix: 'kpis' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<NewTarget>()
  const scopeKind = Form.useWatch('scopeKind', form) ?? 'chain'
  const metric = Form.useWatch('metric', form)
  const targets = useApiQuery('/api/v1/insight/kpi-targets', { params: { query: { period } } }, { enabled: open })
  const regions = useApiQuery('/api/v1/regions', undefined, { enabled: open, staleTime: REFERENCE_STALE_MS }).data ?? []
  const stores = useApiQuery('/api/v1/stores', undefined, { enabled: open, staleTime: REFERENCE_STALE_MS }).data ?? []
  const reload = [apiKey('/api/v1/insight/kpi-targets'), apiKey('/api/v1/insight/report')]
  const create = useApiMutation('post', '/api/v1/insight/kpi-targets', { invalidates: reload, onSuccess: () => { void message.success(t('editor.added')); form.resetFields(['metric', 'value']) } })
  const patch = useApiMutation('patch', '/api/v1/insight/kpi-targets/{id}', { invalidates: reload, onSuccess: () => void message.success(t('editor.saved')) })
  const remove = useApiMutation('delete', '/api/v1/insight/kpi-targets/{id}', { invalidates: reload, onSuccess: () => void message.success(t('editor.removed')) })
  const scopeName = (r: Target) => (r.scopeKind === 'chain' ? t('editor.chain')
    : r.scopeKind === 'region' ? regions.find((x) => x.id === r.scopeId)?.name ?? r.scopeId
      : (() => { const s = stores.find((x) => x.id === r.scopeId); return s ? `${s.code} ${s.name}` : r.scopeId })())

  const add = (v: NewTarget) => create.mutate({ body: { period, scopeKind: v.scopeKind, scopeId: v.scopeKind === 'chain' ? null : v.scopeId ?? null, metric: v.metric, target: targetFromInput(v.metric, v.value) } }, {
    onError: (err) => void message.error(errorMessage(tc, err)),
  })

  return (
    <Drawer title={t('editor.title', { period })} open={open} onClose={onClose} width={720} data-testid="targets-drawer">
      <Form form={form} layout="inline" initialValues={{ scopeKind: 'chain' }} onFinish={add} style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item name="scopeKind" label={t('editor.scope')}>
          <Select data-testid="target-scope-kind" style={{ width: 110 }} options={(['chain', 'region', 'store'] as const).map((k) => ({ value: k, label: t(`editor.${k}`) }))} />
        </Form.Item>
        {scopeKind !== 'chain' && (
          <Form.Item name="scopeId" rules={[{ required: true }]}>
            <Select
              data-testid="target-scope-id" style={{ width: 180 }} showSearch={{ optionFilterProp: 'label' }}
              options={scopeKind === 'region' ? regions.map((r) => ({ value: r.id, label: r.name })) : stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="metric" label={t('editor.metric')} rules={[{ required: true }]}>
          <Select data-testid="target-metric" style={{ width: 180 }} options={TARGET_METRICS.map((m) => ({ value: m, label: tk(`metrics.${m}`) }))} />
        </Form.Item>
        <Form.Item
          name="value" label={t('editor.value')} rules={[{ required: true }]}
          tooltip={metric && UNIT[metric] === 'ratio' ? t('editor.ratioHint') : metric && UNIT[metric] === 'money' ? t('editor.moneyHint') : undefined}
        >
          <InputNumber data-testid="target-value" min={0} style={{ width: 120 }} addonAfter={metric && UNIT[metric] === 'ratio' ? '%' : metric && UNIT[metric] === 'money' ? '¥' : undefined} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="target-add">{t('editor.add')}</Button>
      </Form>
      <Table
        data-testid="targets-table" size="small" rowKey="id" pagination={false} loading={targets.isFetching && !targets.data}
        locale={{ emptyText: t('editor.empty') }} dataSource={targets.data?.filter((r) => r.period === period) ?? []}
        columns={[
          { title: t('editor.scope'), key: 'scope', render: (_, r) => scopeName(r) },
          { title: t('editor.metric'), dataIndex: 'metric', render: (m: Metric) => tk(`metrics.${m}`) },
          {
            title: t('editor.value'), dataIndex: 'target', align: 'right',
            render: (v: number, r) => (
              <Flex gap={6} justify="end" align="center">
                <InputNumber
                  size="small" min={0} defaultValue={targetToInput(r.metric, v)} style={{ width: 110 }} data-testid={`target-edit-${r.metric}`}
                  onBlur={(e) => {
                    const typed = Number(e.target.value.replace(/,/g, ''))
                    if (Number.isFinite(typed) && targetFromInput(r.metric, typed) !== v) patch.mutate({ params: { path: { id: r.id } }, body: { target: targetFromInput(r.metric, typed) } }, { onError: (err) => void message.error(errorMessage(tc, err)) })
                  }}
                />
                <Typography.Text type="secondary">{formatFigure(r.metric, v)}</Typography.Text>
              </Flex>
            ),
          },
          {
            key: 'remove', width: 80,
            render: (_, r) => (
              <Popconfirm title={t('editor.removeConfirm')} onConfirm={() => remove.mutate({ params: { path: { id: r.id } } }, { onError: (err) => void message.error(errorMessage(tc, err)) })}>
                <Button size="small" danger type="link" data-testid={`target-remove-${r.metric}`}>{t('editor.remove')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Drawer>
  )
}
