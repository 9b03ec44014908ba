import { App, Button, Card, Col, Flex, Form, InputNumber, Radio, Row, Skeleton } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'

import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { clearServerErrors, errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatMoney } from '../../format.js'
import { expiresOn, policyFieldName, toPolicy, toPolicyValues, type PolicyValues } from './policy.js'
import { translateLoyaltyReason } from './reasons.js'

/** Point value, the share points may pay, expiry and the tier basis, each with what it means. */
export const PolicyPage = () => {
  const { t } = useTranslation('loyalty')
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const manage = can('loyalty.manage')
  const [form] = Form.useForm<PolicyValues>()
  const { data: policy, error, refetch } = useApiQuery('/api/v1/loyalty/policy')
  const loaded = useMemo(() => (policy ? toPolicyValues(policy) : null), [policy])
  // The form starts from the policy as loaded, then as last saved.
  const [savedValues, setInitial] = useState<PolicyValues | null>(null)
  const initial = savedValues ?? loaded
  const [busy, setBusy] = useState(false)
  const values = Form.useWatch([], form) as PolicyValues | undefined
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const today = dayjs().tz(tz).format('YYYY-MM-DD')


  const save = async (v: PolicyValues) => {
    setBusy(true)
    try {
      const saved = toPolicyValues(await call(api.PATCH('/api/v1/loyalty/policy', { body: toPolicy(v) })))
      setInitial(saved)
      form.setFieldsValue(saved)
      void message.success(t('policy.saved'))
    } catch (err) {
      const fields = err instanceof ApiError
        ? err.details.map((d) => ({ name: policyFieldName(d.field, v.expiryMode), errors: [translateLoyaltyReason(t, d.reason, tz)] })).filter((f): f is { name: keyof PolicyValues; errors: string[] } => f.name !== null)
        : []
      if (fields.length) form.setFields(fields)
      else void message.error(errorMessage(tc, err))
    } finally {
      setBusy(false)
    }
  }

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />

  if (!initial) return <Card><Skeleton active /></Card>

  const v = values ?? initial
  const expiryExample = v.expiryMode === 'calendar_years'
    ? t('policy.yearsExample', { date: expiresOn({ mode: 'calendar_years', years: v.years ?? 0 }, today) })
    : t('policy.monthsExample', { date: expiresOn({ mode: 'rolling_months', months: v.months ?? 1 }, today) })

  return (
    <Card title={t('policy.title')}>
      <Form<PolicyValues>
        form={form} name="policy" layout="vertical" initialValues={initial} disabled={!manage} style={{ maxWidth: 760 }}
        onFinish={(x) => void save(x)} onValuesChange={clearServerErrors(form)}
      >
        <Row gutter={24}>
          <Col xs={24} md={12}>
            <Form.Item
              name="pointValueFen" label={t('policy.pointValueFen')} rules={[{ required: true }, { type: 'number', min: 1, max: 10000 }]}
              extra={<>{t('policy.pointValueHelp')}<br />{t('policy.pointValueExample', { value: formatMoney(100 * (v.pointValueFen ?? 0)) })}</>}
            >
              <InputNumber data-testid="policy-point-value" min={1} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="maxPointsPaymentPct" label={t('policy.maxPointsPaymentPct')} extra={t('policy.maxPointsPaymentHelp')}
              rules={[{ required: true }, { type: 'number', min: 0, max: 100 }]}
            >
              <InputNumber data-testid="policy-max-share" min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>

        <Form.Item name="expiryMode" label={t('policy.expiry')}>
          <Radio.Group data-testid="policy-expiry-mode" options={(['calendar_years', 'rolling_months'] as const).map((m) => ({ value: m, label: t(`policy.expiryModes.${m}`) }))} />
        </Form.Item>
        <Row gutter={24}>
          <Col xs={24} md={12}>
            {v.expiryMode === 'calendar_years'
              ? (
                <Form.Item name="years" label={t('policy.years')} extra={<>{t('policy.yearsHelp')}<br />{expiryExample}</>} rules={[{ required: true }, { type: 'number', min: 0, max: 10 }]}>
                  <InputNumber data-testid="policy-years" min={0} max={10} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              )
              : (
                <Form.Item name="months" label={t('policy.months')} extra={<>{t('policy.monthsHelp')}<br />{expiryExample}</>} rules={[{ required: true }, { type: 'number', min: 1, max: 120 }]}>
                  <InputNumber data-testid="policy-months" min={1} max={120} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              )}
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="expiringNoticeDays" label={t('policy.expiringNoticeDays')} extra={t('policy.expiringNoticeHelp')}
              rules={[{ required: true }, { type: 'number', min: 0, max: 365 }]}
            >
              <InputNumber data-testid="policy-notice-days" min={0} max={365} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>

        <Row gutter={24}>
          <Col xs={24} md={12}>
            <Form.Item name="tierBasis" label={t('policy.tierBasis')} extra={t('policy.tierBasisHelp')}>
              <Radio.Group data-testid="policy-tier-basis" options={(['spend', 'points'] as const).map((b) => ({ value: b, label: t(`tiers.basis.${b}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="tierGraceDays" label={t('policy.tierGraceDays')} extra={t('policy.tierGraceHelp')} rules={[{ required: true }, { type: 'number', min: 0, max: 730 }]}>
              <InputNumber data-testid="policy-grace-days" min={0} max={730} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>

        {manage && (
          <Flex justify="flex-end" gap={8}>
            <Button onClick={() => form.resetFields()} disabled={busy}>{tc('actions.reset')}</Button>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="policy-save">{tc('actions.save')}</Button>
          </Flex>
        )}
      </Form>
    </Card>
  )
}

export default PolicyPage
