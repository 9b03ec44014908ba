import { useMyStores } from '../../../hooks/use-stores.js'
import { keepPreviousData } from '@tanstack/react-query'
import { Button, Card, Col, Empty, Flex, InputNumber, Row, Select, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography, type TableColumnsType, type TableProps } from 'antd'
import { useMemo, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { REFERENCE_STALE_MS, useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { HelpTip, TitleWithHelp } from '../shared/HelpTip.js'
import { MineCard } from './MineCard.js'
import { formatLift, formatPercent, rulesScatterOption, type RuleItem } from './rules-charts.js'

const NO_STORES: never[] = []

type RulesData = GetData<'/api/v1/insight/rules'>
type Rule = RulesData['rules'][number]
type Run = GetData<'/api/v1/insight/rules/runs'>['runs'][number]
type Sort = 'lift' | 'confidence' | 'support'
type Side = 'either' | 'antecedent' | 'consequent'
const SIDES: readonly Side[] = ['either', 'antecedent', 'consequent']
const SORTS: readonly Sort[] = ['lift', 'confidence', 'support']

interface Filters {
  item?: RuleItem
  side: Side
  minLift?: number
  /** % */
  minConfidence?: number
  size?: number
}
const NO_FILTERS: Filters = { side: 'either' }

/** A sortable column's title with its definition: a click on the help icon does not sort the column. */
const SortTitle = ({ title, help }: { title: string; help: string }) => (
  <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
    {title}
    <span onClick={(e) => e.stopPropagation()}><HelpTip title={title}>{help}</HelpTip></span>
  </span>
)

/**
 * 关联规则: mine the association rules of a period's sales (at the SKU, subcategory, category or
 * department level), pick one of the stored runs, and browse its rules a page at a time: filtered
 * by an item, its side, lift, confidence and size, sorted by lift, confidence or support, with the
 * page's rules on a support × confidence chart.
 */
export const RulesPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'rules' })
  const { user, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const ownStore = user?.storeId ?? undefined
  const stores = useMyStores(useApiQuery('/api/v1/stores', undefined, { enabled: !ownStore, staleTime: REFERENCE_STALE_MS }).data ?? NO_STORES)
  const runs = useApiQuery('/api/v1/insight/rules/runs')
  const [selected, setSelected] = useState<string | undefined>()
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [sort, setSort] = useState<Sort>('lift')
  const [page, setPage] = useState({ current: 1, size: 20 })
  // The run asked for, or the newest (also when the one asked for has been pruned meanwhile).
  const run: Run | undefined = runs.data?.runs.find((r) => r.id === selected) ?? runs.data?.runs[0]

  const query = {
    runId: run?.id, sort, limit: page.size, offset: (page.current - 1) * page.size,
    ...(filters.item ? { item: filters.item.key, side: filters.side } : {}),
    ...(filters.minLift !== undefined ? { minLift: filters.minLift } : {}),
    ...(filters.minConfidence !== undefined ? { minConfidence: Number((filters.minConfidence / 100).toFixed(8)) } : {}),
    ...(filters.size !== undefined ? { size: filters.size } : {}),
  }
  const rules = useApiQuery('/api/v1/insight/rules', { params: { query } }, { enabled: Boolean(run), placeholderData: keepPreviousData })
  const shown = rules.data?.run?.id === run?.id ? rules.data : undefined

  const chartLabels = useMemo(() => ({ support: t('chart.support'), confidence: t('chart.confidence'), lift: t('chart.lift') }), [t])
  const chart = useMemo(() => (shown && shown.rules.length > 0 ? rulesScatterOption(shown.rules, chartLabels) : null), [shown, chartLabels])
  // Every item of the run's rules, for the item filter (at the SKU level the key is a product id).
  const itemList = useApiQuery('/api/v1/insight/rules/items', { params: { query: { runId: run?.id } } }, { enabled: Boolean(run) })
  const items = useMemo(() => (itemList.data?.run?.id === run?.id ? itemList.data?.items ?? [] : []), [itemList.data, run?.id])

  const filter = (change: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...change }))
    setPage((p) => ({ ...p, current: 1 }))
  }
  const choose = (runId: string) => {
    setSelected(runId)
    setFilters(NO_FILTERS)
    setPage((p) => ({ ...p, current: 1 }))
  }

  const storeName = (id: string) => {
    const s = stores?.find((x) => x.id === id)
    return s ? `${s.code} ${s.name}` : id
  }
  const runLabel = (r: Run) => [
    t('run.option', {
      level: t(`levels.${r.level}`), from: r.from, to: r.to, baskets: formatCount(r.baskets), rules: formatCount(r.rules), at: formatDateTime(r.minedAt, tz),
    }),
    ...(r.storeId && !ownStore ? [t('run.store', { store: storeName(r.storeId) })] : []),
    ...(r.membersOnly ? [t('run.members')] : []),
  ].join(' · ')

  const help = (
    <>
      <Typography.Paragraph>{t('help')}</Typography.Paragraph>
      {(['support', 'confidence', 'lift'] as const).map((d) => <Typography.Paragraph key={d} style={{ marginBottom: 4 }}>{t(`definitions.${d}`)}</Typography.Paragraph>)}
    </>
  )
  // Not the InsightHeader: the rules are mined from the sales themselves, so the insight refresh's
  // freshness and window (its line) say nothing about them.
  const header = (
    <Card size="small">
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="rules-title">
        <TitleWithHelp title={t('title')} help={help} testId="rules-help" />
      </Typography.Title>
    </Card>
  )
  const mineCard = <MineCard onMined={choose} />

  if (runs.error) return <ErrorResult error={runs.error} onRetry={() => void runs.refetch()} />
  if (!runs.data) return <Flex vertical gap={16}>{header}{mineCard}<Card><Skeleton active /></Card></Flex>
  if (!run) {
    return (
      <Flex vertical gap={16}>
        {header}
        {mineCard}
        <Card><Empty description={t('noRuns')} data-testid="rules-empty" /></Card>
      </Flex>
    )
  }

  const itemTag = (i: RuleItem) => (
    <Tooltip key={i.key} title={t('table.filterItem', { label: i.label })}>
      <Tag
        color={filters.item?.key === i.key ? 'blue' : undefined} style={{ cursor: 'pointer', marginInlineEnd: 4 }}
        onClick={() => filter({ item: { key: i.key, label: i.label, ...(i.sku ? { sku: i.sku } : {}) } })}
      >
        {i.label}{i.sku && <Typography.Text type="secondary" style={{ fontSize: 11, marginInlineStart: 4 }}>{i.sku}</Typography.Text>}
      </Tag>
    </Tooltip>
  )
  const sortOrder = (key: Sort) => (sort === key ? ('descend' as const) : null)
  const columns: TableColumnsType<Rule> = [
    { key: 'rank', title: <TitleWithHelp title={t('table.rank')} help={t('table.rankHelp')} />, dataIndex: 'rank', width: 80, align: 'right' },
    { key: 'antecedent', title: t('table.antecedent'), render: (_, r) => <Flex wrap gap={4}>{r.antecedent.map(itemTag)}</Flex> },
    { key: 'then', title: '', width: 32, align: 'center', render: () => <Typography.Text type="secondary">⇒</Typography.Text> },
    { key: 'consequent', title: t('table.consequent'), render: (_, r) => <Flex wrap gap={4}>{r.consequent.map(itemTag)}</Flex> },
    {
      key: 'baskets', title: t('table.baskets'), align: 'right', width: 110,
      render: (_, r) => (
        <Tooltip title={t('table.basketsTip', { baskets: formatCount(r.baskets), antecedent: formatCount(r.antecedentBaskets), consequent: formatCount(r.consequentBaskets) })}>
          <span>{formatCount(r.baskets)}</span>
        </Tooltip>
      ),
    },
    {
      key: 'support', title: <SortTitle title={t('table.support')} help={t('definitions.support')} />, align: 'right', width: 120,
      sorter: true, sortDirections: ['descend'], sortOrder: sortOrder('support'), render: (_, r) => formatPercent(r.support),
    },
    {
      key: 'confidence', title: <SortTitle title={t('table.confidence')} help={t('definitions.confidence')} />, align: 'right', width: 120,
      sorter: true, sortDirections: ['descend'], sortOrder: sortOrder('confidence'), render: (_, r) => formatPercent(r.confidence, 1),
    },
    {
      key: 'lift', title: <SortTitle title={t('table.lift')} help={t('definitions.lift')} />, align: 'right', width: 110,
      sorter: true, sortDirections: ['descend'], sortOrder: sortOrder('lift'),
      render: (_, r) => <Typography.Text strong={r.lift >= 2} type={r.lift < 1 ? 'secondary' : undefined}>{formatLift(r.lift)}</Typography.Text>,
    },
  ]
  const onTableChange: TableProps<Rule>['onChange'] = (pagination, _filters, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter
    const key = SORTS.find((s) => s === one?.columnKey)
    const next = one?.order === 'descend' && key ? key : 'lift'
    if (next !== sort) {
      setSort(next)
      setPage((p) => ({ ...p, current: 1 }))
      return
    }
    setPage({ current: pagination.current ?? 1, size: pagination.pageSize ?? page.size })
  }

  const labelled = (label: string, control: ReactNode) => (
    <Space size={6}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      {control}
    </Space>
  )
  const itemFilter = (
    <Select
      allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 260 }} placeholder={t('filters.itemPlaceholder')} data-testid="rules-filter-item"
      value={filters.item?.key} loading={itemList.isFetching}
      options={items.map((i) => ({ value: i.key, label: i.sku ? `${i.label} · ${i.sku}` : i.label }))}
      onChange={(key?: string) => {
        const i = items.find((x) => x.key === key)
        filter({ item: i ? { key: i.key, label: i.label, ...(i.sku ? { sku: i.sku } : {}) } : undefined })
      }}
    />
  )
  const pristine = filters === NO_FILTERS

  return (
    <Flex vertical gap={16}>
      {header}
      {mineCard}
      <Card size="small">
        <Flex vertical gap={12}>
          <Flex gap={8} align="center" wrap>
            <Typography.Text strong>{t('run.label')}</Typography.Text>
            <Select
              style={{ flex: '1 1 420px', maxWidth: 760 }} data-testid="rules-run" value={run.id} onChange={choose}
              options={runs.data.runs.map((r) => ({ value: r.id, label: runLabel(r) }))}
            />
          </Flex>
          <Row gutter={[16, 16]} data-testid="rules-summary">
            <Col xs={12} md={6} xl={run.rulesDropped > 0 ? 4 : 6}>
              <Statistic title={<TitleWithHelp title={t('run.baskets')} help={t('run.basketsHelp')} />} value={formatCount(run.baskets)} valueRender={(n) => <span data-testid="rules-baskets">{n}</span>} />
            </Col>
            <Col xs={12} md={6} xl={run.rulesDropped > 0 ? 4 : 6}>
              <Statistic title={<TitleWithHelp title={t('run.items')} help={t('run.itemsHelp')} />} value={formatCount(run.items)} />
            </Col>
            <Col xs={12} md={6} xl={run.rulesDropped > 0 ? 4 : 6}>
              <Statistic title={<TitleWithHelp title={t('run.itemsets')} help={t('run.itemsetsHelp')} />} value={formatCount(run.itemsets)} />
            </Col>
            <Col xs={12} md={6} xl={run.rulesDropped > 0 ? 4 : 6}>
              <Statistic title={<TitleWithHelp title={t('run.rules')} help={t('run.rulesHelp')} />} value={formatCount(run.rules)} valueRender={(n) => <span data-testid="rules-count">{n}</span>} />
            </Col>
            {run.rulesDropped > 0 && (
              <Col xs={12} md={6} xl={4}>
                <Statistic
                  title={<TitleWithHelp title={t('run.dropped')} help={t('run.droppedHelp', { kept: formatCount(run.rules - run.rulesDropped) })} />}
                  value={formatCount(run.rulesDropped)} styles={{ content: { color: '#d46b08' } }} valueRender={(n) => <span data-testid="rules-dropped">{n}</span>}
                />
              </Col>
            )}
          </Row>
          <Typography.Text type="secondary" data-testid="rules-params">
            {t('run.params', {
              support: formatPercent(run.minSupport), confidence: formatPercent(run.minConfidence, 0), lift: run.minLift,
              length: run.maxLength, seconds: run.seconds, by: run.createdBy,
            })}
          </Typography.Text>
        </Flex>
      </Card>
      <Card
        size="small" title={t('table.title')}
        extra={<Button size="small" disabled={pristine} onClick={() => { setFilters(NO_FILTERS); setPage((p) => ({ ...p, current: 1 })) }} data-testid="rules-filter-reset">{t('filters.reset')}</Button>}
      >
        <Flex vertical gap={12}>
          <Flex gap="8px 16px" wrap align="center" data-testid="rules-filters">
            <Space size={6}>
              {labelled(t('filters.item'), itemFilter)}
              <HelpTip>{t('filters.itemHelp')}</HelpTip>
            </Space>
            {labelled(t('filters.side'), (
              <Select
                style={{ width: 150 }} value={filters.side} disabled={!filters.item} data-testid="rules-filter-side" onChange={(side: Side) => filter({ side })}
                options={SIDES.map((s) => ({ value: s, label: t(`filters.sides.${s}`) }))}
              />
            ))}
            {labelled(t('filters.minLift'), (
              <InputNumber min={0} step={0.5} style={{ width: 90 }} placeholder={t('filters.any')} value={filters.minLift ?? null} data-testid="rules-filter-lift" onChange={(v) => filter({ minLift: v ?? undefined })} />
            ))}
            {labelled(t('filters.minConfidence'), (
              <InputNumber min={0} max={100} step={5} suffix="%" style={{ width: 100 }} placeholder={t('filters.any')} value={filters.minConfidence ?? null} data-testid="rules-filter-confidence" onChange={(v) => filter({ minConfidence: v ?? undefined })} />
            ))}
            {labelled(t('filters.size'), (
              <Select
                style={{ width: 90 }} value={filters.size ?? 0} data-testid="rules-filter-size" onChange={(n: number) => filter({ size: n === 0 ? undefined : n })}
                options={[{ value: 0, label: t('filters.any') }, ...Array.from({ length: run.maxLength - 1 }, (_, i) => ({ value: i + 2, label: t('filters.sizeOption', { n: i + 2 }) }))]}
              />
            ))}
          </Flex>
          {rules.error ? <ErrorResult compact error={rules.error} onRetry={() => void rules.refetch()} /> : (
            <Table<Rule>
              size="small" rowKey="rank" data-testid="rules-table" columns={columns} dataSource={shown?.rules ?? []} loading={rules.isFetching} onChange={onTableChange}
              scroll={{ x: 880 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('table.empty')} /> }}
              pagination={{
                current: page.current, pageSize: page.size, total: shown?.total ?? 0, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100],
                showTotal: (total) => <span data-testid="rules-total">{t('table.total', { total: formatCount(total) })}</span>,
              }}
            />
          )}
        </Flex>
      </Card>
      {chart && (
        <Card size="small" title={<TitleWithHelp title={t('chart.title')} help={t('chart.help')} />}>
          <div data-testid="rules-chart"><EChart option={chart} height={360} /></div>
        </Card>
      )}
    </Flex>
  )
}

export default RulesPage
