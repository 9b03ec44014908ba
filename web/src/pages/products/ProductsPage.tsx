import { LeftOutlined, PlusOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons'
import { keepPreviousData } from '@tanstack/react-query'
import { App, Button, Card, Col, Flex, Input, Popconfirm, Row, Select, Space, Table, Tag, Tooltip, Tree, Typography, type TableColumnsType } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatMoney } from '../../format.js'
import { ProductFormModal } from './ProductFormModal.js'
import { ProductDrawer } from './ProductDrawer.js'
import { ProductImportModal } from './ProductImportModal.js'
import { classKey, toClassNodes, type ClassFilter, type ClassNode } from './tree.js'
import type { DepartmentNode, Product } from './types.js'

const NO_TREE: DepartmentNode[] = []

const PAGE_SIZE = 20
const ALL = 'all'
type Status = Product['status']
interface TreeItem { key: string; title: string; selectable: boolean; children: TreeItem[] }

/** Departments > categories > subcategories with their counts; picking one filters the list. */
const ClassTree = ({ tree, selected, onSelect }: { tree: DepartmentNode[]; selected: ClassFilter; onSelect: (f: ClassFilter) => void }) => {
  const { t } = useTranslation('products')
  const total = tree.reduce((n, d) => n + d.count, 0)
  const treeData = useMemo(() => {
    const toData = (n: ClassNode): TreeItem => ({
      key: n.key, title: `${n.name ?? t('tree.unclassified')} (${n.count})`, selectable: n.filter !== null, children: n.children.map(toData),
    })
    return [{ key: ALL, title: `${t('tree.all')} (${total})`, selectable: true, children: toClassNodes(tree).map(toData) }]
  }, [tree, total, t])
  const filters = useMemo(() => {
    const m = new Map<string, ClassFilter>()
    const walk = (n: ClassNode) => {
      if (n.filter) m.set(n.key, n.filter)
      n.children.forEach(walk)
    }
    toClassNodes(tree).forEach(walk)
    return m
  }, [tree])
  const selectedKey = selected.department ? classKey(selected) : ALL
  return (
    <Tree
      data-testid="product-tree" blockNode showLine defaultExpandedKeys={[ALL]} treeData={treeData} selectedKeys={[selectedKey]}
      onSelect={(keys) => onSelect(filters.get(String(keys[0])) ?? {})}
    />
  )
}

/**
 * The catalogue: a class tree, a searchable list paged by cursor, a product's details in a drawer
 * (`?product=<id>`, so it can be linked; with what is bought with it for insight roles), and for
 * managers add, edit, deactivate and import.
 */
