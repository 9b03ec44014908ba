import { Alert, App, Button, Card, Col, Flex, Form, InputNumber, Radio, Row, Select, Skeleton, Space, Typography } from 'antd'
import { useMemo, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../api/client.js'
import { useApiMutation, useApiQuery } from '../../../api/query.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { useSession } from '../../../auth/session.js'
import { DEFAULT_TIMEZONE, formatDateTime, formatMoney } from '../../../format.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { InsightHeader } from '../shared/InsightHeader.js'
import { namePath, ratePercent, reasonOf, toBody, toForm, type IncomeBand, type SettingsForm } from './settings-form.js'

const INCOME_BANDS: IncomeBand[] = ['below_3k', '3k_5k', '5k_8k', '8k_12k', '12k_20k', '20k_plus']

const Hint = ({ children, testId }: { children: ReactNode; testId?: string }) => (
  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={testId}>{children}</Typography.Text>
)

/**
 * HQ's settings of the classes: the window, RFM scoring, the quadrant thresholds, the frequency
 * and amount classes and the lifecycle days, each with the value derived from the chain's data
 * shown beside it; the server's 400s show on the field they name.
 */
export const InsightSettingsPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'settings' })
  const { t: tm } = useTranslation('members')
  const { t: tc } = useTranslation()
  const { t: ts } = useTranslation('insight', { keyPrefix: 'shared' })
  const { message } = App.useApp()
  const [form] = Form.useForm<SettingsForm>()
  const { chain } = useSession()
  const { data, error, refetch } = useApiQuery('/api/v1/insight/settings')
  // what the last lifetime-value scoring used, beside the CLV settings
  const lastFit = useApiQuery('/api/v1/insight/clv').data?.fit
  const initial = useMemo(() => (data ? toForm(data.settings, data.cuts?.rfm) : null), [data])
  const [dirty, setDirty] = useState(false)
  const reasonText = t as unknown as (key: string, values?: Record<string, string | number>) => string
  const save = useApiMutation('put', '/api/v1/insight/settings')
  const rfmMethod = Form.useWatch(['rfm', 'method'], form)
  const frequencyMethod = Form.useWatch(['frequency', 'method'], form)
  const amountMethod = Form.useWatch(['amount', 'method'], form)

  const submit = async (values: SettingsForm) => {
    try {
      const saved = await save.mutateAsync({ body: toBody(values) })
      form.setFieldsValue(toForm(saved.settings, saved.cuts?.rfm))
      setDirty(false)
      void message.success(t('saved'))
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0 && err.status < 500) {
        form.setFields(err.details.map((d) => {
          const known = reasonOf(d.reason, d.field)
          return { name: namePath(d.field) as never, errors: [known ? reasonText(`reasons.${known.key}`, known.values) : d.reason] }
        }))
        void form.scrollToField(namePath(err.details[0]!.field) as never)
      } else void message.error(errorMessage(tc, err))
    }
  }

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const header = <InsightHeader title={t('title')} help={t('help')} testId="insight-settings" />
  if (!data || !initial) return <Flex vertical gap={16}>{header}<Card><Skeleton active /></Card></Flex>

  const cuts = data.cuts
  const derived = (value: string, testId?: string) => <Hint testId={testId}>{t('derivedNow', { value })}</Hint>
  const inForce = (value: string, testId?: string) => <Hint testId={testId}>{t('inForce', { value })}</Hint>
  const days = (n: number) => `${n} ${ts('days')}`
  const cutInputs = (letter: 'r' | 'f' | 'm', money: boolean) => (
    <Row gutter={8}>
      {[0, 1, 2, 3].map((i) => (
        <Col span={6} key={i}>
          <Form.Item name={['rfm', 'fixed', letter, i]} rules={rfmMethod === 'fixed' ? [{ required: true, message: t('reasons.required') }] : []} style={{ marginBottom: 8 }}>
            <InputNumber data-testid={`settings-rfm-${letter}-${i}`} precision={money ? 2 : 0} placeholder={t('rfm.cut', { n: i + 1 })} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  )
  const levelFields = (key: 'frequency' | 'amount', method: string | undefined, money: boolean) => {
    const now = cuts?.[key]
    const show = (n: number) => (money ? formatMoney(n) : String(n))
    return (
      <Col xs={24} lg={12}>
        <Typography.Title level={5}>{t(`levels.${key}`)}</Typography.Title>
        <Form.Item name={[key, 'method']} label={t('levels.method')}>
          <Radio.Group data-testid={`settings-${key}-method`} options={[{ value: 'tercile', label: t('levels.tercile') }, { value: 'fixed', label: t('levels.fixed') }]} />
        </Form.Item>
        <Row gutter={8}>
          {(['mid', 'high'] as const).map((k) => (
            <Col span={12} key={k}>
              <Form.Item name={[key, k]} label={t(`levels.${k}`)} rules={method === 'fixed' ? [{ required: true, message: t('reasons.required') }] : []}>
                <InputNumber data-testid={`settings-${key}-${k}`} disabled={method !== 'fixed'} precision={money ? 2 : 0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        {now && derived(`${t('levels.mid')} ${show(now.mid)} · ${t('levels.high')} ${show(now.high)}`, `settings-${key}-derived`)}
      </Col>
    )
  }

  return (
    <Flex vertical gap={16}>
      {header}
      {!cuts && <Alert type="info" showIcon title={t('notRefreshed')} />}
      <Form<SettingsForm>
        // a save reloads the settings: the form starts again from them (and "undo" goes back to them)
        key={JSON.stringify(data.settings)}
        form={form} layout="vertical" initialValues={initial} // every value, also of fields not on screen (the fixed RFM cuts while quintiles are chosen)
        onFinish={() => void submit(form.getFieldsValue(true) as SettingsForm)} scrollToFirstError
        onValuesChange={(changed: object) => {
          setDirty(true)
          // A field the user edits drops the server's error on it.
          const paths: (string | number)[][] = []
          const walk = (o: unknown, path: (string | number)[]) => {
            if (o !== null && typeof o === 'object' && !Array.isArray(o)) for (const [k, v] of Object.entries(o)) walk(v, [...path, k])
            else if (Array.isArray(o)) o.forEach((v, i) => { if (v !== undefined) walk(v, [...path, i]) })
            else paths.push(path)
          }
          walk(changed, [])
          form.setFields(paths.map((name) => ({ name: name as never, errors: [] })))
        }}
        data-testid="insight-settings-form"
      >
        <Flex vertical gap={16}>
          <Card title={t('window.title')}>
            <Form.Item name="windowDays" label={<TitleWithHelp title={t('window.windowDays')} help={t('window.windowDaysHelp')} />} rules={[{ required: true, message: t('reasons.required') }]} style={{ maxWidth: 320 }}>
              <InputNumber data-testid="settings-window-days" precision={0} style={{ width: '100%' }} />
            </Form.Item>
            {cuts && <Hint>{cuts.windowFrom} – {cuts.asOf}</Hint>}
          </Card>

          <Card title={t('rfm.title')}>
            <Form.Item name={['rfm', 'method']} label={<TitleWithHelp title={t('rfm.method')} help={t('rfm.methodHelp')} />}>
              <Radio.Group data-testid="settings-rfm-method" options={[{ value: 'quintile', label: t('rfm.quintile') }, { value: 'fixed', label: t('rfm.fixed') }]} />
            </Form.Item>
            {rfmMethod === 'fixed' && (
              <Row gutter={24}>
                <Col xs={24} lg={8}><Typography.Text>{t('rfm.r')}</Typography.Text>{cutInputs('r', false)}</Col>
                <Col xs={24} lg={8}><Typography.Text>{t('rfm.f')}</Typography.Text>{cutInputs('f', false)}</Col>
                <Col xs={24} lg={8}><Typography.Text>{t('rfm.m')}</Typography.Text>{cutInputs('m', true)}</Col>
              </Row>
            )}
            {cuts && inForce(`R ${cuts.rfm.r.join(' / ')} · F ${cuts.rfm.f.join(' / ')} · M ${cuts.rfm.m.map((m) => formatMoney(m)).join(' / ')}`, 'settings-rfm-in-force')}
          </Card>

          <Card title={<TitleWithHelp title={t('quadrant.title')} help={t('quadrant.help')} />}>
            <Row gutter={24}>
              <Col xs={24} lg={12}>
                <Form.Item name={['quadrant', 'incomeThreshold']} label={t('quadrant.incomeThreshold')}>
                  <Select
                    data-testid="settings-income-threshold" allowClear placeholder={t('quadrant.incomeAuto')}
                    options={INCOME_BANDS.map((b) => ({ value: b, label: tm(`incomeBands.${b}` as never) }))}
                  />
                </Form.Item>
                {cuts && cuts.quadrant.incomeThreshold && (cuts.quadrant.incomeDerived
                  ? derived(tm(`incomeBands.${cuts.quadrant.incomeThreshold}` as never))
                  : inForce(tm(`incomeBands.${cuts.quadrant.incomeThreshold}` as never)))}
              </Col>
              <Col xs={24} lg={12}>
                <Form.Item name={['quadrant', 'spendThreshold']} label={t('quadrant.spendThreshold')}>
                  <InputNumber data-testid="settings-spend-threshold" precision={2} placeholder={t('leaveEmpty')} style={{ width: '100%' }} />
                </Form.Item>
                {cuts && (cuts.quadrant.spendDerived ? derived(formatMoney(cuts.quadrant.spendThreshold), 'settings-spend-derived') : inForce(formatMoney(cuts.quadrant.spendThreshold)))}
              </Col>
            </Row>
          </Card>

          <Card title={<TitleWithHelp title={t('levels.title')} help={t('levels.help')} />}>
            <Row gutter={24}>
              {levelFields('frequency', frequencyMethod, false)}
              {levelFields('amount', amountMethod, true)}
            </Row>
          </Card>

          <Card title={<TitleWithHelp title={t('lifecycle.title')} help={t('lifecycle.help')} />}>
            <Row gutter={24}>
              {(['newDays', 'dormantDays', 'lostDays'] as const).map((k) => (
                <Col xs={24} lg={8} key={k}>
                  <Form.Item name={['lifecycle', k]} label={t(`lifecycle.${k}`)}>
                    <InputNumber data-testid={`settings-lifecycle-${k}`} precision={0} placeholder={t('leaveEmpty')} style={{ width: '100%' }} />
                  </Form.Item>
                  {cuts && derived(days(cuts.lifecycle.derived[k]), `settings-lifecycle-${k}-derived`)}
                </Col>
              ))}
            </Row>
          </Card>

          <Card title={<TitleWithHelp title={t('clv.title')} help={t('clv.help')} />} data-testid="settings-clv">
            <Row gutter={24}>
              <Col xs={24} lg={12}>
                <Form.Item name={['clv', 'horizonMonths']} label={t('clv.horizonMonths')} extra={t('clv.horizonHelp')} rules={[{ required: true, message: t('reasons.required') }]}>
                  <InputNumber data-testid="settings-clv-horizon" precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} lg={12}>
                <Form.Item name={['clv', 'discountRate']} label={t('clv.discountRate')} extra={t('clv.discountHelp')} rules={[{ required: true, message: t('reasons.required') }]}>
                  <InputNumber data-testid="settings-clv-discount" precision={2} suffix="%" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Flex vertical gap={4}>
              <Hint>{t('clv.formula')}</Hint>
              {lastFit && inForce(t('clv.inForce', { months: lastFit.horizonMonths, rate: ratePercent(lastFit.discountRate), at: formatDateTime(lastFit.fittedAt, chain?.timezone ?? DEFAULT_TIMEZONE) }), 'settings-clv-in-force')}
            </Flex>
          </Card>

          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="settings-save">{t('save')}</Button>
            <Button disabled={!dirty} onClick={() => { form.resetFields(); setDirty(false) }} data-testid="settings-reset">{t('reset')}</Button>
          </Space>
        </Flex>
      </Form>
    </Flex>
  )
}

export default InsightSettingsPage
