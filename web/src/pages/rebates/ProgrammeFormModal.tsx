import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { App, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Row, Select, Space, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'

import { errorMessage } from '../../components/errors.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { formField, newValues, toBody, toValues, type Basis, type Programme, type ProgrammeValues, type Reward } from './programme-form.js'

type FormValues = Omit<ProgrammeValues, 'periodFrom' | 'periodTo'> & { period: [Dayjs, Dayjs] }

interface TemplateOption {
  id: string
  name: string
  value: number
}

/** Active amount templates (a rebate coupon's face value is the rebate); null when they cannot be listed. */
const useAmountTemplates = (): TemplateOption[] | null | undefined => {
  const { data, error } = useApiQuery('/api/v1/coupon-templates', { params: { query: { status: 'active' } } })
  return useMemo(
    () => (error ? null : data?.filter((x) => x.kind === 'amount').map((x) => ({ id: x.id, name: x.name, value: x.value }))),
    [data, error],
  )
}


const DATE = 'YYYY-MM-DD'
const FIELDS = new Set(['name', 'period', 'basis', 'reward', 'couponTemplateId', 'minRebate', 'brackets', 'tierRates'])

/** Creates a draft programme or changes one: period, basis, brackets, tier rates and reward. */
export const ProgrammeFormModal = ({ programme, today, onClose, onSaved }: {
  programme: Programme | null
  today: string
  onClose: () => void
  onSaved: (p: Programme) => void
}) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'rebates' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<FormValues>()
  const { tiers } = useTiers()
  const templates = useAmountTemplates()
  const [busy, setBusy] = useState(false)
  const [initialValues] = useState<FormValues>(() => {
    const { periodFrom, periodTo, ...rest } = programme ? toValues(programme) : newValues(today)
    return { ...rest, period: [dayjs(periodFrom), dayjs(periodTo)] }
  })
  const basis: Basis = Form.useWatch('basis', form) ?? initialValues.basis
  const reward: Reward = Form.useWatch('reward', form) ?? initialValues.reward
  const spend = basis === 'spend'
  const coupon = reward === 'coupon'

  const submit = async ({ period, ...values }: FormValues) => {
    setBusy(true)
    try {
      const body = toBody({ ...values, periodFrom: period[0].format(DATE), periodTo: period[1].format(DATE) })
      const saved = programme
        ? await call(api.PUT('/api/v1/rebate-programmes/{id}', { params: { path: { id: programme.id } }, body }))
        : await call(api.POST('/api/v1/rebate-programmes', { body }))
      onSaved(saved)
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.details.length > 0) {
        // A list as a whole (no bracket at all) has no field of its own: it goes in the message.
        const placeable = (field: string) => {
          const path = formField(field)
          return FIELDS.has(String(path[0])) && !(path.length === 1 && (path[0] === 'brackets' || path[0] === 'tierRates'))
        }
        const onFields = err.details.filter((d) => placeable(d.field))
        form.setFields(onFields.map((d) => ({ name: formField(d.field) as never, errors: [d.reason] })))
        const rest = err.details.filter((d) => !onFields.includes(d))
        if (rest.length > 0) void message.error(rest.map((d) => d.reason).join('; '))
      } else {
        void message.error(errorMessage(tc, err))
      }
    } finally {
      setBusy(false)
    }
  }

  const basisUnit = spend ? t('units.yuan') : t('units.pointsUnit')
  const rewardUnit = coupon ? t('units.yuan') : t('units.pointsUnit')
  return (
    <Modal
      open title={programme ? t('edit') : t('create')} onCancel={onClose} destroyOnHidden width={760}
      footer={[
        <Button key="cancel" onClick={onClose}>{tc('actions.cancel')}</Button>,
        <Button key="save" type="primary" loading={busy} onClick={() => form.submit()} data-testid="rebate-form-submit">{tc('actions.save')}</Button>,
      ]}
    >
      <Form<FormValues> form={form} layout="vertical" name="rebate" initialValues={initialValues} onFinish={(v) => void submit(v)}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={t('form.name')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
              <Input data-testid="rebate-name" maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="period" label={t('form.period')} rules={[{ required: true }]}>
              <DatePicker.RangePicker data-testid="rebate-period" style={{ width: '100%' }} allowClear={false} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="basis" label={t('form.basis')} extra={t('form.basisHelp')}>
              <Radio.Group data-testid="rebate-basis" optionType="button" options={(['spend', 'points'] as const).map((b) => ({ value: b, label: t(`basis.${b}`) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="reward" label={t('form.reward')}>
              <Radio.Group data-testid="rebate-reward" optionType="button" options={(['points', 'coupon'] as const).map((r) => ({ value: r, label: t(`reward.${r}`) }))} />
            </Form.Item>
            {coupon && (
              <Form.Item name="couponTemplateId" label={templates === null ? t('form.templateId') : t('form.template')} extra={t('form.templateHelp')} rules={[{ required: true }]}>
                {templates === null
                  ? <Input data-testid="rebate-template" maxLength={64} />
                  : (
                    <Select
                      data-testid="rebate-template" loading={templates === undefined} placeholder={t('form.templatePlaceholder')} showSearch={{ optionFilterProp: 'label' }}
                      options={(templates ?? []).map((x) => ({ value: x.id, label: x.name }))}
                    />
                  )}
              </Form.Item>
            )}
          </Col>
        </Row>

        <Typography.Text strong>{t('form.brackets')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('form.bracketsHelp')}</Typography.Paragraph>
        <Form.List name="brackets">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'min']} label={f.name === 0 ? t('form.bracketMin') : undefined} rules={[{ required: true }]}>
                    <InputNumber data-testid={`bracket-min-${f.name}`} min={0} precision={spend ? 2 : 0} prefix={spend ? '¥' : undefined} suffix={spend ? undefined : basisUnit} style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'ratePct']} label={f.name === 0 ? t('form.bracketRate') : undefined} rules={[{ required: true }]}>
                    <InputNumber data-testid={`bracket-rate-${f.name}`} min={0} max={100} precision={2} suffix="%" style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'fixed']} label={f.name === 0 ? t('form.bracketFixed') : undefined}>
                    <InputNumber data-testid={`bracket-fixed-${f.name}`} min={0} precision={coupon ? 2 : 0} prefix={coupon ? '¥' : undefined} suffix={coupon ? undefined : rewardUnit} style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item label={f.name === 0 ? ' ' : undefined}>
                    <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('form.removeBracket')} onClick={() => remove(f.name)} />
                  </Form.Item>
                </Space>
              ))}
              <Button
                type="dashed" icon={<PlusOutlined />} disabled={fields.length >= 20} data-testid="bracket-add" style={{ marginBottom: 16 }}
                onClick={() => {
                  const rows = (form.getFieldValue('brackets') as ProgrammeValues['brackets'] | undefined) ?? []
                  const top = rows[rows.length - 1]
                  add({ min: top?.min ? top.min * 2 : 1000, ratePct: top?.ratePct ?? 1, fixed: 0 })
                }}
              >
                {t('form.addBracket')}
              </Button>
            </>
          )}
        </Form.List>

        {tiers.length > 0 && (
          <>
            <div><Typography.Text strong>{t('form.tierRates')}</Typography.Text></div>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('form.tierRatesHelp')}</Typography.Paragraph>
            <Space wrap>
              {tiers.map((tier) => (
                <Form.Item key={tier.code} name={['tierRates', tier.code]} label={tier.name}>
                  <InputNumber data-testid={`tier-rate-${tier.code}`} min={0} max={100} precision={2} suffix="%" placeholder={t('form.tierRatePlaceholder')} style={{ width: 130 }} />
                </Form.Item>
              ))}
            </Space>
          </>
        )}

        <Form.Item name="minRebate" label={t('form.minRebate')} extra={t('form.minRebateHelp')}>
          <InputNumber data-testid="rebate-min" min={0} precision={coupon ? 2 : 0} prefix={coupon ? '¥' : undefined} suffix={coupon ? undefined : rewardUnit} style={{ width: 180 }} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
