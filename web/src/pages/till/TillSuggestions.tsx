import { BulbOutlined, QuestionCircleOutlined } from '@ant-design/icons'
import { App, Button, Card, Flex, Tooltip, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { offerPrice, priceText, shortReasonText, type Recommendation } from '../insight/recommendations/recommendation-words.js'
import type { NewLine } from './basket.js'

const SHOWN = 5
/** Read more than shown, so the list stays full as suggestions go into the basket. */
const READ = 10

interface TillSuggestionsProps {
  memberId: string
  /** the basket's SKUs: what is in it already is not suggested */
  inBasket: readonly string[]
  onAdd(item: NewLine, quantity: number): void
  /** a suggestion was taken (or refused): back to the item box */
  onPicked(): void
}

/**
 * 推荐商品: the member's top suggestions not in the basket yet, each a click from it. Loaded on
 * its own once the member is known, so the sale never waits for it; on a failure (or with nothing
 * to suggest) it is simply not there.
 */
export const TillSuggestions = ({ memberId, inBasket, onAdd, onPicked }: TillSuggestionsProps) => {
  const { t } = useTranslation('till', { keyPrefix: 'suggestions' })
  const { t: tb } = useTranslation('till', { keyPrefix: 'basket' })
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [adding, setAdding] = useState<string | null>(null)
  const { data, error } = useApiQuery('/api/v1/members/{id}/recommendations', { params: { path: { id: memberId }, query: { limit: READ } } })
  const shown = data?.items.filter((r) => !inBasket.includes(r.sku)).slice(0, SHOWN) ?? []
  if (error || shown.length === 0) return null

  // As a typed SKU: the catalogue's product now (its price, whether it is weighed), one piece.
  const pick = async (r: Recommendation) => {
    if (adding) return
    setAdding(r.sku)
    try {
      const p = await call(api.GET('/api/v1/products/by-sku/{sku}', { params: { path: { sku: r.sku } } }))
      if (p.soldByWeight) void message.info(t('weighed', { name: p.name }))
      else onAdd({ sku: p.sku, name: p.name, unit: 'piece', listPrice: p.listPrice, memberPrice: p.memberPrice, known: true }, 1)
    } catch (err) {
      void message.error(t('failed', { name: r.name, error: errorText(err) }))
    } finally {
      setAdding(null)
      onPicked()
    }
  }

  return (
    <Card
      size="small" data-testid="till-suggestions"
      title={<Flex gap={6} align="center"><BulbOutlined style={{ color: '#faad14' }} />{t('title')}</Flex>}
      extra={<Tooltip title={t('help', { days: data?.excludeDays ?? 7 })}><Typography.Text type="secondary" style={{ cursor: 'help' }}><QuestionCircleOutlined /></Typography.Text></Tooltip>}
      styles={{ body: { padding: 4 } }}
    >
      {shown.map((r) => {
        const offer = offerPrice(r)
        return (
          <Tooltip key={r.productId} title={t('add', { name: r.name })} placement="left">
            <Button
              type="text" block loading={adding === r.sku} data-testid={`till-suggestion-${r.sku}`} onClick={() => void pick(r)}
              style={{ height: 'auto', padding: '4px 8px', display: 'block', textAlign: 'start' }}
            >
              <Flex justify="space-between" gap={8} align="baseline">
                <Typography.Text strong ellipsis>{r.name}</Typography.Text>
                <Typography.Text type={offer.isMemberPrice ? 'danger' : undefined} style={{ flex: 'none' }} data-testid={`till-offer-${r.sku}`}>{priceText(offer.price, r.soldByWeight, tb('perKg'))}</Typography.Text>
              </Flex>
              <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>{shortReasonText(t, r.reason)}</Typography.Text>
            </Button>
          </Tooltip>
        )
      })}
    </Card>
  )
}
