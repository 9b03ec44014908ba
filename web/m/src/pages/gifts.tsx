import { useMutation, useQuery, useQueryClient, useInfiniteQuery } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { api, call, requestKey, type GetOk, type Schemas } from '../api.js'
import { formatDate, formatMoney, useI18n, type WordKey } from '../i18n.js'
import { useLocation } from '../router.js'
import { Button, Empty, Loaded, Note, Page, Qr, Row, Sheet, toast } from '../ui.js'

type Gift = GetOk<'/api/v1/me/gifts'>['gifts'][number]
type Order = Schemas['GiftOrder']

/** A gift's redemption: one request key per confirmation, so a double tap (or a retry) redeems once. */
const RedeemSheet = ({ gift, onClose }: { gift: Gift | null; onClose: () => void }) => {
  const { t, errorText } = useI18n()
  const queryClient = useQueryClient()
  const key = useRef(requestKey())
  const redeem = useMutation({
    mutationFn: (giftId: string) => call(api.POST('/api/v1/me/gifts/{giftId}/redeem', { params: { path: { giftId } }, body: { requestKey: key.current } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['gifts'] })
      void queryClient.invalidateQueries({ queryKey: ['gift-orders'] })
      void queryClient.invalidateQueries({ queryKey: ['me'] })
      toast(t('redeemed'))
    },
  })
  const close = () => { key.current = requestKey(); redeem.reset(); onClose() }
  return (
    <Sheet open={gift !== null} onClose={close} title={gift?.name ?? ''}>
      {gift && (redeem.data ? <OrderCard order={redeem.data} /> : (
        <>
          {gift.description && <p>{gift.description}</p>}
          <p><b>{t('pointsN', { n: gift.pointsPrice })}</b>{gift.cashPrice > 0 ? ` + ${formatMoney(gift.cashPrice)}` : ''}</p>
          <p className="small muted">{t('pickupWithin', { days: gift.pickupDays })}</p>
          {redeem.error && <Note kind="error">{errorText(redeem.error)}</Note>}
          <Button kind="primary" block loading={redeem.isPending} onClick={() => redeem.mutate(gift.id)} data-testid="redeem-confirm">{t('redeemConfirm')}</Button>
        </>
      ))}
    </Sheet>
  )
}

const OrderCard = ({ order }: { order: Order }) => {
  const { t } = useI18n()
  return (
    <div className="center" data-testid="gift-order">
      <Qr text={order.orderNo} size={180} />
      <div className="code">{order.orderNo}</div>
      <p>{t('pickupAt', { store: order.pickupStoreName ?? '—', date: formatDate(order.expiresAt) })}</p>
    </div>
  )
}

/** Gifts for points: the catalogue with what the member can afford, and their orders with the pick-up code. */
export const GiftsPage = () => {
  const { t } = useI18n()
  const { query } = useLocation()
  const [tab, setTab] = useState<'catalogue' | 'orders'>(query.get('tab') === 'orders' ? 'orders' : 'catalogue')
  const [picked, setPicked] = useState<Gift | null>(null)
  const [order, setOrder] = useState<Order | null>(null)
  const gifts = useQuery({ queryKey: ['gifts'], queryFn: () => call(api.GET('/api/v1/me/gifts')), enabled: tab === 'catalogue' })
  const orders = useInfiniteQuery({
    queryKey: ['gift-orders'],
    queryFn: ({ pageParam }) => call(api.GET('/api/v1/me/gift-orders', { params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: tab === 'orders',
  })
  return (
    <Page title={t('gifts')} back="/" testId="gifts-page">
      <div className="segmented tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'catalogue'} className={tab === 'catalogue' ? 'on' : ''} onClick={() => setTab('catalogue')}>{t('giftCatalogue')}</button>
        <button type="button" role="tab" aria-selected={tab === 'orders'} className={tab === 'orders' ? 'on' : ''} onClick={() => setTab('orders')} data-testid="gift-orders-tab">{t('giftOrders')}</button>
      </div>
      {tab === 'catalogue' ? (
        <Loaded query={gifts}>
          {(g) => (
            <>
              <p className="small muted pad">{t('giftsHeader', { points: g.spendable.toLocaleString('en-US'), store: g.pickupStoreName ?? '—' })}</p>
              {g.gifts.length === 0 ? <Empty>{t('noGifts')}</Empty> : (
                <div className="list">
                  {g.gifts.map((gift) => (
                    <Row key={gift.id} testId="gift" title={gift.name}
                      sub={<>{t('pointsN', { n: gift.pointsPrice })}{gift.cashPrice > 0 ? ` + ${formatMoney(gift.cashPrice)}` : ''} · {t('piecesLeft', { n: gift.available })}</>}
                      extra={gift.block ? <span className="tag">{t(`giftBlock_${gift.block}` as WordKey)}</span> : <span className="tag tag-red">{t('redeem')}</span>}
                      onClick={gift.block ? undefined : () => setPicked(gift)} />
                  ))}
                </div>
              )}
            </>
          )}
        </Loaded>
      ) : (
        <Loaded query={orders}>
          {(data) => {
            const list = data.pages.flatMap((p) => p.items)
            if (list.length === 0) return <Empty>{t('noGiftOrders')}</Empty>
            return (
              <div className="list">
                {list.map((o) => (
                  <Row key={o.id} testId="gift-order-row" title={o.giftName} sub={`${o.orderNo} · ${o.pickupStoreName ?? ''}`}
                    extra={<span className={`tag${o.status === 'reserved' ? ' tag-red' : ''}`}>{t(`order_${o.status}` as WordKey)}</span>}
                    onClick={o.status === 'reserved' ? () => setOrder(o) : undefined} />
                ))}
              </div>
            )
          }}
        </Loaded>
      )}
      <RedeemSheet gift={picked} onClose={() => setPicked(null)} />
      <Sheet open={order !== null} onClose={() => setOrder(null)} title={order?.giftName ?? ''}>{order && <OrderCard order={order} />}</Sheet>
    </Page>
  )
}
