import { Alert, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, TreeSelect, Typography, type FormInstance } from 'antd'
import type { Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { FormModal } from '../../components/FormModal.js'
import { translateLoyaltyReason } from './reasons.js'
import { classTreeData, newRuleValues, revisionStart, ruleToValues, toRuleBody, toRuleFormError, type RuleFormValues } from './rule-form.js'
import { RULE_KINDS, TENDER_KINDS, WEEKDAYS, type DepartmentNode, type EarningRule, type Region, type Store } from './types.js'
import { nowInZone } from './zone-time.js'

const TIME_FORMAT = 'YYYY-MM-DD HH:mm'

/** Departments / categories from the product tree, brands and SKUs typed: what a rule matches or excludes. */
const ProductChoice = ({ form, tree, label, help }: { form: FormInstance<RuleFormValues>; tree: DepartmentNode[]; label: string; help: string }) => {
  const { t } = useTranslation('loyalty')
  const chosen = Form.useWatch('classes', form)
  const treeData = useMemo(() => classTreeData(tree, chosen ?? [], t('form.unclassified')), [tree, chosen, t])
  return (
    <>
      <Typography.Text strong>{label}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{help}</Typography.Paragraph>
      <Form.Item name="classes" label={t('form.classes')}>
        <TreeSelect
          data-testid="rule-classes"
          multiple
          allowClear
          showSearch={{ treeNodeFilterProp: 'title' }}
          placeholder={t('form.classesPlaceholder')}
          treeData={treeData}
          notFoundContent={t('form.noProducts')}
          listHeight={320}
        />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="brands" label={t('form.brands')}>
            <Select data-testid="rule-brands" mode="tags" open={false} suffixIcon={null} placeholder={t('form.tagsPlaceholder')} tokenSeparators={[',', '，']} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="skus" label={t('form.skus')}>
            <Select data-testid="rule-skus" mode="tags" open={false} suffixIcon={null} placeholder={t('form.tagsPlaceholder')} tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
        </Col>
      </Row>
    </>
  )
}

const FactorField = () => {
  const { t } = useTranslation('loyalty')
  return (
    <Form.Item name="factor" label={t('form.factor')} extra={t('form.factorHelp')} rules={[{ required: true }, { type: 'number', min: 0.01, max: 100 }]}>
      <InputNumber data-testid="rule-factor" min={0.01} max={100} step={0.5} precision={2} style={{ width: 160 }} />
    </Form.Item>
  )
}

/** Creates a rule of any kind, or a new version of one (`rule`), from a time in the chain's zone. */
export const RuleFormModal = ({ rule, tz, stores, regions, tree, onClose, onSaved }: {
  rule: EarningRule | null
  tz: string
  stores: Store[]
  regions: Region[]
  tree: DepartmentNode[]
  onClose: () => void
  onSaved: (rule: EarningRule, created: boolean) => void
}) => {
  const { t } = useTranslation('loyalty')
  const [form] = Form.useForm<RuleFormValues>()
  // The form starts from these once (the modal is mounted per rule); a product tree arriving
  // later must not reset what was typed.
  const [initialValues] = useState(() => {
    const now = nowInZone(tz)
    return rule ? ruleToValues(rule, tree, tz, revisionStart(rule, tz, now)) : newRuleValues('multiplier', now)
  })
  const kind = Form.useWatch('kind', form) ?? initialValues.kind

  const submit = async (values: RuleFormValues) => {
    const body = toRuleBody(values, tz)
    try {
      const saved = rule
        ? await call(api.PUT('/api/v1/loyalty/rules/{key}', { params: { path: { key: rule.ruleKey } }, body }))
        : await call(api.POST('/api/v1/loyalty/rules', { body }))
      onSaved(saved, !rule)
    } catch (err) {
      throw toRuleFormError(err, (reason) => translateLoyaltyReason(t, reason, tz))
    }
  }

  return (
    <FormModal
      open title={rule ? t('form.reviseTitle', { name: rule.name }) : t('form.createTitle')} onClose={onClose} width={720}
      form={form} name="rule" formTestId="rule-form" initialValues={initialValues} onSubmit={submit} submitTestId="rule-form-submit"
    >
      {rule && <Alert type="info" showIcon title={t('form.reviseHelp')} style={{ marginBottom: 16 }} />}
      <Form.Item name="name" label={t('form.name')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
        <Input data-testid="rule-name" maxLength={60} />
      </Form.Item>
      <Form.Item name="kind" label={t('form.kind')} extra={rule ? t('form.kindLocked') : t(`kindHelp.${kind}`)}>
        <Radio.Group
          data-testid="rule-kind" disabled={Boolean(rule)} optionType="button"
          options={RULE_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
        />
      </Form.Item>

      {kind === 'base' && (
        <>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="yuanPerPoint" label={t('form.yuanPerPoint')} extra={t('form.yuanPerPointHelp')} rules={[{ required: true }, { type: 'number', min: 0.01 }]}>
                <InputNumber data-testid="rule-yuan-per-point" min={0.01} precision={2} prefix="¥" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="rounding" label={t('form.rounding')}>
                <Radio.Group options={(['floor', 'round'] as const).map((r) => ({ value: r, label: t(`rounding.${r}`) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="excludeTenders" label={t('form.excludeTenders')} extra={t('form.excludeTendersHelp')}>
            <Select mode="multiple" allowClear options={TENDER_KINDS.map((k) => ({ value: k, label: t(`tenders.${k}`) }))} />
          </Form.Item>
          <ProductChoice form={form} tree={tree} label={t('form.exclude')} help={t('form.excludeHelp')} />
        </>
      )}

      {kind === 'multiplier' && (
        <>
          <FactorField />
          <ProductChoice form={form} tree={tree} label={t('form.match')} help={t('form.matchHelp')} />
          <Form.Item name="weekdays" label={t('form.weekdays')} extra={t('form.weekdaysHelp')}>
            <Checkbox.Group data-testid="rule-weekdays" options={WEEKDAYS.map((d) => ({ value: d, label: t(`weekdays.w${d}`) }))} />
          </Form.Item>
        </>
      )}

      {kind === 'birthday' && <FactorField />}

      {kind === 'cap' && (
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="perReceipt" label={t('form.perReceipt')} extra={t('form.capHelp')} dependencies={['perDay']}
              rules={[({ getFieldValue }) => ({
                validator: async (_, v: number | null) => {
                  if ((v === null || v === undefined) && (getFieldValue('perDay') === null || getFieldValue('perDay') === undefined)) throw new Error(t('form.capNeedsOne'))
                },
              })]}
            >
              <InputNumber data-testid="rule-per-receipt" min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="perDay" label={t('form.perDay')}>
              <InputNumber data-testid="rule-per-day" min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      )}

      <Typography.Text strong>{t('form.scope')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('form.scopeHelp')}</Typography.Paragraph>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="regionIds" label={t('form.regionIds')}>
            <Select
              data-testid="rule-regions" mode="multiple" allowClear placeholder={t('form.regionsPlaceholder')} showSearch={{ optionFilterProp: 'label' }}
              options={regions.map((r) => ({ value: r.id, label: r.name }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="storeIds" label={t('form.storeIds')}>
            <Select
              data-testid="rule-stores" mode="multiple" allowClear placeholder={t('form.storesPlaceholder')} showSearch={{ optionFilterProp: 'label' }}
              options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="validFrom" label={t('form.validFrom')} extra={t('form.zoneHelp', { tz })} rules={[{ required: true }]}>
            <DatePicker data-testid="rule-valid-from" showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="validTo" label={t('form.validTo')} dependencies={['validFrom']}
            rules={[({ getFieldValue }) => ({
              validator: async (_, v: Dayjs | null) => {
                const from = getFieldValue('validFrom') as Dayjs | undefined
                if (v && from && !v.isAfter(from)) throw new Error(t('form.validToAfter'))
              },
            })]}
          >
            <DatePicker data-testid="rule-valid-to" showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} placeholder={t('form.validToPlaceholder')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  )
}
