import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Flex, Form, Input, InputNumber, Space, Switch, Table, Tag, TreeSelect, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { FormModal } from '../../../components/FormModal.js'
import { categoryTree } from '../tickets/ticket-format.js'
import type { Category } from '../tickets/types.js'

interface Row extends Category { children?: Row[] }

/** The list as nested rows for an expandable table. */
const nest = (list: Category[]): Row[] => {
  const byParent = new Map<string | null, Category[]>()
  for (const c of list) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c])
  const build = (parent: string | null): Row[] => (byParent.get(parent) ?? []).sort((a, b) => a.sort - b.sort).map((c) => {
    const children = build(c.id)
    return children.length ? { ...c, children } : { ...c }
  })
  return build(null)
}

interface Values { name: string; nameEn?: string; parentId?: string | null; sort?: number; active: boolean }

const CategoryModal = ({ category, parentId, all, onClose }: { category: Category | null; parentId: string | null; all: Category[]; onClose: () => void }) => {
  const { t, i18n } = useTranslation('service', { keyPrefix: 'tickets' })
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  // A category cannot move under itself.
  const tree = useMemo(() => categoryTree(all.filter((c) => c.id !== category?.id), i18n.language === 'en-US', true), [all, category, i18n.language])
  return (
    <FormModal
      open title={category ? t('settings.categories.edit') : t('settings.categories.add')} form={form} name="service-category" onClose={onClose} submitTestId="category-submit"
      initialValues={{ name: category?.name, nameEn: category?.nameEn ?? undefined, parentId: category ? category.parentId : parentId, sort: category?.sort ?? 0, active: category?.active ?? true }}
      onSubmit={async (v) => {
        const body = { name: v.name.trim(), nameEn: v.nameEn?.trim() || null, parentId: v.parentId ?? null, sort: v.sort ?? 0, active: v.active }
        if (category) await call(api.PATCH('/api/v1/service/categories/{id}', { params: { path: { id: category.id } }, body }))
        else await call(api.POST('/api/v1/service/categories', { body }))
        message.success(t('settings.saved'))
        onClose()
      }}
    >
      <Form.Item name="name" label={t('settings.categories.name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={40} data-testid="category-name" /></Form.Item>
      <Form.Item name="nameEn" label={t('settings.categories.nameEn')}><Input maxLength={60} /></Form.Item>
      <Form.Item name="parentId" label={t('settings.categories.parent')}>
        <TreeSelect allowClear treeDefaultExpandAll treeData={tree} placeholder={t('settings.categories.parentNone')} data-testid="category-parent" />
      </Form.Item>
      <Space size={24}>
        <Form.Item name="sort" label={t('settings.categories.sort')}><InputNumber min={0} max={10000} precision={0} /></Form.Item>
        <Form.Item name="active" label={t('settings.categories.active')} valuePropName="checked"><Switch /></Form.Item>
      </Space>
    </FormModal>
  )
}

/** The category tree HQ maintains (商品质量, 食品安全, 价格…). */
export const CategoriesTab = () => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { data, error, refetch } = useApiQuery('/api/v1/service/categories')
  const [editing, setEditing] = useState<{ category: Category | null; parentId: string | null } | null>(null)
  const rows = useMemo(() => nest(data ?? []), [data])
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ category: null, parentId: null })} data-testid="category-add">{t('settings.categories.add')}</Button>
      </Flex>
      <Table<Row>
        size="small" rowKey="id" pagination={false} loading={!data} dataSource={rows} expandable={{ defaultExpandAllRows: true }} data-testid="categories-table"
        columns={[
          { key: 'name', title: t('settings.categories.name'), render: (_, r) => <Typography.Link onClick={() => setEditing({ category: r, parentId: r.parentId })}>{r.name}</Typography.Link> },
          { key: 'nameEn', title: t('settings.categories.nameEn'), render: (_, r) => r.nameEn ?? '—' },
          { key: 'sort', title: t('settings.categories.sort'), dataIndex: 'sort' },
          { key: 'active', title: t('settings.teams.status'), render: (_, r) => (r.active ? <Tag color="green">{t('settings.categories.active')}</Tag> : <Tag>{t('settings.categories.inactive')}</Tag>) },
          { key: 'actions', title: '', render: (_, r) => <Button size="small" type="link" onClick={() => setEditing({ category: null, parentId: r.id })}>{t('settings.categories.addChild')}</Button> },
        ]}
      />
      {editing && <CategoryModal category={editing.category} parentId={editing.parentId} all={data ?? []} onClose={() => setEditing(null)} />}
    </>
  )
}
