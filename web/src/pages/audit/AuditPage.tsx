import { FilterOutlined, LeftOutlined, RightOutlined, SearchOutlined, VerticalRightOutlined } from '@ant-design/icons'
import { Button, Card, Col, DatePicker, Flex, Form, Input, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE } from '../../format.js'
import { ChangesDetail, ChangesSummary } from './changes.js'

type Page = paths['/api/v1/audit']['get']['responses']['200']['content']['application/json']
type Entry = Page['items'][number]
type Query = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>

/** Every action the server records (audit.record calls), for the filter; others still show raw. */
const ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'auth.password_change', 'chain.rename', 'demo.seed',
  'member.register', 'member.update', 'member.freeze', 'member.unfreeze', 'member.consent.grant', 'member.consent.withdraw',
  'member.merge', 'member.merged_into', 'member.reveal', 'member.export', 'member.import', 'member.import_failed',
  'pos_key.create', 'pos_key.revoke', 'region.create', 'staff.create', 'staff.update', 'staff.password_reset',
  'store.create', 'store.update', 'store.close', 'store.reopen',
]
const ENTITY_TYPES = ['chain', 'member', 'member_import', 'pos_api_key', 'region', 'staff_user', 'store']
const FILTER_KEYS = ['action', 'entityType', 'entityId', 'actorId', 'from', 'to'] as const
type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>
const PAGE_SIZES = [20, 50, 100]
const MINUTE = 'YYYY-MM-DD HH:mm'

interface FormValues {
  action?: string
  entityType?: string
  entityId?: string
  actorId?: string
  range?: [Dayjs | null, Dayjs | null] | null
}

// The pickers show wall-clock time; the chain's time zone, not the browser's, gives it meaning.
// A picked end minute is included: `to` (exclusive on the server) is the minute after it.
const toInstant = (d: Dayjs, tz: string) => dayjs.tz(d.format(MINUTE), MINUTE, tz).toISOString()
const fromInstant = (iso: string, tz: string) => dayjs(dayjs(iso).tz(tz).format(MINUTE), MINUTE)

