import { Alert, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, TreeSelect, Typography, type FormInstance } from 'antd'
import type { Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { FormModal } from '../../components/FormModal.js'
import { classTreeData } from '../loyalty/rule-form.js'
import type { DepartmentNode, Region, Store, Tier } from '../loyalty/types.js'
import { defaultValueFor, newTemplateValues, templateToValues, toTemplateBody, toTemplateFormError, type TemplateFormValues } from './template-form.js'
import { zheOf } from './template-summary.js'
import { STACKINGS, TEMPLATE_KINDS, type CouponTemplate, type TemplateKind } from './types.js'

/** Departments / categories from the product tree, brands and SKUs typed: the goods a coupon covers. */
const GoodsFields = ({ form, tree }: { form: FormInstance<TemplateFormValues>; tree: DepartmentNode[] }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const chosen = Form.useWatch('classes', form)
  const treeData = useMemo(() => classTreeData(tree, chosen ?? [], t('form.unclassified')), [tree, chosen, t])
  return (
    <>
      <Typography.Text strong>{t('form.goods')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('form.goodsHelp')}</Typography.Paragraph>
      <Form.Item name="classes" label={t('form.classes')}>
        <TreeSelect
          data-testid="template-classes" multiple allowClear showSearch={{ treeNodeFilterProp: 'title' }} placeholder={t('form.classesPlaceholder')}
          treeData={treeData} notFoundContent={t('form.noProducts')} listHeight={320}
        />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="brands" label={t('form.brands')}>
            <Select data-testid="template-brands" mode="tags" open={false} suffixIcon={null} placeholder={t('form.tagsPlaceholder')} tokenSeparators={[',', '，']} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="skus" label={t('form.skus')}>
            <Select data-testid="template-skus" mode="tags" open={false} suffixIcon={null} placeholder={t('form.tagsPlaceholder')} tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
        </Col>
      </Row>
    </>
  )
}

/** The value field of a kind: yuan off, percent off (with its 折), pieces free, or the points multiplier. */
const ValueFields = ({ kind, form }: { kind: TemplateKind; form: FormInstance<TemplateFormValues> }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const value = Form.useWatch('value', form)
  const money = kind === 'amount' || kind === 'threshold'
  return (
    <Row gutter={16}>
      <Col span={8}>
        {money && (
          <Form.Item name="value" label={t('form.valueAmount')} rules={[{ required: true }, { type: 'number', min: 0.01 }]}>
            <InputNumber data-testid="template-value" min={0.01} precision={2} prefix="¥" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {kind === 'percent' && (
          <Form.Item
            name="value" label={t('form.valuePercent')} rules={[{ required: true }, { type: 'number', min: 1, max: 99 }]}
            extra={typeof value === 'number' && value >= 1 && value <= 99 ? t('form.valuePercentHelp', { pct: value, zhe: zheOf(value) }) : undefined}
          >
            <InputNumber data-testid="template-value" min={1} max={99} precision={0} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {kind === 'free_item' && (
          <Form.Item name="value" label={t('form.valuePieces')} rules={[{ required: true }, { type: 'number', min: 1, max: 100 }]}>
            <InputNumber data-testid="template-value" min={1} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        )}
        {kind === 'points_multiplier' && (
          <Form.Item name="value" label={t('form.valueFactor')} extra={t('form.valueFactorHelp')} rules={[{ required: true }, { type: 'number', min: 1.01, max: 10 }]}>
            <InputNumber data-testid="template-value" min={1.01} max={10} step={0.5} precision={2} suffix="×" style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Col>
      <Col span={8}>
        <Form.Item
          name="minSpend" label={t('form.minSpend')} extra={t('form.minSpendHelp')} dependencies={['value']}
          rules={[({ getFieldValue }) => ({
            validator: async (_, v: number | null) => {
              const off = getFieldValue('value') as number | null
              if (kind === 'threshold' && typeof off === 'number' && (v ?? 0) <= off) throw new Error(t('form.thresholdAbove'))
            },
          })]}
        >
          <InputNumber data-testid="template-min-spend" min={0} precision={2} prefix="¥" style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={8}>
        {kind === 'percent' && (
          <Form.Item name="maxDiscount" label={t('form.maxDiscount')} rules={[{ type: 'number', min: 0.01 }]}>
            <InputNumber data-testid="template-max-discount" min={0.01} precision={2} prefix="¥" placeholder={t('form.unlimited')} style={{ width: '100%' }} />
          </Form.Item>
        )}
        {kind === 'free_item' && (
          <Form.Item name="freeSku" label={t('form.freeSku')} rules={[{ required: true, whitespace: true }, { max: 64 }]}>
            <Input data-testid="template-free-sku" maxLength={64} />
          </Form.Item>
        )}
      </Col>
    </Row>
  )
}

/** Creates a coupon template, or edits one (`template`). */
export const TemplateFormModal = ({ template, templates, stores, regions, tree, tiers, onClose, onSaved }: {
  template: CouponTemplate | null
  /** the others, for the templates it stacks with */
  templates: CouponTemplate[]
  stores: Store[]
  regions: Region[]
  tree: DepartmentNode[]
  tiers: Tier[]
  onClose: () => void
  onSaved: (template: CouponTemplate, created: boolean) => void
}) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const [form] = Form.useForm<TemplateFormValues>()
  // The form starts from these once: a product tree arriving later must not reset what was typed.
  const [initialValues] = useState(() => (template ? templateToValues(template, tree) : newTemplateValues()))
  const kind = Form.useWatch('kind', form) ?? initialValues.kind
  const validity = Form.useWatch('validity', form) ?? initialValues.validity
  const stacking = Form.useWatch('stacking', form) ?? initialValues.stacking

  const submit = async (values: TemplateFormValues) => {
    const body = toTemplateBody(values)
    try {
      const saved = template
        ? await call(api.PUT('/api/v1/coupon-templates/{id}', { params: { path: { id: template.id } }, body }))
        : await call(api.POST('/api/v1/coupon-templates', { body }))
      onSaved(saved, !template)
    } catch (err) {
      throw toTemplateFormError(err)
    }
  }

  // Issued coupons keep their kind: the server refuses a change (COUPON_TEMPLATE_IN_USE).
  const kindLocked = Boolean(template && template.issuedCount > 0)
  const pickKind = (next: TemplateKind) => form.setFieldsValue({ ...defaultValueFor(next), freeSku: null })

  return (
    <FormModal
      open title={template ? t('form.editTitle', { name: template.name }) : t('form.createTitle')} onClose={onClose} width={760}
      form={form} name="couponTemplate" formTestId="template-form" initialValues={initialValues} onSubmit={submit} submitTestId="template-form-submit"
    >
      {template && template.issuedCount > 0 && <Alert type="info" showIcon title={t('form.editHelp')} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="name" label={t('form.name')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
            <Input data-testid="template-name" maxLength={60} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="description" label={t('form.description')} rules={[{ max: 500 }]}>
            <Input data-testid="template-description" maxLength={500} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="kind" label={t('form.kind')} extra={kindLocked ? t('form.kindLocked') : t(`kindHelp.${kind}`)}>
        <Radio.Group
          data-testid="template-kind" optionType="button" disabled={kindLocked} onChange={(e) => pickKind(e.target.value as TemplateKind)}
          options={TEMPLATE_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
        />
      </Form.Item>
      <ValueFields key={kind} kind={kind} form={form} />

      <GoodsFields form={form} tree={tree} />

      <Typography.Text strong>{t('form.places')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('form.placesHelp')}</Typography.Paragraph>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="regionIds" label={t('form.regionIds')}>
            <Select
              data-testid="template-regions" mode="multiple" allowClear placeholder={t('form.allPlaces')} showSearch={{ optionFilterProp: 'label' }}
              options={regions.map((r) => ({ value: r.id, label: r.name }))}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="storeIds" label={t('form.storeIds')}>
            <Select
              data-testid="template-stores" mode="multiple" allowClear placeholder={t('form.allPlaces')} showSearch={{ optionFilterProp: 'label' }}
              options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="minTier" label={t('form.minTier')}>
            <Select data-testid="template-min-tier" allowClear placeholder={t('form.anyTier')} options={tiers.map((tr) => ({ value: tr.code, label: tr.name }))} />
          </Form.Item>
        </Col>
      </Row>

      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="validity" label={t('form.validity')}>
            <Radio.Group
              data-testid="template-validity" optionType="button"
              options={[{ value: 'days', label: t('form.validityDays') }, { value: 'fixed', label: t('form.validityFixed') }]}
            />
          </Form.Item>
        </Col>
        {validity === 'days'
          ? (
            <Col span={8}>
              <Form.Item name="validDays" label={t('form.validDays')} rules={[{ required: true }, { type: 'number', min: 1, max: 3660 }]}>
                <InputNumber data-testid="template-valid-days" min={1} max={3660} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )
          : (
            <>
              <Col span={8}>
                <Form.Item name="validFrom" label={t('form.validFrom')}>
                  <DatePicker data-testid="template-valid-from" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item
                  name="validTo" label={t('form.validTo')} dependencies={['validFrom']}
                  rules={[{ required: true }, ({ getFieldValue }) => ({
                    validator: async (_, v: Dayjs | null) => {
                      const from = getFieldValue('validFrom') as Dayjs | null | undefined
                      if (v && from && v.isBefore(from, 'day')) throw new Error(t('form.validToAfter'))
                    },
                  })]}
                >
                  <DatePicker data-testid="template-valid-to" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          )}
      </Row>

      <Row gutter={16}>
        <Col span={10}>
          <Form.Item name="stacking" label={t('form.stacking')} extra={stacking === 'listed' ? undefined : t(`stackingText.${stacking}`)}>
            <Radio.Group data-testid="template-stacking" optionType="button" options={STACKINGS.map((s) => ({ value: s, label: t(`stackings.${s}`) }))} />
          </Form.Item>
        </Col>
        <Col span={14}>
          {stacking === 'listed' && (
            <Form.Item name="stacksWith" label={t('form.stacksWith')} rules={[{ required: true, type: 'array', min: 1, message: t('form.stacksWithRequired') }]}>
              <Select
                data-testid="template-stacks-with" mode="multiple" showSearch={{ optionFilterProp: 'label' }}
                options={templates.filter((o) => o.id !== template?.id && o.status !== 'archived').map((o) => ({ value: o.id, label: o.name }))}
              />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Form.Item name="restoreOnReturn" valuePropName="checked" style={{ marginBottom: 4 }}>
        <Checkbox data-testid="template-restore">{t('form.restoreOnReturn')}</Checkbox>
      </Form.Item>
      <Form.Item name="autoIssue" valuePropName="checked">
        <Checkbox data-testid="template-auto-issue">{t('form.autoIssue')}</Checkbox>
      </Form.Item>

      <Typography.Text strong>{t('form.budget')}</Typography.Text>
      <Row gutter={16} style={{ marginTop: 8 }}>
        <Col span={12}>
          <Form.Item name="maxIssued" label={t('form.maxIssued')} rules={[{ type: 'number', min: 1 }]}>
            <InputNumber data-testid="template-max-issued" min={1} precision={0} placeholder={t('form.unlimited')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="maxRedeemedValue" label={t('form.maxRedeemedValue')} rules={[{ type: 'number', min: 0.01 }]}>
            <InputNumber data-testid="template-max-redeemed" min={0.01} precision={2} prefix="¥" placeholder={t('form.unlimited')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  )
}
