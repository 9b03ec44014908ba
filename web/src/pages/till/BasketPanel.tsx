import { DeleteOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Empty, Input, InputNumber, Space, Table, Tag, Typography, type InputRef, type TableColumnsType } from 'antd'
import { useEffect, useState, type KeyboardEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { formatMoney } from '../../format.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { grossOf, isCodeLike, MAX_QUANTITY, parseItemEntry, parseYuan, type BasketLine, type NewLine } from './basket.js'
import { isCouponScan } from './coupons.js'
import { gramsOfPrice, kgText, parseScaleLabel, parseWeight, skusOfPlu } from './scale-barcode.js'
import type { Product, Quote } from './types.js'

type Pending =
  | { kind: 'unknown'; code: string; quantity: number; candidates: Product[] }
  /** multiplier: a `3*` typed before a weighed product, not taken (goods by weight are weighed) */
  | { kind: 'weight'; product: Product; multiplier: number | null }

/** Whether what landed in a prompt's box is a scanned code rather than a weight or a price. */
const looksScanned = (text: string) => /^\d{8,}$/.test(text.trim())

const toNewLine = (p: Product): NewLine => ({
  sku: p.sku, name: p.name, unit: p.soldByWeight ? 'g' : 'piece', listPrice: p.listPrice, memberPrice: p.memberPrice, known: true,
})

const notFound = (err: unknown) => err instanceof ApiError && (err.status === 404 || err.status === 422)

/** The product of a SKU or a barcode (the SKU wins when an entry is both); null when neither is known. */
const findProduct = async (code: string): Promise<Product | null> => {
  const [bySku, byBarcode] = await Promise.allSettled([
    call(api.GET('/api/v1/products/by-sku/{sku}', { params: { path: { sku: code } } })),
    /^\d{8,14}$/.test(code) ? call(api.GET('/api/v1/products/by-barcode/{barcode}', { params: { path: { barcode: code } } })) : Promise.resolve(null),
  ])
  if (bySku.status === 'fulfilled') return bySku.value
  if (!notFound(bySku.reason)) throw bySku.reason
  if (byBarcode.status === 'fulfilled') return byBarcode.value
  if (!notFound(byBarcode.reason)) throw byBarcode.reason
  return null
}

/** The product a scale label's PLU names: the SKU as the scale has it, then without leading zeros. */
const findPlu = async (plu: string): Promise<Product | null> => {
  for (const sku of skusOfPlu(plu)) {
    try {
      return await call(api.GET('/api/v1/products/by-sku/{sku}', { params: { path: { sku } } }))
    } catch (err) {
      if (!notFound(err)) throw err
    }
  }
  return null
}

const searchProducts = (q: string): Promise<Product[]> =>
  call(api.GET('/api/v1/products', { params: { query: { q, status: 'active', limit: 5 } } })).then((p) => p.items, () => [])

interface BasketPanelProps {
  lines: BasketLine[]
  /** the latest quote and the lines it priced (it may be for an earlier basket) */
  quote: Quote | null
  quotedIds: string[]
  stale: boolean
  inputRef: RefObject<InputRef | null>
  lastLineId: string | null
  onAdd(item: NewLine, quantity: number): void
  onQuantity(id: string, quantity: number): void
  onRemove(id: string): void
  /** a coupon's QR code scanned here: applies it, or says why not */
  onCoupon?(raw: string): string | null
  /** the chain's scale label layout */
  scaleLayout?: string
  /** changes when a sale is done or cleared: prompts and refusals of the last one go */
  saleKey?: number
}

/** What asks the cashier for what the catalogue cannot say: a price for an unknown SKU, a weight. */
const PendingPrompt = ({ pending, onAdd, onCancel }: { pending: Pending; onAdd(item: NewLine, quantity: number): void; onCancel(): void }) => {
  const { t } = useTranslation('till')
  const [price, setPrice] = useState('')
  const [name, setName] = useState('')
  const [weight, setWeight] = useState('')
  const [invalid, setInvalid] = useState<string | null>(null)
  const grams = parseWeight(weight)

  const submit = () => {
    if (pending.kind === 'weight') {
      // A scanner's next code landed here: the weighed item still waits, and says so.
      if (looksScanned(weight)) {
        setWeight('')
        return setInvalid(t('basket.weightFirst', { name: pending.product.name }))
      }
      if (grams === null) return setInvalid(t('basket.weightInvalid'))
      if (grams > MAX_QUANTITY.g) return setInvalid(t('basket.weightTooMuch'))
      return onAdd(toNewLine(pending.product), grams)
    }
    if (looksScanned(price)) {
      setPrice('')
      return setInvalid(t('basket.priceFirst', { code: pending.code }))
    }
    const fen = parseYuan(price)
    if (fen === null || !isCodeLike(pending.code)) return setInvalid(t('basket.priceInvalid'))
    onAdd({ sku: pending.code, name: name.trim() || pending.code, unit: 'piece', listPrice: fen, memberPrice: null, known: false }, pending.quantity)
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault()
      submit()
    } else if (e.key === 'Escape') {
      e.preventDefault()
      onCancel()
    }
  }

  if (pending.kind === 'weight') {
    return (
      <Alert
        type="info" style={{ marginTop: 8 }} data-testid="till-weight-prompt" title={t('basket.weightPrompt', { name: pending.product.name, price: formatMoney(pending.product.listPrice) })}
        description={(
          <Space orientation="vertical" size={4} onKeyDown={onKeyDown}>
            {pending.multiplier !== null && <Typography.Text type="warning" data-testid="till-weight-multiplier">{t('basket.weightNoMultiplier', { n: pending.multiplier })}</Typography.Text>}
            <Space wrap>
              <Input
                autoFocus suffix="kg" placeholder={t('basket.weightPlaceholder')} value={weight} style={{ width: 180 }} status={invalid ? 'error' : undefined} data-testid="till-weight-input"
                onChange={(e) => { setWeight(e.target.value); setInvalid(null) }}
              />
              <Button type="primary" onClick={submit} data-testid="till-weight-add">{t('basket.add')}</Button>
              <Button onClick={onCancel}>{t('basket.cancel')} (Esc)</Button>
              {grams !== null && !invalid && <Typography.Text type="secondary" data-testid="till-weight-grams">{t('basket.weightIs', { weight: kgText(grams), grams })}</Typography.Text>}
            </Space>
            {invalid && <Typography.Text type="danger" data-testid="till-weight-error">{invalid}</Typography.Text>}
          </Space>
        )}
      />
    )
  }
  const sellable = isCodeLike(pending.code)
  return (
    <Alert
      type="warning" style={{ marginTop: 8 }} data-testid="till-unknown-prompt"
      title={sellable ? t('basket.unknownPrompt', { code: pending.code }) : t('basket.notFound', { code: pending.code })}
      description={(
        <Space orientation="vertical" style={{ width: '100%' }} onKeyDown={onKeyDown}>
          {sellable && (
            <Space wrap>
              <Input
                autoFocus prefix="¥" placeholder={t('basket.price')} value={price} style={{ width: 140 }} status={invalid ? 'error' : undefined} data-testid="till-unknown-price"
                onChange={(e) => { setPrice(e.target.value); setInvalid(null) }}
              />
              <Input placeholder={t('basket.name')} value={name} style={{ width: 200 }} onChange={(e) => setName(e.target.value)} data-testid="till-unknown-name" />
              <Button type="primary" onClick={submit}>{t('basket.add')}</Button>
              <Button onClick={onCancel}>{t('basket.cancel')}</Button>
            </Space>
          )}
          {invalid && <Typography.Text type="danger" data-testid="till-unknown-error">{invalid}</Typography.Text>}
          {pending.candidates.length > 0 && (
            <Space wrap>
              <Typography.Text type="secondary">{t('basket.candidates')}</Typography.Text>
              {pending.candidates.map((p, i) => (
                <Button key={p.id} size="small" autoFocus={!sellable && i === 0} data-testid={`till-candidate-${i}`} onClick={() => p.soldByWeight ? undefined : onAdd(toNewLine(p), pending.quantity)} disabled={p.soldByWeight}>
                  {p.name} {formatMoney(p.listPrice)}
                </Button>
              ))}
            </Space>
          )}
          {!sellable && pending.candidates.length === 0 && <Button size="small" onClick={onCancel}>{t('basket.cancel')}</Button>}
        </Space>
      )}
    />
  )
}

