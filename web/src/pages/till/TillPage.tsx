import { App, Button, Card, Col, Flex, Input, Row, Select, Space, Tag, Typography, type InputRef } from 'antd'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatMoney } from '../../format.js'
import type { Member } from '../../shared/member-options.js'
import { useStores } from '../../hooks/use-stores.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { addItem, pointValueOf, quoteKey, quoteLines, removeLine, saleLines, saleTenders, setQuantity, type BasketLine, type NewLine } from './basket.js'
import { BasketPanel } from './BasketPanel.js'
import { CouponPanel } from './CouponPanel.js'
import { acceptedCoupons, addCouponCode, MAX_COUPONS, removeCouponCode, type AddCoupon } from './coupons.js'
import { TILL_HOTKEYS, tillAction, type TillAction } from './hotkeys.js'
import { MemberPanel } from './MemberPanel.js'
import { PaymentModal } from './PaymentModal.js'
import { QuotePanel } from './QuotePanel.js'
import { attemptFor, cleanTillId, mustCheckPrevious, newTillId, outcomeUnknown, type SaleAttempt } from './receipt-no.js'
import { SaleResult } from './SaleResult.js'
import { TillSuggestions } from './TillSuggestions.js'
import type { PostResult, TillTender } from './types.js'
import { useQuote, type QuoteRequest } from './use-quote.js'

const STORE_KEY = 'patron.till.store'
/** This browser's till number, sent with every sale (the receipts list shows it). */
const TILL_KEY = 'patron.till.id'
const storedTillId = () => {
  const saved = cleanTillId(localStorage.getItem(TILL_KEY) ?? '')
  if (saved) return saved
  const fresh = newTillId()
  localStorage.setItem(TILL_KEY, fresh)
  return fresh
}
let lineSeq = 0
const newLineId = () => `line-${++lineSeq}`

/**
 * The cashier's screen, built for a queue and the keyboard: member (F2), basket (F3), quote
 * (F4, also refreshed as the basket changes), payment (F9), Esc to clear. Store staff sell for
 * their store; HQ staff pick the store first.
 */
