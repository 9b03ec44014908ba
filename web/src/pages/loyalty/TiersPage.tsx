import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Skeleton, Switch, Table, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE } from '../../format.js'
import { translateLoyaltyReason } from './reasons.js'
import { nextTierRow, splitTierErrors, toTierRows, toTiers, type TierBasis, type TierRow } from './tiers.js'

const CODE = /^[a-z][a-z0-9_]{0,31}$/

interface Values {
  tiers: TierRow[]
}

/** The tier ladder: code, name, rank, threshold, earning and member prices per tier, saved as a whole. */
export const TiersPage = () => {
  const { t } = useTranslation('loyalty')
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { message } = App.useApp()
  const manage = can('loyalty.manage')
  const [form] = Form.useForm<Values>()
  const tiersQuery = useApiQuery('/api/v1/loyalty/tiers')
  const policyQuery = useApiQuery('/api/v1/loyalty/policy')
  const basis: TierBasis | null = policyQuery.data?.tierBasis ?? null
  const loaded = useMemo(() => (tiersQuery.data && basis ? toTierRows(tiersQuery.data, basis) : null), [tiersQuery.data, basis])
  // The form starts from the ladder as loaded, then as last saved.
  const [savedRows, setInitial] = useState<TierRow[] | null>(null)
  const initial = savedRows ?? loaded
  const error = tiersQuery.error ?? policyQuery.error
  const load = () => {
    if (tiersQuery.error) void tiersQuery.refetch()
    if (policyQuery.error) void policyQuery.refetch()
  }
  const [ladderErrors, setLadderErrors] = useState<string[]>([])
  const [busy, setBusy] = useState(false)


  const save = async (values: Values) => {
    if (!basis) return
    setBusy(true)
    setLadderErrors([])
    try {
      const saved = await call(api.PUT('/api/v1/loyalty/tiers', { body: { tiers: toTiers(values.tiers, basis) } }))
      const rows = toTierRows(saved, basis)
      form.setFieldsValue({ tiers: rows })
      setInitial(rows)
      void message.success(t('tiers.saved'))
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        const { fields, ladder } = splitTierErrors(err.details.map((d) => ({ ...d, reason: translateLoyaltyReason(t, d.reason, tz) })))
        // Paths built from the server's field names: ['tiers', 1, 'threshold'].
        form.setFields(fields as Parameters<typeof form.setFields>[0])
        setLadderErrors(err.status === 409 ? [errorMessage(tc, err)] : ladder)
        if (fields.length === 0 && ladder.length === 0) void message.error(errorMessage(tc, err))
      } else {
        void message.error(errorMessage(tc, err))
      }
    } finally {
      setBusy(false)
    }
  }

  if (error) return <ErrorResult error={error} onRetry={load} />
  if (!initial || !basis) return <Card><Skeleton active /></Card>

  const spend = basis === 'spend'
  return (
    <Card title={t('tiers.title')}>
      <Typography.Paragraph type="secondary">{t('tiers.help', { basis: t(`tiers.basis.${basis}`) })}</Typography.Paragraph>
      <Form<Values>
        form={form} name="tiers" initialValues={{ tiers: initial }} onFinish={(v) => void save(v)} disabled={!manage}
        onValuesChange={() => setLadderErrors([])}
      >
        <Form.List name="tiers">
          {(fields, { add, remove }) => (
            <>
              <Table
                data-testid="tiers-table" size="middle" pagination={false} rowKey="key" dataSource={fields} scroll={{ x: 900 }}
                columns={[
                  {
                    key: 'code', title: t('tiers.code'), width: 150,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'code']} rules={[{ required: true }, { pattern: CODE, message: t('tiers.codePattern') }]} style={{ margin: 0 }}>
                        <Input data-testid={`tier-code-${f.name}`} maxLength={32} autoComplete="off" />
                      </Form.Item>
                    ),
                  },
                  {
                    key: 'name', title: t('tiers.name'), width: 140,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true }, { max: 20 }]} style={{ margin: 0 }}>
                        <Input data-testid={`tier-name-${f.name}`} maxLength={20} />
                      </Form.Item>
                    ),
                  },
                  {
                    key: 'rank', title: t('tiers.rank'), width: 90,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'rank']} rules={[{ required: true }]} style={{ margin: 0 }}>
                        <InputNumber data-testid={`tier-rank-${f.name}`} min={0} precision={0} style={{ width: '100%' }} />
                      </Form.Item>
                    ),
                  },
                  {
                    key: 'threshold', title: spend ? t('tiers.thresholdSpend') : t('tiers.thresholdPoints'), width: 180,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'threshold']} rules={[{ required: true }]} style={{ margin: 0 }}>
                        <InputNumber
                          data-testid={`tier-threshold-${f.name}`} min={0} precision={spend ? 2 : 0} prefix={spend ? '¥' : undefined}
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    key: 'earnFactorPct', title: t('tiers.earnFactorPct'), width: 140,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'earnFactorPct']} rules={[{ required: true }]} tooltip={t('tiers.earnFactorHelp')} style={{ margin: 0 }}>
                        <InputNumber data-testid={`tier-earn-${f.name}`} min={0} max={1000} precision={0} suffix="%" style={{ width: '100%' }} />
                      </Form.Item>
                    ),
                  },
                  {
                    key: 'memberPrices', title: t('tiers.memberPrices'), width: 110,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'memberPrices']} valuePropName="checked" style={{ margin: 0 }}>
                        <Switch data-testid={`tier-member-prices-${f.name}`} />
                      </Form.Item>
                    ),
                  },
                  ...(manage ? [{
                    key: 'remove', title: '', width: 60,
                    render: (_: unknown, f: { name: number }) => (
                      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('tiers.remove')} disabled={fields.length <= 1} onClick={() => remove(f.name)} />
                    ),
                  }] : []),
                ]}
              />
              {manage && (
                <Button
                  type="dashed" block icon={<PlusOutlined />} style={{ marginTop: 12 }} data-testid="tier-add" disabled={fields.length >= 20}
                  onClick={() => add(nextTierRow((form.getFieldValue('tiers') as TierRow[] | undefined) ?? []))}
                >
                  {t('tiers.add')}
                </Button>
              )}
            </>
          )}
        </Form.List>
        {ladderErrors.length > 0 && (
          <Alert
            data-testid="tiers-errors" type="error" showIcon style={{ marginTop: 16 }}
            title={ladderErrors.map((e) => <div key={e}>{e}</div>)}
          />
        )}
        {manage && (
          <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
            <Button onClick={() => { form.resetFields(); setLadderErrors([]) }} disabled={busy}>{tc('actions.reset')}</Button>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="tiers-save">{tc('actions.save')}</Button>
          </Flex>
        )}
      </Form>
    </Card>
  )
}

export default TiersPage
