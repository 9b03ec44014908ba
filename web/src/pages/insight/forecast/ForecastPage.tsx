import { useMyStores } from '../../../hooks/use-stores.js'
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Popconfirm, Row, Select, Skeleton, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { apiKey, REFERENCE_STALE_MS, useApiMutation, useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../../format.js'
import { HelpTip, TitleWithHelp } from '../shared/HelpTip.js'
import { isRebuilt, type BuildAsked } from '../recommendations/recommendation-words.js'
import {
  addDays, beatsNaive, changePercent, forecastChartOption, forecastWeeks, formatChange, formatError, inScope, modelParts, seriesKey, seriesTestId, weekRange,
  type ForecastRun, type ForecastWeek, type Scope, type SeriesDetail, type SeriesId, type SeriesSummary,
} from './forecast-charts.js'

/** How often the run is read again while a forecast is being made, and how long before the page stops waiting. */
const POLL_MS = 1_500
const WAIT_MS = 3 * 60_000
const NO_STORES: GetData<'/api/v1/stores'> = []

const useForecastWords = () => useTranslation('insight', { keyPrefix: 'forecast' }).t

/** A model's name with its parts in words beside it, one hover away. */
const ModelName = ({ model }: { model: string }) => {
  const t = useForecastWords()
  const parts = modelParts(model)
  const text = <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{model}</Typography.Text>
  return parts ? <Tooltip title={t('model.words', { trend: t(`model.trend.${parts.trend}`), season: t(`model.season.${parts.season}`) })}>{text}</Tooltip> : text
}

/** The last run: which week it starts after, how far it looks, how many series, when and by whom. */
const RunCard = ({ run, tz }: { run: ForecastRun | null | undefined; tz: string }) => {
  const t = useForecastWords()
  return (
    <Card size="small" title={t('run.title')} data-testid="forecast-run">
      {run === undefined ? <Skeleton active paragraph={{ rows: 2 }} /> : run === null ? <Empty description={t('run.none')} data-testid="forecast-no-run" /> : (
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3, xxl: 4 }}>
          <Descriptions.Item label={t('run.lastWeek')}><Typography.Text strong data-testid="forecast-last-week">{weekRange(run.lastWeek)}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('run.horizon')}>
            <span data-testid="forecast-horizon">{t('run.horizonValue', { weeks: run.horizon, from: addDays(run.lastWeek, 7), to: addDays(run.lastWeek, 7 * run.horizon + 6) })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('run.series')}>
            <Space size={4} wrap>
              <span data-testid="forecast-series-count">{t('run.seriesValue', { series: formatCount(run.series) })}</span>
              {run.skipped > 0 && <Typography.Text type="secondary">({t('run.skipped', { skipped: formatCount(run.skipped) })})</Typography.Text>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('run.history')}>{t('run.historyValue', { weeks: run.weeks })}</Descriptions.Item>
          <Descriptions.Item label={t('run.runAt')}><Typography.Text strong data-testid="forecast-run-at">{formatDateTime(run.runAt, tz)}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('run.seconds')}>{t('run.secondsValue', { seconds: run.seconds })}</Descriptions.Item>
          <Descriptions.Item label={t('run.createdBy')}>{run.createdBy.startsWith('job:') ? t('run.byJob') : run.createdBy}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  )
}

