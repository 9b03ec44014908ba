import { keepPreviousData } from '@tanstack/react-query'
import { Button, Empty, Flex, Segmented, Table, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { formatCount } from '../../format.js'
import { TitleWithHelp } from '../insight/shared/HelpTip.js'
import { DEFAULT_TOGETHER_DAYS, TOGETHER_DAYS, TOGETHER_LIMIT, formatLift, formatPercent, type TogetherDays } from './bought-together.js'

type Together = GetData<'/api/v1/products/{id}/bought-together'>
type Row = Together['items'][number]

/**
 * 常一起购买: the products most often on the same sales as this one in the period, each as the
 * rule {this} ⇒ {other} with its baskets, support, confidence and lift, and the definitions in
 * words. Store roles count their store's sales (the API scopes them).
 */
export const BoughtTogether = ({ productId, onOpen }: { productId: string; onOpen?: (productId: string) => void }) => {
  const { t } = useTranslation('products', { keyPrefix: 'together' })
  const { user } = useSession()
  const [days, setDays] = useState<TogetherDays>(DEFAULT_TOGETHER_DAYS)
  const { data, error, refetch, isFetching } = useApiQuery(
    '/api/v1/products/{id}/bought-together', { params: { path: { id: productId }, query: { days, limit: TOGETHER_LIMIT } } }, { placeholderData: keepPreviousData },
  )

  const columns: TableColumnsType<Row> = [
    {
      key: 'name', title: t('columns.name'),
      render: (_, r) => (onOpen ? <Button type="link" size="small" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => onOpen(r.productId)}>{r.name}</Button> : r.name),
    },
    { key: 'sku', title: t('columns.sku'), render: (_, r) => <Typography.Text type="secondary">{r.sku}</Typography.Text> },
    { key: 'together', title: <TitleWithHelp title={t('columns.together')} help={t('definitions.together')} />, align: 'right', render: (_, r) => formatCount(r.together) },
    { key: 'support', title: <TitleWithHelp title={t('columns.support')} help={t('definitions.support')} />, align: 'right', render: (_, r) => formatPercent(r.support, 2) },
    { key: 'confidence', title: <TitleWithHelp title={t('columns.confidence')} help={t('definitions.confidence')} />, align: 'right', render: (_, r) => formatPercent(r.confidence) },
    { key: 'lift', title: <TitleWithHelp title={t('columns.lift')} help={t('definitions.lift')} />, align: 'right', render: (_, r) => formatLift(r.lift) },
  ]

  return (
    <Flex vertical gap={12} data-testid="bought-together">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          <TitleWithHelp title={t('title')} help={t('help')} testId="bought-together-help" />
        </Typography.Title>
        <Segmented<TogetherDays>
          size="small" value={days} onChange={setDays} data-testid="bought-together-days"
          options={TOGETHER_DAYS.map((d) => ({ value: d, label: t('days', { days: d }) }))}
        />
      </Flex>
      {error ? <ErrorResult error={error} onRetry={() => void refetch()} compact /> : (
        <>
          {data && (
            <Typography.Text type="secondary" data-testid="bought-together-period">
              {t('period', { from: data.from, to: data.to, baskets: formatCount(data.baskets), withProduct: formatCount(data.withProduct) })}
              {user?.storeId ? ` ${t('storeOnly')}` : ''}
            </Typography.Text>
          )}
          <Table<Row>
            size="small" rowKey="productId" pagination={false} columns={columns} dataSource={data?.items ?? []} loading={isFetching && !data}
            onRow={(r) => ({ 'data-testid': `bought-together-${r.sku}` }) as never}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={data && data.withProduct === 0 ? t('noSales') : t('none')} /> }}
          />
          <Flex vertical gap={2} data-testid="bought-together-definitions">
            {(['basket', 'together', 'support', 'confidence', 'lift'] as const).map((k) => (
              <Typography.Text key={k} type="secondary" style={{ fontSize: 12 }}>{t(`definitions.${k}`)}</Typography.Text>
            ))}
          </Flex>
        </>
      )}
    </Flex>
  )
}
