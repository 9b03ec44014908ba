import { AutoComplete, Col, Form, Input, InputNumber, Row, Switch } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { FormModal } from '../../components/FormModal.js'
import { toFen, toYuan } from './price.js'
import type { DepartmentNode, Product } from './types.js'

/** The product's fields as the form holds them: prices in yuan, empty while not typed. */
type Values = Omit<Product, 'id' | 'status' | 'source' | 'createdAt' | 'updatedAt' | 'listPrice'> & { listPrice: number | null }

const blankToNull = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null)
const options = (names: Array<string | null>) => names.filter((n): n is string => n !== null).map((value) => ({ value }))

/** Adds a product, or edits one (`product`); prices are typed in yuan and sent in fen. */
export const ProductFormModal = ({ open, product, tree, onClose, onSaved }: {
  open: boolean
  product: Product | null
  tree: DepartmentNode[]
  onClose: () => void
  onSaved: (product: Product, created: boolean) => void
}) => {
  const { t } = useTranslation('products')
  const [form] = Form.useForm<Values>()
  const department = Form.useWatch('department', form)
  const category = Form.useWatch('category', form)

  // Suggestions from the classes already in use, so one department is not typed three ways.
  const suggestions = useMemo(() => {
    const dep = tree.find((d) => d.name === department)
    const cat = dep?.categories.find((c) => c.name === category)
    return { departments: options(tree.map((d) => d.name)), categories: options(dep?.categories.map((c) => c.name) ?? []), subcategories: options(cat?.subcategories.map((s) => s.name) ?? []) }
  }, [tree, department, category])

  const initialValues: Values = {
    sku: product?.sku ?? '', name: product?.name ?? '', barcode: product?.barcode ?? null, department: product?.department ?? null,
    category: product?.category ?? null, subcategory: product?.subcategory ?? null, brand: product?.brand ?? null,
    listPrice: toYuan(product?.listPrice), memberPrice: toYuan(product?.memberPrice), pointsEligible: product?.pointsEligible ?? true,
    soldByWeight: product?.soldByWeight ?? false,
  }

  const submit = async (values: Values) => {
    const body = {
      name: values.name.trim(), barcode: blankToNull(values.barcode), department: blankToNull(values.department), category: blankToNull(values.category),
      subcategory: blankToNull(values.subcategory), brand: blankToNull(values.brand), listPrice: toFen(values.listPrice) ?? 0,
      memberPrice: toFen(values.memberPrice), pointsEligible: values.pointsEligible, soldByWeight: values.soldByWeight,
    }
    const saved = product
      ? await call(api.PATCH('/api/v1/products/{id}', { params: { path: { id: product.id } }, body }))
      : await call(api.POST('/api/v1/products', { body: { ...body, sku: values.sku } }))
    onSaved(saved, !product)
  }

  const price = { min: 0, precision: 2, step: 0.1, prefix: '¥', style: { width: '100%' } }
  return (
    <FormModal
      open={open} title={product ? t('form.editTitle', { sku: product.sku }) : t('form.createTitle')} onClose={onClose} width={680}
      form={form} name="product" formTestId="product-form" initialValues={initialValues} onSubmit={submit} submitTestId="product-form-submit"
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="sku" label={t('form.sku')} extra={product ? undefined : t('form.skuHelp')}
            rules={[{ required: true }, { max: 64 }, { validator: async (_, v: string) => { if (v && v.trim() !== v) throw new Error(t('form.skuSpaces')) } }]}
          >
            <Input data-testid="product-sku" maxLength={64} autoComplete="off" disabled={Boolean(product)} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="barcode" label={t('form.barcode')} rules={[{ pattern: /^\d{8,14}$/, message: t('form.barcodePattern') }]}>
            <Input data-testid="product-barcode" maxLength={14} autoComplete="off" inputMode="numeric" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="name" label={t('form.name')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
            <Input data-testid="product-name" maxLength={200} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="department" label={t('form.department')} rules={[{ max: 64 }]}>
            <AutoComplete data-testid="product-department" options={suggestions.departments} allowClear />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="category" label={t('form.category')} rules={[{ max: 64 }]}>
            <AutoComplete data-testid="product-category" options={suggestions.categories} allowClear />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="subcategory" label={t('form.subcategory')} rules={[{ max: 64 }]}>
            <AutoComplete data-testid="product-subcategory" options={suggestions.subcategories} allowClear />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="brand" label={t('form.brand')} rules={[{ max: 64 }]}>
            <Input data-testid="product-brand" maxLength={64} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="listPrice" label={t('form.listPrice')} rules={[{ required: true }]}>
            <InputNumber data-testid="product-list-price" {...price} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="memberPrice" label={t('form.memberPrice')} extra={t('form.memberPriceHelp')} dependencies={['listPrice']}
            rules={[({ getFieldValue }) => ({
              validator: async (_, v: number | null) => {
                const list = getFieldValue('listPrice') as number | null
                if (v !== null && v !== undefined && list !== null && list !== undefined && v > list) throw new Error(t('form.memberAboveList'))
              },
            })]}
          >
            <InputNumber data-testid="product-member-price" {...price} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="pointsEligible" label={t('form.pointsEligible')} valuePropName="checked">
            <Switch data-testid="product-points-eligible" />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="soldByWeight" label={t('form.soldByWeight')} valuePropName="checked" extra={t('form.soldByWeightHelp')}>
            <Switch data-testid="product-sold-by-weight" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  )
}