/** The series of the scope: sales of the last 4 weeks, forecast of the next 4, the backtest beside seasonal naive; a click selects one. */
const SeriesTable = ({ rows, selected, onSelect, loading }: { rows: SeriesSummary[]; selected: string | null; onSelect: (s: SeriesSummary) => void; loading: boolean }) => {
  const t = useForecastWords()
  const columns: TableColumnsType<SeriesSummary> = [
    { key: 'store', title: t('table.columns.store'), width: 150, render: (_, s) => s.storeName ?? <Tag color="blue">{t('chain')}</Tag> },
    { key: 'key', title: t('table.columns.key'), width: 120, render: (_, s) => <Typography.Text strong>{s.key}</Typography.Text> },
    {
      key: 'historyWeeks', title: <TitleWithHelp title={t('table.columns.historyWeeks')} help={t('table.columns.historyWeeksHelp')} />, width: 90, align: 'right',
      sorter: (a, b) => a.historyWeeks - b.historyWeeks,
      render: (_, s) => <Tooltip title={t('table.fromWeek', { week: s.fromWeek })}>{formatCount(s.historyWeeks)}</Tooltip>,
    },
    { key: 'last4', title: t('table.columns.last4'), width: 115, align: 'right', sorter: (a, b) => a.last4 - b.last4, render: (_, s) => formatMoney(s.last4) },
    { key: 'next4', title: t('table.columns.next4'), width: 115, align: 'right', sorter: (a, b) => a.next4 - b.next4, render: (_, s) => <Typography.Text strong>{formatMoney(s.next4)}</Typography.Text> },
    {
      key: 'change', title: <TitleWithHelp title={t('table.columns.change')} help={t('table.columns.changeHelp')} />, width: 90, align: 'right',
      sorter: (a, b) => (changePercent(a.last4, a.next4) ?? -Infinity) - (changePercent(b.last4, b.next4) ?? -Infinity),
      render: (_, s) => {
        const p = changePercent(s.last4, s.next4)
        return <Typography.Text type={p === null || Math.abs(p) < 0.05 ? undefined : p > 0 ? 'success' : 'danger'}>{formatChange(p)}</Typography.Text>
      },
    },
    { key: 'model', title: t('table.columns.model'), width: 115, render: (_, s) => <ModelName model={s.model} /> },
    {
      key: 'smape', title: <TitleWithHelp title={t('table.columns.smape')} help={t('table.columns.smapeHelp')} />, width: 130, align: 'right',
      sorter: (a, b) => (a.smape ?? Infinity) - (b.smape ?? Infinity),
      render: (_, s) => (beatsNaive(s)
        ? <Tooltip title={t('table.beats')}><Tag color="success" style={{ marginInlineEnd: 0 }} data-beats="true">{formatError(s.smape)}</Tag></Tooltip>
        : formatError(s.smape)),
    },
    { key: 'naiveSmape', title: t('table.columns.naiveSmape'), width: 110, align: 'right', render: (_, s) => <Typography.Text type="secondary">{formatError(s.naiveSmape)}</Typography.Text> },
    { key: 'mape', title: t('table.columns.mape'), width: 80, align: 'right', render: (_, s) => formatError(s.mape) },
  ]
  return (
    <Table<SeriesSummary>
      size="small" rowKey={seriesKey} dataSource={rows} loading={loading} columns={columns} data-testid="forecast-table" scroll={{ x: 1115 }}
      pagination={{ defaultPageSize: 15, hideOnSinglePage: true, showSizeChanger: true }}
      rowClassName={(s) => (seriesKey(s) === selected ? 'ant-table-row-selected' : '')}
      onRow={(s) => ({ 'data-testid': seriesTestId(s), onClick: () => onSelect(s), style: { cursor: 'pointer' } }) as never}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('table.empty')} /> }}
    />
  )
}

/** The forecast's weeks one by one: what a store orders by. */
const WeeksTable = ({ weeks }: { weeks: ForecastWeek[] }) => {
  const t = useForecastWords()
  return (
    <Table<ForecastWeek>
      size="small" rowKey="week" dataSource={weeks} pagination={false} data-testid="forecast-weeks"
      onRow={(w) => ({ 'data-testid': `forecast-week-${w.week}` }) as never}
      columns={[
        {
          key: 'week', title: t('weeks.week'),
          render: (_, w) => (
            <Space size={4} wrap>
              <span style={{ whiteSpace: 'nowrap' }}>{weekRange(w.week)}</span>
              {w.springFestival && <Tag color="red" style={{ marginInlineEnd: 0 }}>{t('chart.springFestival')}</Tag>}
            </Space>
          ),
        },
        { key: 'forecast', title: t('weeks.forecast'), align: 'right', render: (_, w) => <Typography.Text strong>{formatMoney(w.forecast)}</Typography.Text> },
        {
          key: 'interval', title: t('weeks.interval'), align: 'right',
          render: (_, w) => (w.lower === null || w.upper === null ? '—' : <span style={{ whiteSpace: 'nowrap' }}>{formatMoney(w.lower)} – {formatMoney(w.upper)}</span>),
        },
        { key: 'naive', title: t('weeks.naive'), align: 'right', render: (_, w) => <Typography.Text type="secondary">{formatMoney(w.naive)}</Typography.Text> },
      ]}
    />
  )
}