/** Step two: the basket. Scan or type a SKU or barcode and press Enter; `3*` in front sells three. */
export const BasketPanel = ({ lines, quote, quotedIds, stale, inputRef, lastLineId, onAdd, onQuantity, onRemove, onCoupon, scaleLayout, saleKey }: BasketPanelProps) => {
  const { t } = useTranslation('till')
  const errorText = useErrorText()
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  // A sale done or cleared takes its prompts and refusals with it.
  useEffect(() => {
    setPending(null)
    setError(null)
    setText('')
  }, [saleKey])

  // At once, so a scanner's next code lands in the box, and again after the re-render in case a prompt held the focus.
  const focusEntry = () => {
    inputRef.current?.focus()
    setTimeout(() => inputRef.current?.focus(), 0)
  }
  const add = (item: NewLine, quantity: number) => {
    onAdd(item, quantity)
    setError(null)
    setPending(null)
    setText('')
    focusEntry()
  }

  const enter = async () => {
    if (busy) return
    // One item at a time: the one waiting for its weight or price is not dropped for the next
    // (a code found nowhere and not sellable was refused already, and gives way).
    if (pending && (pending.kind === 'weight' || isCodeLike(pending.code))) {
      setError(pending.kind === 'weight' ? t('basket.weightFirst', { name: pending.product.name }) : t('basket.priceFirst', { code: pending.code }))
      return
    }
    if (onCoupon && isCouponScan(text)) {
      const problem = onCoupon(text)
      setError(problem)
      if (problem === null) setText('')
      return
    }
    const entry = parseItemEntry(text)
    if (!entry) {
      if (text.trim()) setError(t('basket.badEntry'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      // A scale's label carries the PLU and the weight (or price): weighed at the scale, sold as it says.
      const label = entry.quantity === null ? parseScaleLabel(entry.code, scaleLayout) : null
      if (label) {
        const weighed = await findPlu(label.plu)
        if (weighed && !weighed.soldByWeight) return setError(t('basket.scaleNotWeighed', { name: weighed.name }))
        if (weighed) {
          const grams = label.grams ?? gramsOfPrice(label.price!, weighed.listPrice)
          if (grams === null || grams > MAX_QUANTITY.g) return setError(t('basket.scaleUnreadable', { code: entry.code }))
          return add(toNewLine(weighed), grams)
        }
      }
      const product = await findProduct(entry.code)
      if (!product && label) return setError(t('basket.scaleUnknown', { plu: label.plu, code: entry.code }))
      // Goods by weight are weighed: `3*` before them is not three of anything, so the weight is asked.
      if (product && product.soldByWeight) setPending({ kind: 'weight', product, multiplier: entry.quantity })
      else if (product) add(toNewLine(product), entry.quantity ?? 1)
      else setPending({ kind: 'unknown', code: entry.code, quantity: entry.quantity ?? 1, candidates: await searchProducts(entry.code) })
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const quoted = new Map(quote ? quotedIds.map((id, i) => [id, quote.lines[i]] as const) : [])
  const columns: TableColumnsType<BasketLine> = [
    { title: '#', key: 'no', width: 40, render: (_, __, i) => i + 1 },
    {
      title: t('basket.product'), key: 'name',
      render: (_, l) => (
        <Space orientation="vertical" size={0}>
          <Space size={4} wrap>
            <Typography.Text strong>{l.name}</Typography.Text>
            {!l.known && <Tag color="orange">{t('basket.unlisted')}</Tag>}
            {quoted.get(l.id)?.memberPriceApplied && <Tag color="red">{t('basket.memberPrice')}</Tag>}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{l.sku}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('basket.quantity'), key: 'quantity', width: 140,
      // Goods by weight in kilograms to the gram, as the scale shows them; pieces as a count.
      render: (_, l) => (l.unit === 'g'
        ? (
          <InputNumber
            size="small" min={0.001} max={MAX_QUANTITY.g / 1000} step={0.001} precision={3} value={l.quantity / 1000} suffix="kg" style={{ width: 120 }}
            data-testid={`till-line-quantity-${l.sku}`}
            onChange={(v) => v !== null && v > 0 && onQuantity(l.id, Math.round(v * 1000))}
            onPressEnter={() => focusEntry()}
          />
        )
        : (
          <InputNumber
            size="small" min={1} max={MAX_QUANTITY.piece} precision={0} value={l.quantity} style={{ width: 120 }}
            data-testid={`till-line-quantity-${l.sku}`}
            onChange={(v) => v !== null && onQuantity(l.id, v)}
            onPressEnter={() => focusEntry()}
          />
        )),
    },
    {
      title: t('basket.unitPrice'), key: 'price', width: 130, align: 'right',
      render: (_, l) => {
        const q = quoted.get(l.id)
        const per = l.unit === 'g' ? t('basket.perKg') : ''
        if (q?.memberPriceApplied) {
          return (
            <Space orientation="vertical" size={0} style={{ alignItems: 'flex-end' }}>
              <Typography.Text type="danger">{formatMoney(q.unitPrice)}{per}</Typography.Text>
              <Typography.Text delete type="secondary" style={{ fontSize: 12 }}>{formatMoney(q.listPrice)}</Typography.Text>
            </Space>
          )
        }
        return `${formatMoney(l.listPrice)}${per}`
      },
    },
    {
      title: t('basket.amount'), key: 'amount', width: 110, align: 'right',
      render: (_, l) => {
        const q = quoted.get(l.id)
        const amount = q && q.quantity === l.quantity ? q.amount : grossOf(l.quantity, l.listPrice, l.unit)
        return <Typography.Text type={stale || !q ? 'secondary' : undefined} data-testid={`till-line-amount-${l.sku}`}>{formatMoney(amount)}</Typography.Text>
      },
    },
    { title: t('basket.points'), key: 'points', width: 70, align: 'right', render: (_, l) => quoted.get(l.id)?.points ?? '—' },
    {
      key: 'remove', width: 48,
      render: (_, l) => <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('basket.remove')} onClick={() => onRemove(l.id)} data-testid={`till-line-remove-${l.sku}`} />,
    },
  ]

  return (
    <Card title={t('basket.title')} size="small" extra={<Tag>F3</Tag>}>
      <Input.Search
        ref={inputRef} size="large" value={text} placeholder={t('basket.placeholder')} enterButton={t('basket.add')} loading={busy} data-testid="till-item-input"
        onChange={(e) => { setText(e.target.value); setError(null) }}
        onSearch={() => void enter()}
      />
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={error} data-testid="till-item-error" />}
      {pending && <PendingPrompt key={pending.kind === 'weight' ? pending.product.id : pending.code} pending={pending} onAdd={add} onCancel={() => { setPending(null); setError(null); focusEntry() }} />}
      <Table
        style={{ marginTop: 12 }} rowKey="id" size="small" pagination={false} columns={columns} dataSource={lines} data-testid="till-basket"
        rowClassName={(l) => (l.id === lastLineId ? 'ant-table-row-selected' : '')}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('basket.empty')} /> }}
      />
    </Card>
  )
}