/** The audit log, newest first: filters in the URL, cursor paging with a stack for "previous". */
export const AuditPage = () => {
  const { t } = useTranslation('audit')
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [params, setParams] = useSearchParams()
  const [form] = Form.useForm<FormValues>()
  const [limit, setLimit] = useState(PAGE_SIZES[0]!)
  const [stack, setStack] = useState<string[]>([])
  const [page, setPage] = useState<Page | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)

  const filters = useMemo<Filters>(() => Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v)), [params])
  const filtersKey = JSON.stringify(filters)
  const cursor = stack[stack.length - 1]

  // New filters: back to the first page, and the form shows them (also after back / forward).
  useEffect(() => {
    setStack([])
    form.setFieldsValue({
      action: filters.action, entityType: filters.entityType, entityId: filters.entityId, actorId: filters.actorId,
      range: filters.from || filters.to
        ? [filters.from ? fromInstant(filters.from, tz) : null, filters.to ? fromInstant(filters.to, tz).subtract(1, 'minute') : null]
        : null,
    })
  }, [filtersKey, form, tz])

  useEffect(() => {
    let cancelled = false
    setLoading(true)
    setError(null)
    const query: Query = { ...(JSON.parse(filtersKey) as Filters), limit, ...(cursor ? { cursor } : {}) }
    call(api.GET('/api/v1/audit', { params: { query } }))
      .then((p) => { if (!cancelled) setPage(p) }, (err: unknown) => { if (!cancelled) setError(err) })
      .finally(() => { if (!cancelled) setLoading(false) })
    return () => {
      cancelled = true
    }
  }, [filtersKey, cursor, limit, attempt])

  const apply = useCallback((next: Filters) => {
    const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v && v.trim())) as Record<string, string>
    setParams(clean)
    setStack([])
    setAttempt((a) => a + 1)
  }, [setParams])

  const search = (v: FormValues) => {
    const [start, end] = v.range ?? [null, null]
    apply({
      action: v.action, entityType: v.entityType, entityId: v.entityId?.trim(), actorId: v.actorId?.trim(),
      from: start ? toInstant(start, tz) : undefined,
      to: end ? dayjs(toInstant(end, tz)).add(1, 'minute').toISOString() : undefined,
    })
  }

  const actionLabel = (a: string) => t(`actions.${a.replace(/\./g, '_')}` as never, { defaultValue: a })
  const entityLabel = (e: string) => t(`entityTypes.${e}` as never, { defaultValue: e })
  const formatAt = (iso: string) => dayjs(iso).tz(tz).format('YYYY-MM-DD HH:mm:ss')

  const now = dayjs(dayjs().tz(tz).format(MINUTE), MINUTE)
  const presets = [
    { label: t('filters.today'), value: [now.startOf('day'), now.endOf('day')] as [Dayjs, Dayjs] },
    { label: t('filters.last7'), value: [now.subtract(6, 'day').startOf('day'), now.endOf('day')] as [Dayjs, Dayjs] },
    { label: t('filters.last30'), value: [now.subtract(29, 'day').startOf('day'), now.endOf('day')] as [Dayjs, Dayjs] },
  ]

  return (
    <Card>
      <Form form={form} layout="vertical" onFinish={search} data-testid="audit-filters">
        <Row gutter={16}>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="action" label={t('filters.action')}>
              <Select
                data-testid="audit-filter-action" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('filters.anyAction')}
                options={ACTIONS.map((a) => ({ value: a, label: `${actionLabel(a)} (${a})` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="entityType" label={t('filters.entityType')}>
              <Select
                data-testid="audit-filter-entity-type" allowClear placeholder={t('filters.anyEntityType')}
                options={ENTITY_TYPES.map((e) => ({ value: e, label: entityLabel(e) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="entityId" label={t('filters.entityId')}>
              <Input data-testid="audit-filter-entity-id" allowClear maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="actorId" label={t('filters.actorId')}>
              <Input data-testid="audit-filter-actor-id" allowClear maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} lg={12}>
            <Form.Item name="range" label={t('filters.range')} data-testid="audit-filter-range">
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm' }} format={MINUTE} allowEmpty={[true, true]}
                placeholder={[t('filters.rangeStart'), t('filters.rangeEnd')]} presets={presets} style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} lg={12}>
            <Form.Item label=" ">
              <Space>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">{t('filters.search')}</Button>
                <Button onClick={() => { form.resetFields(); apply({}) }} data-testid="audit-reset">{t('filters.reset')}</Button>
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>

      {error ? <ErrorResult error={error} onRetry={() => setAttempt((a) => a + 1)} /> : (
        <>
          <Table<Entry>
            data-testid="audit-table"
            rowKey="id"
            size="middle"
            loading={loading}
            dataSource={page?.items ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            expandable={{
              rowExpandable: (r) => !!r.changes && Object.keys(r.changes).length > 0,
              expandedRowRender: (r) => <ChangesDetail changes={r.changes ?? {}} />,
            }}
            columns={[
              { key: 'at', title: t('columns.at'), width: 170, render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{formatAt(r.at)}</span> },
              {
                key: 'actor', title: t('columns.actor'),
                render: (_, r) => (
                  <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                    <Tag color={r.actorType === 'staff' ? 'blue' : r.actorType === 'pos' ? 'purple' : 'default'}>{t(`actorTypes.${r.actorType}`)}</Tag>
                    <span>{r.actorName ?? '—'}</span>
                    {r.actorId && (
                      <Tooltip title={t('filterByActor')}>
                        <Button type="text" size="small" icon={<FilterOutlined />} aria-label={t('filterByActor')} onClick={() => apply({ ...filters, actorId: r.actorId! })} />
                      </Tooltip>
                    )}
                  </Space>
                ),
              },
              { key: 'ip', dataIndex: 'ip', title: t('columns.ip'), render: (ip: string | null) => ip ?? '—' },
              {
                key: 'action', title: t('columns.action'),
                render: (_, r) => (
                  <Space orientation="vertical" size={0}>
                    <span>{actionLabel(r.action)}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.action}</Typography.Text>
                  </Space>
                ),
              },
              {
                key: 'entity', title: t('columns.entity'),
                render: (_, r) => (
                  <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                    <Tag>{entityLabel(r.entityType)}</Tag>
                    {r.entityId && <Typography.Text copyable={{ text: r.entityId }} style={{ fontSize: 12 }}>{r.entityId}</Typography.Text>}
                    {r.entityId && (
                      <Tooltip title={t('filterByEntity')}>
                        <Button type="text" size="small" icon={<FilterOutlined />} aria-label={t('filterByEntity')} onClick={() => apply({ ...filters, entityType: r.entityType, entityId: r.entityId! })} />
                      </Tooltip>
                    )}
                  </Space>
                ),
              },
              { key: 'changes', title: t('columns.changes'), render: (_, r) => <ChangesSummary changes={r.changes} /> },
            ]}
          />
          <Flex justify="flex-end" align="center" gap={8} style={{ marginTop: 16 }}>
            <Button icon={<VerticalRightOutlined />} disabled={stack.length === 0 || loading} onClick={() => setStack([])} data-testid="audit-first">{t('paging.first')}</Button>
            <Button icon={<LeftOutlined />} disabled={stack.length === 0 || loading} onClick={() => setStack((s) => s.slice(0, -1))} data-testid="audit-prev">{t('paging.previous')}</Button>
            <Typography.Text data-testid="audit-page">{t('paging.page', { page: stack.length + 1 })}</Typography.Text>
            <Button disabled={!page?.nextCursor || loading} onClick={() => page?.nextCursor && setStack((s) => [...s, page.nextCursor!])} data-testid="audit-next">
              {t('paging.next')} <RightOutlined />
            </Button>
            <Select
              style={{ width: 110 }} value={limit}
              onChange={(v: number) => { setLimit(v); setStack([]) }}
              options={PAGE_SIZES.map((n) => ({ value: n, label: t('paging.pageSize', { size: n }) }))}
            />
          </Flex>
        </>
      )}
    </Card>
  )
}

export default AuditPage