/** The backtest of a series beside seasonal naive's, and its Spring Festival factor. */
const BacktestCard = ({ series }: { series: SeriesDetail }) => {
  const t = useForecastWords()
  const bt = series.backtest
  const parts = modelParts(series.model)
  return (
    <Card size="small" title={<TitleWithHelp title={t('backtest.title')} help={<>{t('definitions.backtest')}<br />{t('definitions.smape')}<br />{t('definitions.mape')}</>} />} data-testid="forecast-backtest">
      <Flex vertical gap={8}>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('table.columns.model')}>
            <Space size={6} wrap>
              <ModelName model={series.model} />
              {parts && <Typography.Text type="secondary">{t('model.words', { trend: t(`model.trend.${parts.trend}`), season: t(`model.season.${parts.season}`) })}</Typography.Text>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('backtest.holidayFactor')}>
            <span data-testid="forecast-holiday-factor">
              {series.holidayFactor === null ? t('backtest.noHolidayFactor') : t('backtest.holidayFactorValue', { factor: series.holidayFactor.toFixed(2) })}
            </span>
          </Descriptions.Item>
        </Descriptions>
        {!bt ? <Typography.Text type="secondary">{t('backtest.none')}</Typography.Text> : (
          <>
            <Table
              size="small" rowKey="measure" pagination={false} bordered
              dataSource={[
                { measure: 'sMAPE', model: bt.model.smape, naive: bt.seasonalNaive.smape },
                { measure: 'MAPE', model: bt.model.mape, naive: bt.seasonalNaive.mape },
              ]}
              columns={[
                { key: 'measure', dataIndex: 'measure', title: t('backtest.measure') },
                {
                  key: 'model', title: t('backtest.model'), align: 'right',
                  render: (_, r) => (r.model !== null && r.naive !== null && r.model < r.naive ? <Tag color="success" style={{ marginInlineEnd: 0 }}>{formatError(r.model)}</Tag> : formatError(r.model)),
                },
                { key: 'naive', title: t('backtest.naive'), align: 'right', render: (_, r) => formatError(r.naive) },
              ]}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('backtest.pairsLabel')}: {t('backtest.pairs', { pairs: formatCount(bt.model.pairs), origins: bt.origins, horizon: bt.horizon })}
              {bt.model.mapeSkipped > 0 && ` · ${t('backtest.mapeSkipped', { count: bt.model.mapeSkipped })}`}
            </Typography.Text>
          </>
        )}
      </Flex>
    </Card>
  )
}

/** The selected series: its chart, its forecast weeks and its backtest. */
const SeriesCard = ({ id }: { id: SeriesId }) => {
  const t = useForecastWords()
  const query = { level: id.level, key: id.key, ...(id.storeId ? { storeId: id.storeId } : {}) }
  const { data, error, refetch, isFetching } = useApiQuery('/api/v1/insight/forecasts/series', { params: { query } }, { placeholderData: (previous) => previous })
  const series = data?.series
  const labels = useMemo(() => ({
    actual: t('chart.actual'), fitted: t('chart.fitted'), forecast: t('chart.forecast'), band: t('chart.band'), naive: t('chart.naive'),
    springFestival: t('chart.springFestival'), forecastStart: t('chart.forecastStart'), interval: t('chart.interval'),
  }), [t])
  const option = useMemo(() => series && forecastChartOption(series, labels), [series, labels])
  const weeks = useMemo(() => (series ? forecastWeeks(series) : []), [series])

  const title = series && (
    <Space size={8} wrap>
      <span data-testid="forecast-chart-title">{series.storeName ?? t('chain')} · {series.key}</span>
      <Tag>{t(`levels.${series.level}`)}</Tag>
    </Space>
  )
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Card size="small" title={title ?? t('chart.title')} loading={!data && !error}>
          {error ? <ErrorResult compact error={error} onRetry={() => void refetch()} /> : series && option && (
            <div data-testid="forecast-chart" data-series={seriesTestId(series)} data-loading={isFetching ? 'true' : 'false'}>
              <EChart option={option} height={380} />
            </div>
          )}
        </Card>
      </Col>
      {series && (
        <>
          <Col xs={24} xl={14}>
            <Card size="small" title={t('weeks.title')}><WeeksTable weeks={weeks} /></Card>
          </Col>
          <Col xs={24} xl={10}><BacktestCard series={series} /></Col>
        </>
      )}
    </Row>
  )
}

const DEFINITIONS = ['week', 'series', 'model', 'interval', 'springFestival', 'backtest', 'smape', 'mape'] as const

const ForecastDefinitions = () => {
  const t = useForecastWords()
  return (
    <Card size="small" title={t('definitions.title')} data-testid="forecast-definitions">
      <ul style={{ paddingInlineStart: 20, margin: 0 }}>
        {DEFINITIONS.map((d) => <li key={d} style={{ marginBottom: 4 }}>{t(`definitions.${d}`)}</li>)}
      </ul>
    </Card>
  )
}

/**
 * 销售预测: the last weekly forecast run, a forecast made again on request and followed until its
 * run is served, the exports, the series of the scope (HQ: every store, one store or the chain's
 * categories; a store role: its departments) and the selected series' weeks in a chart, one by
 * one and in a backtest, with the definitions in words.
 */
