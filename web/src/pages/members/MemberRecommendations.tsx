import { Card, Empty, Flex, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { TitleWithHelp } from '../insight/shared/HelpTip.js'
import { RecommendationDefinitions } from '../insight/recommendations/RecommendationDefinitions.js'
import { offerPrice, priceText, reasonText, type Recommendation } from '../insight/recommendations/recommendation-words.js'

/** The API's default: nothing the member bought in the last week. */
const EXCLUDE_DAYS = 7

/**
 * 为TA推荐: the products a member may buy next, the highest score first, each with its price
 * (the member price where there is one) and its reason in words; under the title, the model they
 * came from (or that there is none yet) and what is never suggested, the definitions one hover away.
 */
export const MemberRecommendations = ({ memberId, limit = 10 }: { memberId: string; limit?: number }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'recommendations' })
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data, error, refetch, isFetching } = useApiQuery('/api/v1/members/{id}/recommendations', { params: { path: { id: memberId }, query: { limit } } })
  const excludeDays = data?.excludeDays ?? EXCLUDE_DAYS

  const columns: TableColumnsType<Recommendation> = [
    { key: 'rank', title: t('member.columns.rank'), width: 56, align: 'right', render: (_, __, i) => i + 1 },
    {
      key: 'name', title: t('member.columns.name'),
      render: (_, r) => (
        <Space size={4} wrap>
          <Typography.Text strong>{r.name}</Typography.Text>
          {!r.pointsEligible && <Tag>{t('member.noPoints')}</Tag>}
        </Space>
      ),
    },
    { key: 'sku', title: t('member.columns.sku'), width: 110, render: (_, r) => <Typography.Text type="secondary">{r.sku}</Typography.Text> },
    { key: 'category', title: t('member.columns.category'), width: 120, render: (_, r) => r.category ?? '—' },
    {
      key: 'price', title: t('member.columns.price'), width: 130, align: 'right',
      render: (_, r) => {
        const offer = offerPrice(r)
        const price = (fen: number) => priceText(fen, r.soldByWeight, t('member.perKg'))
        if (!offer.isMemberPrice) return <span data-testid={`member-recommendation-price-${r.sku}`}>{price(offer.price)}</span>
        return (
          <Flex vertical align="flex-end">
            <Typography.Text type="danger"><span data-testid={`member-recommendation-price-${r.sku}`}>{price(offer.price)}</span> <Tag color="red" style={{ marginInlineEnd: 0 }}>{t('member.memberPrice')}</Tag></Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('member.listPrice', { price: price(r.listPrice) })}</Typography.Text>
          </Flex>
        )
      },
    },
    {
      key: 'reason', title: t('member.columns.reason'),
      render: (_, r) => <span data-testid={`member-recommendation-reason-${r.sku}`}>{reasonText(t, r.reason)}</span>,
    },
  ]

  const model = data?.model
  const note = data && (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="member-recommendations-model">
      {model ? t('member.modelNote', { at: formatDateTime(model.builtAt, tz), from: model.from, to: model.to }) : t('member.noModel')}
      {' · '}{t('definitions.excluded', { days: excludeDays })}
    </Typography.Text>
  )

  return (
    <Card
      size="small" data-testid="member-recommendations"
      title={<TitleWithHelp title={t('member.title')} help={<RecommendationDefinitions excludeDays={excludeDays} />} testId="member-recommendations-help" />}
    >
      {error ? <ErrorResult compact error={error} onRetry={() => void refetch()} /> : (
        <Flex vertical gap={8}>
          {note}
          <Table<Recommendation>
            size="small" rowKey="productId" dataSource={data?.items ?? []} loading={!data || isFetching} pagination={false} columns={columns}
            scroll={{ x: 720 }} onRow={(r) => ({ 'data-testid': `member-recommendation-${r.sku}` }) as never}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('member.empty')} /> }}
          />
        </Flex>
      )}
    </Card>
  )
}
