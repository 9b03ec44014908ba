import { ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Divider, Flex, List, Spin, Statistic, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { formatCount, formatMoney } from '../../format.js'
import { signedPoints } from '../../shared/loyalty-format.js'
import { ApiErrorAlert } from './ApiErrorAlert.js'
import type { Quote } from './types.js'

interface QuotePanelProps {
  quote: Quote | null
  loading: boolean
  stale: boolean
  error: unknown
  hasMember: boolean
  hasLines: boolean
  lineName(index: number): string | undefined
  onRefresh(): void
  onPay(): void
}

/** What the basket comes to for this customer: member prices, savings, points to earn and why, points usable. */
export const QuotePanel = ({ quote, loading, stale, error, hasMember, hasLines, lineName, onRefresh, onPay }: QuotePanelProps) => {
  const { t } = useTranslation('till')
  return (
    <Card
      title={t('quote.title')} size="small" data-testid="till-quote" data-stale={stale || loading ? 'true' : 'false'}
      extra={<Button size="small" type="text" icon={<ReloadOutlined />} onClick={onRefresh} disabled={!hasLines}>F4</Button>}
    >
      <Spin spinning={loading && hasLines} delay={150}>
        <Flex justify="space-between" align="flex-end">
          <Statistic title={t('quote.total')} value={quote && hasLines ? formatMoney(quote.total) : formatMoney(0)} data-testid="till-total" styles={{ content: { fontSize: 36, opacity: stale ? 0.5 : 1 } }} />
          {quote && quote.savings > 0 && hasLines && <Statistic title={t('quote.savings')} value={formatMoney(quote.savings)} data-testid="till-savings" styles={{ content: { color: '#cf1322' } }} />}
        </Flex>
        {quote && hasLines && quote.coupons.some((c) => c.ok) && (
          <Flex justify="space-between" align="flex-end" style={{ marginTop: 8 }}>
            <Statistic
              title={t('quote.couponDiscount')} value={`-${formatMoney(quote.couponDiscount)}`}
              valueRender={(node) => <span data-testid="till-coupon-discount">{node}</span>} styles={{ content: { color: '#cf1322', opacity: stale ? 0.5 : 1 } }}
            />
            <Statistic
              title={t('quote.toPay')} value={formatMoney(quote.toPay)}
              valueRender={(node) => <span data-testid="till-to-pay">{node}</span>} styles={{ content: { fontSize: 28, opacity: stale ? 0.5 : 1 } }}
            />
          </Flex>
        )}
        {error ? <div style={{ marginTop: 12 }}><ApiErrorAlert error={error} lineName={lineName} testId="till-quote-error" /></div> : null}
        {quote && hasLines && (
          <>
            <Divider style={{ margin: '12px 0' }} />
            {hasMember
              ? (
                <>
                  <Flex justify="space-between">
                    <Typography.Text>{t('quote.points')}</Typography.Text>
                    <Typography.Text strong data-testid="till-points">+{formatCount(quote.points)}</Typography.Text>
                  </Flex>
                  {quote.explanation.length > 0 && (
                    <List
                      size="small" split={false} data-testid="till-explanation" dataSource={quote.explanation}
                      renderItem={(e) => (
                        <List.Item style={{ padding: '2px 0' }} extra={<Typography.Text type="secondary">{signedPoints(e.points)}</Typography.Text>}>
                          <Typography.Text type="secondary">{e.name} <Tag bordered={false}>{t(`ruleKinds.${e.kind}` as never, { defaultValue: e.kind }) as string}</Tag></Typography.Text>
                        </List.Item>
                      )}
                    />
                  )}
                  <Flex justify="space-between" style={{ marginTop: 4 }}>
                    <Typography.Text>{t('quote.usable')}</Typography.Text>
                    <Typography.Text data-testid="till-usable">{t('quote.usableValue', { points: formatCount(quote.usablePoints), value: formatMoney(quote.usableValue) })}</Typography.Text>
                  </Flex>
                </>
              )
              : <Typography.Text type="secondary">{t('quote.noMember')}</Typography.Text>}
          </>
        )}
      </Spin>
      <Button type="primary" size="large" block style={{ marginTop: 16, height: 56, fontSize: 20 }} disabled={!hasLines || Boolean(error)} onClick={onPay} data-testid="till-pay">
        {t('quote.pay')} (F9)
      </Button>
    </Card>
  )
}