export const TillPage = () => {
  const { t } = useTranslation('till')
  const { modal, message } = App.useApp()
  const { user, store, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const ownStore = user?.storeId ?? null
  const { stores } = useStores()
  const { tierName } = useTiers()
  const [pickedStore, setPickedStore] = useState<string | null>(() => (ownStore ? null : localStorage.getItem(STORE_KEY)))
  const storeId = ownStore ?? pickedStore
  const [tillId, setTillId] = useState(storedTillId)
  const changeTillId = (text: string) => {
    const id = cleanTillId(text)
    setTillId(id)
    if (id) localStorage.setItem(TILL_KEY, id)
  }
  const [member, setMember] = useState<Member | null>(null)
  const [lines, setLines] = useState<BasketLine[]>([])
  const [lastLineId, setLastLineId] = useState<string | null>(null)
  const [pointsToUse, setPointsToUse] = useState(0)
  /** the coupon codes applied to this sale, in the order the quote applies them */
  const [couponCodes, setCouponCodes] = useState<string[]>([])
  const [tender, setTender] = useState<TillTender>('cash')
  const [paying, setPaying] = useState(false)
  const [posting, setPosting] = useState(false)
  const [postError, setPostError] = useState<unknown>(null)
  const [result, setResult] = useState<{ posted: PostResult; paid: number } | null>(null)
  /** counts the sales done or cleared: the basket's prompts belong to one sale */
  const [saleKey, setSaleKey] = useState(0)
  const [scaleLayout, setScaleLayout] = useState<string | undefined>(undefined)
  useEffect(() => {
    let live = true
    call(api.GET('/api/v1/till-settings')).then((s) => live && setScaleLayout(s.scaleLayout), () => undefined)
    return () => {
      live = false
    }
  }, [])
  const attempt = useRef<SaleAttempt | null>(null)
  const postingRef = useRef(false)
  const confirmingClear = useRef(false)
  const memberInput = useRef<InputRef>(null)
  const itemInput = useRef<InputRef>(null)

  const request = useMemo<QuoteRequest | null>(() => {
    if (!storeId || lines.length === 0) return null
    return {
      key: quoteKey(storeId, member?.id ?? null, lines, pointsToUse, couponCodes),
      body: {
        ...(ownStore ? {} : { storeId }), member: member ? { id: member.id } : undefined, lines: quoteLines(lines), pointsToUse,
        ...(member && couponCodes.length ? { coupons: couponCodes } : {}),
      },
      lineIds: lines.map((l) => l.id),
    }
  }, [storeId, ownStore, member, lines, pointsToUse, couponCodes])
  const quotes = useQuote(request)
  const lineName = useCallback((i: number) => lines[i]?.name, [lines])

  // Lines change from async lookups as well as key presses: each change starts from the latest basket.
  const linesRef = useRef(lines)
  const changeLines = (change: (prev: BasketLine[]) => BasketLine[]) => {
    linesRef.current = change(linesRef.current)
    setLines(linesRef.current)
  }

  const focusMember = () => setTimeout(() => memberInput.current?.focus(), 0)
  const focusItem = () => setTimeout(() => itemInput.current?.focus(), 0)

  const clearSale = useCallback(() => {
    setMember(null)
    linesRef.current = []
    setLines([])
    setLastLineId(null)
    setPointsToUse(0)
    setCouponCodes([])
    setTender('cash')
    setPaying(false)
    setPostError(null)
    setSaleKey((k) => k + 1)
    attempt.current = null
    focusMember()
  }, [])

  const selectMember = (m: Member | null) => {
    setMember(m)
    setPointsToUse(0)
    // A member's coupons are theirs: another member (or none) starts without them.
    setCouponCodes([])
  }

  const addCoupon = (raw: string): AddCoupon['problem'] => {
    const next = addCouponCode(couponCodes, raw)
    if (next.problem === null) setCouponCodes(next.codes)
    return next.problem
  }

  /** A coupon's QR code scanned into the item box: applied as if scanned into the coupon box. */
  const scanCoupon = (raw: string): string | null => {
    if (!member) return t('coupons.noMember')
    const problem = addCoupon(raw)
    return problem === null ? null : problem === 'tooMany' ? t('coupons.tooMany', { max: MAX_COUPONS }) : t(`coupons.${problem}`)
  }

  const add = (item: NewLine, quantity: number) => {
    setResult(null)
    const next = addItem(linesRef.current, item, quantity, newLineId)
    changeLines(() => next.lines)
    setLastLineId(next.id)
  }

  const openPayment = () => {
    if (lines.length === 0) {
      void message.info(t('basket.emptyPay'))
      focusItem()
      return
    }
    // A basket the server refuses to price cannot be paid for: the quote says what to fix.
    if (quotes.error) {
      void message.error(t('errors.payBlocked'))
      focusItem()
      return
    }
    setPostError(null)
    setPaying(true)
  }

  const commit = async () => {
    if (postingRef.current || !request || !storeId) return
    postingRef.current = true
    setPosting(true)
    setPostError(null)
    try {
      const quote = await quotes.get(request)
      const points = Math.min(pointsToUse, quote.usablePoints)
      const sale = {
        ...(ownStore ? {} : { storeId }), ...(tillId ? { till: tillId } : {}), member: member ? { id: member.id } : undefined, cashier: user?.username,
        lines: saleLines(quote, lines), tenders: saleTenders(quote.total, tender, points, pointValueOf(quote), acceptedCoupons(quote)), total: quote.total,
      }
      // The same sale keeps its number and time, so a retry after a lost answer cannot post it twice.
      const current = attemptFor(attempt.current, JSON.stringify(sale), new Date(), tz)
      const previous = attempt.current
      if (mustCheckPrevious(previous, current)) {
        // The basket changed after a try whose answer was lost: that try may be on the books.
        const found = await call(api.GET('/api/v1/receipts', { params: { query: { storeId, receiptNo: previous.receiptNo } } }))
        const earlier = found.items[0]
        if (earlier && !(await confirmAnother(earlier.receiptNo, earlier.total))) {
          clearSale()
          void message.info(t('lost.kept', { receiptNo: earlier.receiptNo }))
          return
        }
      }
      attempt.current = current
      try {
        const posted = await call(api.POST('/api/v1/pos/receipts', { body: { ...sale, receiptNo: current.receiptNo, businessAt: current.businessAt } }))
        // What the customer paid in money: the total less coupons and points.
        setResult({ posted, paid: sale.tenders.filter((x) => x.kind !== 'coupon' && x.kind !== 'points').reduce((a, x) => a + x.amount, 0) })
        clearSale()
      } catch (err) {
        current.uncertain = current.uncertain || outcomeUnknown(err instanceof ApiError ? err.status : undefined)
        throw err
      }
    } catch (err) {
      setPostError(err)
      // Another till may have used a coupon a moment ago: the quote says which, and why.
      if (err instanceof ApiError && err.code.startsWith('COUPON_')) quotes.refresh()
    } finally {
      postingRef.current = false
      setPosting(false)
    }
  }

  /** Asks whether to post a changed sale when its earlier try turned out to be posted. */
  const confirmAnother = (receiptNo: string, total: number) => new Promise<boolean>((resolve) => {
    modal.confirm({
      title: t('lost.title'), content: t('lost.content', { receiptNo, total: formatMoney(total) }),
      okText: t('lost.postAnother'), cancelText: t('lost.keep'), onOk: () => resolve(true), onCancel: () => resolve(false),
    })
  })

  const clear = () => {
    if (paying) {
      setPaying(false)
      return
    }
    if (lines.length === 0) {
      clearSale()
      return
    }
    if (confirmingClear.current) return
    confirmingClear.current = true
    modal.confirm({
      title: t('clear.title'), content: t('clear.content', { count: lines.length }), okText: t('clear.ok'), cancelText: t('clear.cancel'), okButtonProps: { danger: true },
      onOk: clearSale, afterClose: () => { confirmingClear.current = false },
    })
  }

  const run = (action: TillAction) => {
    if (action === 'member') focusMember()
    else if (action === 'item') focusItem()
    else if (action === 'quote') quotes.refresh()
    else if (action === 'pay') {
      if (paying) void commit()
      else openPayment()
    } else clear()
  }
  // The latest closure for the window listener, which is added once.
  const runRef = useRef(run)
  useEffect(() => {
    runRef.current = run
  })
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = tillAction(e)
      // A prompt that handled the key (Esc closing it) has said so.
      if (!action || e.defaultPrevented || e.isComposing) return
      if (action === 'clear' && confirmingClear.current) return
      e.preventDefault()
      runRef.current(action)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const pickStore = (id: string) => {
    localStorage.setItem(STORE_KEY, id)
    setPickedStore(id)
    clearSale()
  }

  return (
    <Flex vertical gap={16} data-testid="till">
      <Card size="small">
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Space>
            <Typography.Title level={4} style={{ margin: 0 }}>{t('title')}</Typography.Title>
            {ownStore
              ? <Tag>{store?.name}</Tag>
              : (
                <Select
                  style={{ width: 220 }} showSearch={{ optionFilterProp: 'label' }} placeholder={t('pickStore')} value={pickedStore ?? undefined} onChange={pickStore} data-testid="till-store"
                  options={stores.filter((s) => s.status === 'open').map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
                />
              )}
            <Input
              size="small" style={{ width: 150 }} prefix={t('tillId')} value={tillId} maxLength={32} onChange={(e) => changeTillId(e.target.value)}
              onBlur={() => { if (!tillId) changeTillId(storedTillId()) }} data-testid="till-id"
            />
          </Space>
          <Space wrap data-testid="till-hotkeys">
            {TILL_HOTKEYS.map((h) => (
              <Button key={h.key} size="small" onClick={() => run(h.action)}>
                <Tag style={{ marginInlineEnd: 4 }}>{h.key}</Tag>{t(`hotkeys.${h.action}`)}
              </Button>
            ))}
          </Space>
        </Flex>
      </Card>
      {!storeId && <Typography.Text type="warning" data-testid="till-no-store">{t('noStore')}</Typography.Text>}
      <Row gutter={16}>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            <MemberPanel member={member} storeId={storeId} inputRef={memberInput} onSelect={selectMember} onDone={focusItem} />
            <BasketPanel
              lines={lines} quote={quotes.quote} quotedIds={quotes.lineIds} stale={quotes.stale} inputRef={itemInput} lastLineId={lastLineId}
              onAdd={add} onCoupon={scanCoupon} scaleLayout={scaleLayout} saleKey={saleKey}
              onQuantity={(id, q) => changeLines((prev) => setQuantity(prev, id, q))}
              onRemove={(id) => { changeLines((prev) => removeLine(prev, id)); focusItem() }}
            />
          </Flex>
        </Col>
        <Col xs={24} lg={9}>
          <Flex vertical gap={16}>
            <QuotePanel
              quote={quotes.quote} loading={quotes.loading} stale={quotes.stale} error={quotes.error} hasMember={Boolean(member)} hasLines={lines.length > 0}
              lineName={lineName} onRefresh={quotes.refresh} onPay={openPayment}
            />
            {member && (
              <CouponPanel
                quote={quotes.quote} stale={quotes.stale || quotes.loading} hasLines={lines.length > 0} codes={couponCodes} tierName={tierName}
                onAdd={addCoupon} onRemove={(code) => setCouponCodes((c) => removeCouponCode(c, code))}
              />
            )}
            {member && <TillSuggestions key={member.id} memberId={member.id} inBasket={lines.map((l) => l.sku)} onAdd={add} onPicked={focusItem} />}
            {result && <SaleResult result={result.posted} paid={result.paid} tierName={tierName} storeCode={ownStore ? store?.code : stores.find((s) => s.id === storeId)?.code} />}
          </Flex>
        </Col>
      </Row>
      <PaymentModal
        open={paying} quote={quotes.quote} hasMember={Boolean(member)} pointsToUse={pointsToUse} onPoints={setPointsToUse}
        tender={tender} onTender={setTender} busy={posting} error={postError} lineName={lineName}
        onConfirm={() => void commit()} onClose={() => setPaying(false)}
        onAfterClose={() => (linesRef.current.length === 0 ? focusMember() : focusItem())}
      />
    </Flex>
  )
}

export default TillPage