export const ProductsPage = () => {
  const { t } = useTranslation('products')
  const { t: tc } = useTranslation()
  const { can } = useSession()
  const { message } = App.useApp()
  const manage = can('products.manage')
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<Status | undefined>()
  const [classFilter, setClassFilter] = useState<ClassFilter>({})
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined])
  const [editing, setEditing] = useState<Product | 'new' | null>(null)
  const [importing, setImporting] = useState(false)
  const [pending, setPending] = useState<string | null>(null)
  const cursor = cursors[cursors.length - 1]
  const [params, setParams] = useSearchParams()
  const shown = params.get('product')
  const showProduct = (id: string | null) => setParams((prev) => {
    const next = new URLSearchParams(prev)
    if (id) next.set('product', id)
    else next.delete('product')
    return next
  })

  // The page and the tree in hand stay on screen while the next load; an edit reloads them (any change does).
  const list = useApiQuery('/api/v1/products', { params: { query: { q: q || undefined, status, ...classFilter, cursor, limit: PAGE_SIZE } } }, { placeholderData: keepPreviousData })
  // The tree counts what the status filter shows; paging leaves it alone.
  const treeQuery = useApiQuery('/api/v1/products/tree', { params: { query: { status } } }, { placeholderData: keepPreviousData })
  const tree = treeQuery.data ?? NO_TREE
  const page = list.data
  const loading = list.isFetching
  const error = list.error ?? treeQuery.error
  // An import ends after its upload (which already reloaded them): the list and tree are read again then.
  const reload = () => {
    void list.refetch()
    void treeQuery.refetch()
  }
  const load = reload

  const firstPage = () => setCursors([undefined])

  const setProductStatus = async (product: Product, to: 'deactivate' | 'reactivate') => {
    setPending(product.id)
    try {
      const params = { params: { path: { id: product.id } } }
      await call(to === 'deactivate' ? api.POST('/api/v1/products/{id}/deactivate', params) : api.POST('/api/v1/products/{id}/reactivate', params))
      void message.success(to === 'deactivate' ? t('deactivated') : t('reactivated'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setPending(null)
    }
  }

  const price = (fen: number | null, p: Product) => (fen === null ? '—' : `${formatMoney(fen)}${p.soldByWeight ? t('perKg') : ''}`)
  const columns: TableColumnsType<Product> = [
    { key: 'sku', dataIndex: 'sku', title: t('columns.sku'), render: (sku: string) => <Typography.Text strong copyable>{sku}</Typography.Text> },
    {
      key: 'name', dataIndex: 'name', title: t('columns.name'),
      render: (name: string, p) => (
        <Space size={4}>
          <Typography.Link onClick={() => showProduct(p.id)} data-testid={`product-open-${p.sku}`}>{name}</Typography.Link>
          {p.source === 'receipt' && <Tooltip title={t('source.receiptHint')}><Tag color="orange">{t('source.receipt')}</Tag></Tooltip>}
        </Space>
      ),
    },
    { key: 'barcode', dataIndex: 'barcode', title: t('columns.barcode'), render: (v: string | null) => v ?? '—' },
    { key: 'class', title: t('columns.class'), render: (_, p) => [p.department, p.category, p.subcategory].filter(Boolean).join(' / ') || '—' },
    { key: 'brand', dataIndex: 'brand', title: t('columns.brand'), render: (v: string | null) => v ?? '—' },
    { key: 'listPrice', dataIndex: 'listPrice', title: t('columns.listPrice'), align: 'right', render: (v: number, p) => price(v, p) },
    { key: 'memberPrice', dataIndex: 'memberPrice', title: t('columns.memberPrice'), align: 'right', render: (v: number | null, p) => price(v, p) },
    { key: 'points', dataIndex: 'pointsEligible', title: t('columns.pointsEligible'), render: (v: boolean) => (v ? tc('yes') : tc('no')) },
    { key: 'status', dataIndex: 'status', title: t('columns.status'), render: (s: Status) => <Tag color={s === 'active' ? 'green' : undefined}>{t(`status.${s}`)}</Tag> },
    ...(manage ? [{
      key: 'actions', title: t('columns.actions'), fixed: 'right' as const,
      render: (_: unknown, p: Product) => (
        <Space size="small">
          <Button type="link" size="small" onClick={() => setEditing(p)} data-testid={`edit-product-${p.sku}`}>{t('edit')}</Button>
          {p.status === 'active' ? (
            <Popconfirm
              title={t('deactivateConfirm', { name: p.name })} description={<div style={{ maxWidth: 320 }}>{t('deactivateHint')}</div>}
              okText={t('deactivate')} okButtonProps={{ danger: true }} onConfirm={() => setProductStatus(p, 'deactivate')}
            >
              <Button type="link" size="small" danger loading={pending === p.id} data-testid={`deactivate-product-${p.sku}`}>{t('deactivate')}</Button>
            </Popconfirm>
          ) : (
            <Button type="link" size="small" loading={pending === p.id} onClick={() => void setProductStatus(p, 'reactivate')} data-testid={`reactivate-product-${p.sku}`}>{t('reactivate')}</Button>
          )}
        </Space>
      ),
    }] : []),
  ]

  return (
    <Card title={t('title')}>
      <Row gutter={24}>
        <Col xs={24} md={6}>
          <ClassTree tree={tree} selected={classFilter} onSelect={(f) => { setClassFilter(f); firstPage() }} />
        </Col>
        <Col xs={24} md={18}>
          <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
            <Space wrap>
              <Input.Search data-testid="products-search" allowClear style={{ width: 260 }} placeholder={t('search')} onSearch={(v) => { setQ(v.trim()); firstPage() }} />
              <Select
                data-testid="products-filter-status" allowClear style={{ width: 140 }} placeholder={t('allStatuses')} value={status}
                onChange={(s: Status | undefined) => { setStatus(s); firstPage() }}
                options={(['active', 'inactive'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
              />
            </Space>
            <Space>
              {can('products.import') && <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import-products">{t('import')}</Button>}
              {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-product">{t('create')}</Button>}
            </Space>
          </Flex>
          {error
            ? <ErrorResult error={error} onRetry={load} compact />
            : (
              <Table<Product>
                data-testid="products-table" rowKey="id" size="middle" columns={columns} dataSource={page?.items ?? []} loading={loading}
                pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('empty') }}
              />
            )}
          <Flex justify="flex-end" align="center" gap={12} style={{ marginTop: 16 }}>
            <Typography.Text type="secondary">{t('total', { page: cursors.length })}</Typography.Text>
            <Button icon={<LeftOutlined />} disabled={loading || cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="products-prev-page">{t('prev')}</Button>
            <Button disabled={loading || !page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor!])} data-testid="products-next-page">
              {t('next')}<RightOutlined />
            </Button>
          </Flex>
        </Col>
      </Row>
      <ProductFormModal
        open={editing !== null} product={editing === 'new' ? null : editing} tree={tree} onClose={() => setEditing(null)}
        onSaved={(_, created) => {
          setEditing(null)
          void message.success(created ? t('created') : tc('status.saved'))
        }}

      />
      <ProductDrawer productId={shown} onOpen={showProduct} onClose={() => showProduct(null)} />
      <ProductImportModal open={importing} onClose={() => setImporting(false)} onImported={reload} />
    </Card>
  )
}

export default ProductsPage