export const ForecastPage = () => {
  const t = useForecastWords()
  const { t: tc, i18n } = useTranslation()
  const { chain, can, user, store } = useSession()
  const { message } = App.useApp()
  const queryClient = useQueryClient()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const ownStore = user?.storeId ?? null
  const [scope, setScope] = useState<Scope>('all')
  const [picked, setPicked] = useState<string | null>(null)
  const [asked, setAsked] = useState<BuildAsked | null>(null)
  const { data, error, refetch, isFetching } = useApiQuery('/api/v1/insight/forecasts', undefined, { refetchInterval: asked ? POLL_MS : false })
  const stores = useMyStores(useApiQuery('/api/v1/stores', undefined, { enabled: !ownStore, staleTime: REFERENCE_STALE_MS }).data ?? NO_STORES)
  const build = useApiMutation('post', '/api/v1/insight/forecasts')

  const rows = useMemo(() => (data?.series ?? []).filter((s) => inScope(s, ownStore ? 'all' : scope)), [data, scope, ownStore])
  // The series picked, or the scope's first: the chart is never empty while there is a series.
  const selected = rows.find((s) => seriesKey(s) === picked) ?? rows[0] ?? null

  const rebuild = async () => {
    const before = data?.run?.id ?? null
    const at = Date.now()
    try {
      const queued = await build.mutateAsync({ body: {} })
      setAsked({ before, at, joined: queued.joined })
    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }
  // The job has no page of its own to watch (the job queue is the HQ admin's): the run it stores is.
  useEffect(() => {
    if (!asked || !data || !isRebuilt(asked, data.run && { id: data.run.id, builtAt: data.run.runAt })) return
    setAsked(null)
    void message.success(t('build.done'))
    void queryClient.invalidateQueries({ queryKey: apiKey('/api/v1/insight/forecasts/series') })
  }, [asked, data, message, t, queryClient])
  useEffect(() => {
    if (!asked) return
    const timer = setTimeout(() => {
      setAsked(null)
      void message.warning(t('build.slow'))
    }, WAIT_MS)
    return () => clearTimeout(timer)
  }, [asked, message, t])

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const building = asked !== null
  const lang = i18n.language === 'en-US' ? 'en-US' : 'zh-CN'
  const exportQuery = new URLSearchParams({
    ...(!ownStore && scope !== 'all' && scope !== 'chain' ? { storeId: scope } : {}), ...(!ownStore && scope === 'chain' ? { level: 'chain_category' } : {}), lang,
  }).toString()

  const scopeFilter = ownStore
    ? <Tag color="orange" data-testid="forecast-scope-fixed">{t('scope.storeFixed', { store: store ? `${store.code} ${store.name}` : ownStore })}</Tag>
    : (
      <Select
        data-testid="forecast-scope" style={{ width: 240 }} value={scope} showSearch={{ optionFilterProp: 'label' }}
        onChange={(v: Scope) => {
          setScope(v)
          setPicked(null)
        }}
        options={[
          { value: 'all', label: t('scope.all') },
          { value: 'chain', label: t('scope.chain') },
          { label: t('scope.storesGroup'), options: stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` })) },
        ]}
      />
    )
  const header = (
    <Card size="small">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="forecast-title">
          <TitleWithHelp title={t('title')} help={t('help')} testId="forecast-help" />
        </Typography.Title>
        <Space wrap>
          {scopeFilter}
          <HelpTip>{t('scope.help')}</HelpTip>
          <Button icon={<DownloadOutlined />} href={`/api/v1/insight/forecasts/export.csv?${exportQuery}`} disabled={!data?.run} data-testid="forecast-export-csv">{t('export.csv')}</Button>
          <Button icon={<DownloadOutlined />} href={`/api/v1/insight/forecasts/export.xlsx?${exportQuery}`} disabled={!data?.run} data-testid="forecast-export-xlsx">{t('export.xlsx')}</Button>
          <HelpTip>{t('export.help')}</HelpTip>
          {can('insight.manage') && (
            <Popconfirm
              title={t('build.button')} description={<div style={{ maxWidth: 320 }}>{t('build.confirm')}</div>}
              onConfirm={() => void rebuild()} okButtonProps={{ 'data-testid': 'forecast-build-ok' } as never}
            >
              <Button type="primary" icon={<ReloadOutlined />} loading={build.isPending || building} data-testid="forecast-build">{t('build.button')}</Button>
            </Popconfirm>
          )}
        </Space>
      </Flex>
      {building && <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('build.building')} data-testid="forecast-building" />}
    </Card>
  )

  return (
    <Flex vertical gap={16} data-testid="forecast-page">
      {header}
      <RunCard run={data ? data.run : undefined} tz={tz} />
      {data?.run && (
        <>
          <Card size="small" title={<TitleWithHelp title={t('table.title', { count: rows.length })} help={t('table.help')} />}>
            <SeriesTable rows={rows} selected={selected && seriesKey(selected)} onSelect={(s) => setPicked(seriesKey(s))} loading={isFetching && !data} />
          </Card>
          {selected ? <SeriesCard key={data.run.id} id={selected} /> : <Card size="small"><Empty description={t('chart.none')} /></Card>}
        </>
      )}
      <ForecastDefinitions />
    </Flex>
  )
}

export default ForecastPage
