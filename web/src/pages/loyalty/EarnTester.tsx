import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, App, AutoComplete, Button, Card, Col, DatePicker, Divider, Flex, Form, Input, InputNumber, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { clearServerErrors, reportFormError } from '../../components/errors.js'
import { formatCount, formatMoney } from '../../format.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { filledLines, LINE_KINDS, toEarnTestBody, type BasketLine, type TesterValues } from './basket.js'
import { yuanToFen } from '../../shared/money.js'
import type { DepartmentNode, EarnTestResult, Store } from './types.js'


const KIND_COLORS: Record<string, string> = { base: 'blue', multiplier: 'orange', birthday: 'magenta', tier: 'gold', cap: 'red' }

const uniqueNames = (names: Array<string | null>) => [...new Set(names.filter((n): n is string => Boolean(n)))].sort((a, b) => a.localeCompare(b, 'zh-CN'))

/** "What would this basket earn": the rules in force at a store and time, on a made-up basket. */
export const EarnTester = ({ stores, tree, tz }: { stores: Store[]; tree: DepartmentNode[]; tz: string }) => {
  const { t } = useTranslation('loyalty')
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { user } = useSession()
  const [form] = Form.useForm<TesterValues>()
  const ladder = useTiers().tiers
  const tiers = useMemo(() => [...ladder].sort((a, b) => a.rank - b.rank), [ladder])
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ lines: BasketLine[]; earned: EarnTestResult } | null>(null)


  // A store user tests their own store; HQ starts from the first open store.
  const defaultStore = user?.storeId ?? stores.find((s) => s.status === 'open')?.id
  useEffect(() => {
    if (defaultStore && !form.getFieldValue('storeId')) form.setFieldValue('storeId', defaultStore)
  }, [defaultStore, form])

  const suggestions = useMemo(() => ({
    department: uniqueNames(tree.map((d) => d.name)),
    category: uniqueNames(tree.flatMap((d) => d.categories.map((c) => c.name))),
  }), [tree])

  const run = async (values: TesterValues) => {
    const lines = filledLines(values.lines ?? [])
    if (lines.length === 0) {
      void message.warning(t('tester.needLine'))
      return
    }
    setBusy(true)
    try {
      setResult({ lines, earned: await call(api.POST('/api/v1/loyalty/earn-test', { body: toEarnTestBody(values, tz) })) })
    } catch (err) {
      reportFormError(form, err, tc, message)
    } finally {
      setBusy(false)
    }
  }

  const earned = result?.earned
  return (
    <Card title={t('tester.title')} data-testid="earn-tester">
      <Typography.Paragraph type="secondary">{t('tester.help')}</Typography.Paragraph>
      <Form<TesterValues>
        form={form} layout="vertical" name="earnTest" onFinish={(v) => void run(v)} onValuesChange={clearServerErrors(form)}
        initialValues={{ storeId: defaultStore, lines: [{ by: 'department', value: '', amount: 100 }] }}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="storeId" label={t('tester.store')} rules={[{ required: true }]}>
              <Select
                data-testid="tester-store" showSearch={{ optionFilterProp: 'label' }} disabled={Boolean(user?.storeId)}
                options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="at" label={t('tester.at')} extra={t('form.zoneHelp', { tz })}>
              <DatePicker data-testid="tester-at" showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={t('tester.atPlaceholder')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="tierCode" label={t('tester.tier')}>
              <Select data-testid="tester-tier" allowClear placeholder={tiers[0]?.name} options={tiers.map((tier) => ({ value: tier.code, label: tier.name }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="birthday" label={t('tester.birthday')}>
              <DatePicker data-testid="tester-birthday" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Text strong>{t('tester.lines')}</Typography.Text>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <div style={{ marginTop: 8 }}>
              {fields.map((field, index) => (
                <Space.Compact key={field.key} block style={{ marginBottom: 8 }}>
                  <Form.Item name={[field.name, 'by']} noStyle>
                    <Select
                      data-testid={`tester-line-by-${index}`} style={{ width: 116 }} popupMatchSelectWidth={false}
                      options={LINE_KINDS.map((k) => ({ value: k, label: t(`tester.by.${k}`) }))}
                    />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate={(a: TesterValues, b: TesterValues) => a.lines?.[field.name]?.by !== b.lines?.[field.name]?.by}>
                    {({ getFieldValue }) => {
                      const by = getFieldValue(['lines', field.name, 'by']) as BasketLine['by']
                      const options = by === 'department' || by === 'category' ? suggestions[by].map((v) => ({ value: v })) : []
                      return (
                        <Form.Item name={[field.name, 'value']} noStyle>
                          {options.length
                            ? <AutoComplete data-testid={`tester-line-value-${index}`} options={options} placeholder={t(`tester.by.${by}`)} style={{ flex: 1 }} showSearch={{ filterOption: true }} />
                            : <Input data-testid={`tester-line-value-${index}`} placeholder={t(`tester.by.${by}`)} style={{ flex: 1 }} />}
                        </Form.Item>
                      )
                    }}
                  </Form.Item>
                  <Form.Item name={[field.name, 'amount']} noStyle>
                    <InputNumber data-testid={`tester-line-amount-${index}`} min={0} precision={2} prefix="¥" placeholder={t('tester.amount')} style={{ width: 130 }} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={t('tester.removeLine')} disabled={fields.length <= 1} onClick={() => remove(field.name)} />
                </Space.Compact>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} data-testid="tester-add-line" disabled={fields.length >= 20} onClick={() => add({ by: 'department', value: '', amount: null })}>
                {t('tester.addLine')}
              </Button>
            </div>
          )}
        </Form.List>

        <Row gutter={12} style={{ marginTop: 16 }}>
          <Col span={12}>
            <Form.Item name="pointsPaid" label={t('tester.pointsPaid')}>
              <InputNumber data-testid="tester-points-paid" min={0} precision={2} prefix="¥" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="couponPaid" label={t('tester.couponPaid')}>
              <InputNumber data-testid="tester-coupon-paid" min={0} precision={2} prefix="¥" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={busy} block data-testid="tester-run">{t('tester.run')}</Button>
      </Form>

      {earned && result && (
        <div data-testid="tester-result">
          <Divider />
          <Flex gap={32} wrap>
            <Statistic title={t('tester.points')} value={earned.points} formatter={(v) => <span data-testid="tester-points">{formatCount(Number(v))}</span>} />
            <Statistic title={t('tester.eligible')} value={formatMoney(earned.eligibleAmount)} />
          </Flex>
          {earned.explanation.length === 0 && <Alert type="warning" showIcon title={t('tester.noRule')} style={{ marginTop: 16 }} />}
          {earned.explanation.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>{t('tester.explanation')}</Typography.Title>
              <Table
                data-testid="tester-explanation" size="small" pagination={false} rowKey={(_, i) => String(i)}
                dataSource={earned.explanation}
                columns={[
                  { key: 'name', title: t('tester.rule'), dataIndex: 'name' },
                  { key: 'kind', title: t('tester.kind'), render: (_, e) => <Tag color={KIND_COLORS[e.kind]}>{t(`kinds.${e.kind as 'base'}`, { defaultValue: e.kind })}</Tag> },
                  { key: 'points', title: t('tester.rulePoints'), align: 'right', render: (_, e) => (e.points > 0 ? `+${formatCount(e.points)}` : formatCount(e.points)) },
                ]}
              />
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('tester.perLine')}</Typography.Title>
          <Table
            data-testid="tester-lines" size="small" pagination={false} rowKey={(_, i) => String(i)}
            dataSource={result.lines.map((line, i) => ({ line, points: earned.linePoints[i] ?? 0 }))}
            columns={[
              { key: 'line', title: t('tester.line'), render: (_, r) => `${t(`tester.by.${r.line.by}`)}: ${r.line.value?.trim()}` },
              { key: 'amount', title: t('tester.lineAmount'), align: 'right', render: (_, r) => formatMoney(yuanToFen(r.line.amount ?? 0)) },
              { key: 'points', title: t('tester.linePoints'), align: 'right', render: (_, r) => formatCount(r.points) },
            ]}
          />
        </div>
      )}
    </Card>
  )
}
