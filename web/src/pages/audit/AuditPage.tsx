import { FilterOutlined, LeftOutlined, RightOutlined, SearchOutlined, VerticalRightOutlined } from '@ant-design/icons'
import { Button, Card, Col, DatePicker, Flex, Form, Input, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd'
import { keepPreviousData } from '@tanstack/react-query'
import dayjs, { type Dayjs } from 'dayjs'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { useApiQuery } from '../../api/query.js'
import type { paths } from '../../api/schema.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE } from '../../format.js'
import { useMemberFinder } from '../../hooks/use-member-finder.js'
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from '../../../../src/modules/audit/audit-actions.js'
import { describeAudit, type Translators } from './audit-words.js'

type Page = paths['/api/v1/audit']['get']['responses']['200']['content']['application/json']
type Entry = Page['items'][number]
type Query = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>

/** The actions and kinds of record the server records, offered as filters by their words. */
const ACTIONS: readonly string[] = AUDIT_ACTIONS
// Till keys were once recorded as `pos_key` as well: one choice for both is enough.
const ENTITY_TYPES = AUDIT_ENTITY_TYPES.filter((e) => e !== 'pos_key')
const FILTER_KEYS = ['action', 'entityType', 'entityId', 'actorId', 'actor', 'from', 'to'] as const
type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>
const PAGE_SIZES = [20, 50, 100]
const MINUTE = 'YYYY-MM-DD HH:mm'
const SHOWN_LINES = 3

interface FormValues {
  action?: string
  entityType?: string
  member?: string
  actor?: string
  range?: [Dayjs | null, Dayjs | null] | null
}

// The pickers show wall-clock time; the chain's time zone, not the browser's, gives it meaning.
// A picked end minute is included: `to` (exclusive on the server) is the minute after it.
const toInstant = (d: Dayjs, tz: string) => dayjs.tz(d.format(MINUTE), MINUTE, tz).toISOString()
const fromInstant = (iso: string, tz: string) => dayjs(dayjs(iso).tz(tz).format(MINUTE), MINUTE)

/** The audit log, newest first, in words: filters by name in the URL, cursor paging with a stack for "previous". */
export const AuditPage = () => {
  const { t, i18n } = useTranslation('audit')
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [params, setParams] = useSearchParams()
  const [form] = Form.useForm<FormValues>()
  const finder = useMemberFinder()
  const [limit, setLimit] = useState(PAGE_SIZES[0]!)
  const [stack, setStack] = useState<string[]>([])
  const [entityName, setEntityName] = useState<string | null>(null)

  // i18n stays the same object when the language changes: the language itself is the dependency.
  const language = i18n.language
  const tr = useCallback<Translators>((ns) => i18n.getFixedT(language, ns) as unknown as ReturnType<Translators>, [i18n, language])
  const filters = useMemo<Filters>(() => Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v)), [params])
  const filtersKey = JSON.stringify(filters)
  const cursor = stack[stack.length - 1]

  // New filters: back to the first page, and the form shows them (also after back / forward).
  useEffect(() => {
    const filters = JSON.parse(filtersKey) as Filters
    setStack([])
    form.setFieldsValue({
      action: filters.action, entityType: filters.entityType, actor: filters.actor,
      range: filters.from || filters.to
        ? [filters.from ? fromInstant(filters.from, tz) : null, filters.to ? fromInstant(filters.to, tz).subtract(1, 'minute') : null]
        : null,
    })
  }, [filtersKey, form, tz])

  const query: Query = { ...filters, limit, ...(cursor ? { cursor } : {}) }
  // The page in hand stays on screen (dimmed) while the next one loads.
  const { data: page, error, isFetching: loading, refetch } = useApiQuery('/api/v1/audit', { params: { query } }, { placeholderData: keepPreviousData })
  const retry = useCallback(() => void refetch(), [refetch])

  // The record the log is filtered by keeps its name from the page that named it.
  useEffect(() => {
    const id = (JSON.parse(filtersKey) as Filters).entityId
    if (id && page?.labels[id]) setEntityName(page.labels[id])
  }, [page, filtersKey])

  const apply = useCallback((next: Filters) => {
    const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v && v.trim())) as Record<string, string>
    setParams(clean)
    setStack([])
    // Searching again for the same filters reads the log again.
    retry()
  }, [setParams, retry])

  const search = async (v: FormValues) => {
    const [start, end] = v.range ?? [null, null]
    const time = {
      from: start ? toInstant(start, tz) : undefined,
      to: end ? dayjs(toInstant(end, tz)).add(1, 'minute').toISOString() : undefined,
    }
    let entity: Filters = filters.entityId && filters.entityType === v.entityType ? { entityId: filters.entityId } : {}
    if (v.member?.trim()) {
      const member = await finder.find(v.member)
      if (!member) return
      setEntityName(null)
      entity = { entityId: member.id }
      v = { ...v, entityType: 'member' }
      form.setFieldsValue({ entityType: 'member', member: '' })
    }
    apply({ action: v.action, entityType: v.entityType, ...entity, actorId: filters.actorId, actor: v.actor?.trim(), ...time })
  }

  const actionLabel = (a: string) => t(`actions.${a.replace(/\./g, '_')}` as never, { defaultValue: a })
  const entityLabel = (e: string) => t(`entityTypes.${e}` as never, { defaultValue: e })
  const formatAt = (iso: string) => dayjs(iso).tz(tz).format('YYYY-MM-DD HH:mm:ss')
  const labels = page?.labels ?? {}
  const words = (r: Entry) => describeAudit(tr, r, labels, tz)

  const now = dayjs(dayjs().tz(tz).format(MINUTE), MINUTE)
  const presets = [
    { label: t('filters.today'), value: [now.startOf('day'), now.endOf('day')] as [Dayjs, Dayjs] },
    { label: t('filters.last7'), value: [now.subtract(6, 'day').startOf('day'), now.endOf('day')] as [Dayjs, Dayjs] },
    { label: t('filters.last30'), value: [now.subtract(29, 'day').startOf('day'), now.endOf('day')] as [Dayjs, Dayjs] },
  ]

  return (
    <Card>
      <Form form={form} layout="vertical" onFinish={(v) => void search(v)} data-testid="audit-filters">
        <Row gutter={16}>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="action" label={t('filters.action')}>
              <Select
                data-testid="audit-filter-action" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('filters.anyAction')}
                options={ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="entityType" label={t('filters.entityType')}>
              <Select
                data-testid="audit-filter-entity-type" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('filters.anyEntityType')}
                options={ENTITY_TYPES.map((e) => ({ value: e, label: entityLabel(e) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item
              name="member" label={t('filters.member')}
              validateStatus={finder.error ? 'error' : undefined} help={finder.error ?? undefined}
            >
              <Input data-testid="audit-filter-member" allowClear maxLength={32} placeholder={t('filters.memberPlaceholder')} onChange={finder.clear} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="actor" label={t('filters.actor')}>
              <Input data-testid="audit-filter-actor" allowClear maxLength={64} placeholder={t('filters.actorPlaceholder')} />
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
              <Space wrap>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={finder.busy} data-testid="audit-search">{t('filters.search')}</Button>
                <Button onClick={() => { form.resetFields(); finder.clear(); apply({}) }} data-testid="audit-reset">{t('filters.reset')}</Button>
                {filters.entityId && (
                  <Tag closable data-testid="audit-entity-filter" onClose={() => apply({ ...filters, entityId: undefined })}>
                    {t('filters.entity', { name: `${entityLabel(filters.entityType ?? 'member')} ${entityName ?? ''}`.trim() })}
                  </Tag>
                )}
                {filters.actorId && (
                  <Tag closable data-testid="audit-actor-filter" onClose={() => apply({ ...filters, actorId: undefined })}>
                    {t('filters.entity', { name: page?.items[0]?.actorName ?? '' })}
                  </Tag>
                )}
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>

      {error ? <ErrorResult error={error} onRetry={retry} /> : (

        <>
          <Table<Entry>
            data-testid="audit-table"
            rowKey="id"
            size="middle"
            tableLayout="fixed"
            loading={loading}
            dataSource={page?.items ?? []}
            pagination={false}
            expandable={{
              rowExpandable: (r) => words(r).lines.length > SHOWN_LINES,
              expandedRowRender: (r) => (
                <div data-testid="audit-changes">{words(r).lines.map((line, i) => <div key={i}>{line}</div>)}</div>
              ),
            }}
            columns={[
              { key: 'at', title: t('columns.at'), width: 160, render: (_, r) => formatAt(r.at) },
              {
                key: 'actor', title: t('columns.actor'), width: 170,
                render: (_, r) => (
                  <Space size={4} wrap>
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
              { key: 'action', title: t('columns.action'), width: 170, render: (_, r) => <span data-testid="audit-action">{words(r).action}</span> },
              {
                key: 'entity', title: t('columns.entity'), width: 230,
                render: (_, r) => (
                  <Space size={4} align="start">
                    <span data-testid="audit-entity">{words(r).entity}</span>
                    {r.entityId && (
                      <Tooltip title={t('filterByEntity')}>
                        <Button
                          type="text" size="small" icon={<FilterOutlined />} aria-label={t('filterByEntity')}
                          onClick={() => { setEntityName(labels[r.entityId!] ?? null); apply({ ...filters, entityType: r.entityType, entityId: r.entityId! }) }}
                        />
                      </Tooltip>
                    )}
                  </Space>
                ),
              },
              {
                key: 'changes', title: t('columns.changes'),
                render: (_, r) => {
                  const lines = words(r).lines
                  if (lines.length === 0) return <Typography.Text type="secondary">{t('changes.none')}</Typography.Text>
                  return (
                    <div data-testid="audit-lines" style={{ overflowWrap: 'anywhere' }}>
                      {lines.slice(0, SHOWN_LINES).map((line, i) => <div key={i}>{line}</div>)}
                      {lines.length > SHOWN_LINES && <Typography.Text type="secondary">{t('changes.more', { count: lines.length - SHOWN_LINES })}</Typography.Text>}
                    </div>
                  )
                },
              },
              { key: 'ip', dataIndex: 'ip', title: t('columns.ip'), width: 130, render: (ip: string | null) => ip ?? '—' },
            ]}
          />
          <Flex justify="flex-end" align="center" gap={8} wrap style={{ marginTop: 16 }}>
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
