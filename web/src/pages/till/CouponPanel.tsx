import { CloseOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Divider, Flex, Input, List, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatMoney } from '../../format.js'
import { refusalText } from '../coupons/refusals.js'
import { MAX_COUPONS, offeredCoupons, type AddCoupon, type QuoteCoupon } from './coupons.js'
import type { Quote } from './types.js'

interface CouponPanelProps {
  quote: Quote | null
  /** the quote on screen is for another basket (or other coupons) than the one now */
  stale: boolean
  hasLines: boolean
  /** the codes applied, in order */
  codes: string[]
  onAdd(raw: string): AddCoupon['problem']
  onRemove(code: string): void
  tierName(code: string | null): string | null
}

/** What a coupon does to this basket: the amount off, extra points, or why it does not apply. */
const Effect = ({ outcome, offered, tierName }: {
  outcome: Pick<QuoteCoupon, 'ok' | 'kind' | 'discount' | 'bonusPoints' | 'refusal' | 'reason' | 'facts'>
  offered: boolean
  tierName(code: string | null): string | null
}) => {
  const { t } = useTranslation('till')
  const { t: tc } = useTranslation('rewards', { keyPrefix: 'coupons' })
  if (!outcome.ok) {
    return <Typography.Text type={offered ? 'secondary' : 'danger'}>{refusalText(tc, outcome.refusal, outcome.reason, outcome.facts, (code) => tierName(code) ?? code)}</Typography.Text>
  }
  if (outcome.kind === 'points_multiplier' || (outcome.discount === 0 && outcome.bonusPoints > 0)) {
    return <Typography.Text type="success">{outcome.bonusPoints > 0 ? t('coupons.bonus', { points: outcome.bonusPoints }) : t('coupons.multiplier')}</Typography.Text>
  }
  return <Typography.Text type="danger" strong>{offered ? t('coupons.canTake', { value: formatMoney(outcome.discount) }) : t('coupons.off', { value: formatMoney(outcome.discount) })}</Typography.Text>
}

/**
 * The member's coupons on this sale (shown once a member is on it): those applied (with what each takes off, or why it does not
 * apply), the member's other unused coupons to apply with a click, and a box for a typed or
 * scanned code. The quote checks them all; the sale then carries the ones it accepted.
 */
export const CouponPanel = ({ quote, stale, hasLines, codes, onAdd, onRemove, tierName }: CouponPanelProps) => {
  const { t } = useTranslation('till')
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)

  const add = (raw: string) => {
    const issue = onAdd(raw)
    if (issue === null) {
      setText('')
      setProblem(null)
    } else setProblem(issue === 'tooMany' ? t('coupons.tooMany', { max: MAX_COUPONS }) : t(`coupons.${issue}`))
  }

  const outcomes = new Map((quote?.coupons ?? []).map((c) => [c.code, c]))
  const offered = quote && hasLines ? offeredCoupons(quote, codes) : []
  return (
    <Card title={t('coupons.title')} size="small" data-testid="till-coupons" data-stale={stale ? 'true' : 'false'}>
      <Input.Search
        value={text} placeholder={t('coupons.placeholder')} enterButton={t('coupons.apply')} data-testid="till-coupon-input" disabled={!hasLines}
        onChange={(e) => { setText(e.target.value); setProblem(null) }} onSearch={(v) => add(v)}
      />
      {problem && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={problem} data-testid="till-coupon-problem" />}
      {codes.length > 0 && (
        <>
          <Divider titlePlacement="start" plain style={{ margin: '12px 0 4px' }}>{t('coupons.applied')}</Divider>
          <List
            size="small" split={false} dataSource={codes} data-testid="till-coupons-applied"
            renderItem={(code) => {
              const o = outcomes.get(code)
              return (
                <List.Item
                  style={{ padding: '4px 0' }} data-testid={`till-coupon-applied-${code}`} data-ok={o ? String(o.ok) : 'pending'}
                  extra={<Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('coupons.remove')} onClick={() => onRemove(code)} data-testid={`till-coupon-remove-${code}`} />}
                >
                  <Flex vertical>
                    <Typography.Text strong>{o?.name ?? code}</Typography.Text>
                    {o && !stale ? <Effect outcome={o} offered={false} tierName={tierName} /> : <Typography.Text type="secondary">{t('coupons.pending')}</Typography.Text>}
                  </Flex>
                </List.Item>
              )
            }}
          />
        </>
      )}
      {quote && hasLines && (
        <>
          <Divider titlePlacement="start" plain style={{ margin: '12px 0 4px' }}>{t('coupons.offered')}</Divider>
          {offered.length === 0
            ? <Typography.Text type="secondary" data-testid="till-coupons-none">{t('coupons.none')}</Typography.Text>
            : (
              <List
                size="small" split={false} dataSource={offered} data-testid="till-coupons-offered"
                renderItem={(c) => (
                  <List.Item
                    style={{ padding: '4px 0' }} data-testid={`till-coupon-offer-${c.code}`}
                    extra={(
                      <Button size="small" type={c.ok ? 'primary' : 'default'} disabled={!c.ok || codes.length >= MAX_COUPONS} onClick={() => add(c.code)} data-testid={`till-coupon-apply-${c.code}`}>
                        {t('coupons.apply')}
                      </Button>
                    )}
                  >
                    <Flex vertical>
                      <Typography.Text strong>{c.name ?? c.code}</Typography.Text>
                      <Effect outcome={c} offered tierName={tierName} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('coupons.validTo', { date: c.validTo })}</Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            )}
        </>
      )}
    </Card>
  )
}
