import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, call, type GetOk } from '../api.js'
import { formatDate, formatMoney, useI18n, type T } from '../i18n.js'
import { Empty, Loaded, Page, Qr, Row, Sheet } from '../ui.js'

type Coupon = GetOk<'/api/v1/me/coupons'>[number]
const STATUSES = ['issued', 'used', 'expired'] as const

/** What a coupon is worth, in words: ¥10 off, 20% off, double points… */
export const couponValue = (c: Pick<Coupon, 'kind' | 'value'>, t: T): string => {
  switch (c.kind) {
    case 'amount': case 'threshold': return t('couponAmount', { amount: formatMoney(c.value) })
    case 'percent': return t('couponPercent', { percent: c.value })
    case 'free_item': return t('couponFreeItem')
    case 'points_multiplier': return t('couponMultiplier', { times: c.value })
  }
}

export const CouponsPage = () => {
  const { t } = useI18n()
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('issued')
  const [open, setOpen] = useState<Coupon | null>(null)
  const coupons = useQuery({ queryKey: ['coupons', status], queryFn: () => call(api.GET('/api/v1/me/coupons', { params: { query: { status } } })) })
  return (
    <Page title={t('coupons')} testId="coupons-page">
      <div className="segmented tabs" role="tablist">
        {STATUSES.map((s) => (
          <button type="button" role="tab" key={s} aria-selected={status === s} className={status === s ? 'on' : ''} onClick={() => setStatus(s)} data-testid={`coupons-${s}`}>{t(`coupon_${s}`)}</button>
        ))}
      </div>
      <Loaded query={coupons}>
        {(list) => list.length === 0 ? <Empty>{t('noCoupons')}</Empty> : (
          <div className="list">
            {list.map((c) => (
              <Row key={c.id} testId="coupon" title={c.templateName}
                sub={<>{c.conditions.minSpend > 0 ? `${t('couponMinSpend', { amount: formatMoney(c.conditions.minSpend) })} · ` : ''}{t('validUntil', { date: formatDate(c.validTo) })}</>}
                extra={<span className={`tag${status === 'issued' ? ' tag-red' : ''}`}>{couponValue(c, t)}</span>}
                onClick={status === 'issued' ? () => setOpen(c) : undefined} />
            ))}
          </div>
        )}
      </Loaded>
      <Sheet open={open !== null} onClose={() => setOpen(null)} title={open?.templateName ?? ''}>
        {open && (
          <div className="center" data-testid="coupon-sheet">
            <Qr text={open.qrPayload} size={200} testId="coupon-qr" />
            <div className="code">{open.code}</div>
            <p><b>{couponValue(open, t)}</b></p>
            <ul className="conditions small" data-testid="coupon-conditions">
              {open.conditions.description && <li>{open.conditions.description}</li>}
              {open.conditions.minSpend > 0 && <li>{t('couponMinSpend', { amount: formatMoney(open.conditions.minSpend) })}</li>}
              {open.conditions.maxDiscount !== null && <li>{t('couponMaxDiscount', { amount: formatMoney(open.conditions.maxDiscount) })}</li>}
              <li>{open.conditions.covers ? t('couponCovers', { what: open.conditions.covers.join('、') }) : t('couponWholeBasket')}</li>
              <li>{open.conditions.stores ? t('couponStores', { stores: open.conditions.stores.join('、') }) : t('couponAllStores')}</li>
              {open.conditions.minTier && <li>{t('couponTier', { tier: open.conditions.minTier })}</li>}
              {!open.conditions.stacks && <li>{t('couponAlone')}</li>}
            </ul>
            <p className="small muted">{t('validFromTo', { from: formatDate(open.validFrom), to: formatDate(open.validTo) })}</p>
            <p className="small muted">{t('couponShowAtTill')}</p>
          </div>
        )}
      </Sheet>
    </Page>
  )
}
