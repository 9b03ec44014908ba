import { DeleteOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Empty, Input, InputNumber, Space, Table, Tag, Typography, type InputRef, type TableColumnsType } from 'antd'
import { useState, type KeyboardEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { formatMoney } from '../../format.js'
import { useErrorText } from '../members/use-error-text.js'
import { grossOf, isCodeLike, MAX_QUANTITY, parseItemEntry, parseYuan, type BasketLine, type NewLine } from './basket.js'
import { isCouponScan } from './coupons.js'
import type { Product, Quote } from './types.js'

type Pending =
  | { kind: 'unknown'; code: string; quantity: number; candidates: Product[] }
  | { kind: 'weight'; product: Product }

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
}

/** What asks the cashier for what the catalogue cannot say: a price for an unknown SKU, a weight. */
const PendingPrompt = ({ pending, onAdd, onCancel }: { pending: Pending; onAdd(item: NewLine, quantity: number): void; onCancel(): void }) => {
  const { t } = useTranslation('till')
  const [price, setPrice] = useState('')
  const [name, setName] = useState('')
  const [grams, setGrams] = useState<number | null>(null)
  const [invalid, setInvalid] = useState(false)

  const submit = () => {
    if (pending.kind === 'weight') {
      if (!grams || grams < 1 || grams > MAX_QUANTITY.g) return setInvalid(true)
      return onAdd(toNewLine(pending.product), grams)
    }
    const fen = parseYuan(price)
    if (fen === null || !isCodeLike(pending.code)) return setInvalid(true)
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
        type="info" style={{ marginTop: 8 }} data-testid="till-weight-prompt" title={t('basket.weightPrompt', { name: pending.product.name })}
        description={(
          <Space onKeyDown={onKeyDown}>
            <InputNumber autoFocus min={1} max={MAX_QUANTITY.g} precision={0} suffix="g" value={grams} onChange={(v) => { setGrams(v); setInvalid(false) }} status={invalid ? 'error' : undefined} data-testid="till-weight-input" />
            <Button type="primary" onClick={submit}>{t('basket.add')}</Button>
            <Button onClick={onCancel}>{t('basket.cancel')}</Button>
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
                onChange={(e) => { setPrice(e.target.value); setInvalid(false) }}
              />
              <Input placeholder={t('basket.name')} value={name} style={{ width: 200 }} onChange={(e) => setName(e.target.value)} data-testid="till-unknown-name" />
              <Button type="primary" onClick={submit}>{t('basket.add')}</Button>
              <Button onClick={onCancel}>{t('basket.cancel')}</Button>
            </Space>
          )}
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
export const BasketPanel = ({ lines, quote, quotedIds, stale, inputRef, lastLineId, onAdd, onQuantity, onRemove, onCoupon }: BasketPanelProps) => {
  const { t } = useTranslation('till')
  const errorText = useErrorText()
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)

  // At once, so a scanner's next code lands in the box, and again after the re-render in case a prompt held the focus.
  const focusEntry = () => {
    inputRef.current?.focus()
    setTimeout(() => inputRef.current?.focus(), 0)
  }
  const add = (item: NewLine, quantity: number) => {
    onAdd(item, quantity)
    setPending(null)
    setText('')
    focusEntry()
  }

  const enter = async () => {
    if (busy) return
    if (onCoupon && isCouponScan(text)) {
      const problem = onCoupon(text)
      setError(problem)
      if (problem === null) setText('')
      return
    }
    const entry = parseItemEntry(text)
    if (!entry) return
    setBusy(true)
    setError(null)
    setPending(null)
    try {
      const product = await findProduct(entry.code)
      if (product && product.soldByWeight && entry.quantity === null) setPending({ kind: 'weight', product })
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
      render: (_, l) => (
        <InputNumber
          size="small" min={1} max={MAX_QUANTITY[l.unit]} precision={0} value={l.quantity} suffix={l.unit === 'g' ? 'g' : undefined} style={{ width: 120 }}
          data-testid={`till-line-quantity-${l.sku}`}
          onChange={(v) => v !== null && onQuantity(l.id, v)}
          onPressEnter={() => focusEntry()}
        />
      ),
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
      {pending && <PendingPrompt key={pending.kind === 'weight' ? pending.product.id : pending.code} pending={pending} onAdd={add} onCancel={() => { setPending(null); focusEntry() }} />}
      <Table
        style={{ marginTop: 12 }} rowKey="id" size="small" pagination={false} columns={columns} dataSource={lines} data-testid="till-basket"
        rowClassName={(l) => (l.id === lastLineId ? 'ant-table-row-selected' : '')}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('basket.empty')} /> }}
      />
    </Card>
  )
}
