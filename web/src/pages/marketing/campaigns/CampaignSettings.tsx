import { App, Button, Flex, Form, InputNumber, Skeleton, Space, Switch, TimePicker, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { reportFormError } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { fenToYuan, yuanToFen } from '../../../shared/money.js'
import { CHANNELS, type Channel } from '../marketing-words.js'

interface Values {
  capCount: number
  capDays: number
  quietEnabled: boolean
  quiet: [Dayjs, Dayjs]
  chainHoldoutPct: number
  approvalRequired: boolean
  /** yuan */
  costs: Record<Channel, number>
}

const HHMM = 'HH:mm'
const time = (hhmm: string) => dayjs(`2000-01-01T${hhmm}:00`)

/** 发送规则: the cap per member, quiet hours, the chain-wide holdout, approval and each channel's cost per message. */
export const CampaignSettings = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.settings' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const manage = can('marketing.manage')
  const settings = useApiQuery('/api/v1/marketing/campaign-settings')
  const [form] = Form.useForm<Values>()
  const [busy, setBusy] = useState(false)
  const quietEnabled = Form.useWatch('quietEnabled', form)
  if (settings.error) return <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />
  const s = settings.data
  if (!s) return <Skeleton active />
  // Equal start and end mean no quiet hours; switched off, they are kept as 00:00–00:00.
  const initial: Values = {
    capCount: s.capCount, capDays: s.capDays, quietEnabled: s.quietStart !== s.quietEnd,
    quiet: s.quietStart !== s.quietEnd ? [time(s.quietStart), time(s.quietEnd)] : [time('21:00'), time('08:00')],
    chainHoldoutPct: s.chainHoldoutPct, approvalRequired: s.approvalRequired,
    costs: Object.fromEntries(CHANNELS.map((c) => [c, fenToYuan(s.costs[c] ?? 0)])) as Record<Channel, number>,
  }
  const save = async (v: Values) => {
    setBusy(true)
    try {
      const [start, end] = v.quietEnabled ? [v.quiet[0].format(HHMM), v.quiet[1].format(HHMM)] : ['00:00', '00:00']
      await call(api.PUT('/api/v1/marketing/campaign-settings', {
        body: {
          capCount: v.capCount, capDays: v.capDays, quietStart: start, quietEnd: end, chainHoldoutPct: v.chainHoldoutPct, approvalRequired: v.approvalRequired,
          costs: Object.fromEntries(CHANNELS.map((c) => [c, yuanToFen(v.costs[c] ?? 0)])),
        },
      }))
      await settings.refetch()
      void message.success(t('saved'))
    } catch (err) {
      reportFormError(form, err, tc, message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Form<Values> form={form} layout="vertical" name="campaign-settings" initialValues={initial} onFinish={(v) => void save(v)} disabled={!manage} style={{ maxWidth: 760 }}>
      <Typography.Paragraph type="secondary">{t('help')}</Typography.Paragraph>
      <Form.Item label={t('cap')} extra={t('capHelp')}>
        <Space wrap>
          <span>{t('capDays')}</span>
          <Form.Item name="capDays" noStyle rules={[{ required: true }]}><InputNumber min={1} max={365} precision={0} style={{ width: 90 }} data-testid="settings-cap-days" /></Form.Item>
          <span>{t('capDaysSuffix')}{t('capCount')}</span>
          <Form.Item name="capCount" noStyle rules={[{ required: true }]}><InputNumber min={0} max={100} precision={0} style={{ width: 90 }} data-testid="settings-cap-count" /></Form.Item>
          <span>{t('capCountSuffix')}</span>
        </Space>
      </Form.Item>
      <Form.Item label={t('quiet')} extra={t('quietHelp')}>
        <Flex gap={12} align="center" wrap>
          <Form.Item name="quietEnabled" valuePropName="checked" noStyle><Switch data-testid="settings-quiet" /></Form.Item>
          <span>{t('quietEnabled')}</span>
          {quietEnabled !== false && (
            <Form.Item name="quiet" noStyle rules={[{ required: true }]}>
              <TimePicker.RangePicker format={HHMM} order={false} allowClear={false} data-testid="settings-quiet-hours" />
            </Form.Item>
          )}
        </Flex>
      </Form.Item>
      <Form.Item name="chainHoldoutPct" label={t('chainHoldoutPct')} extra={t('chainHoldoutHelp')} rules={[{ required: true }]}>
        <InputNumber min={0} max={20} precision={0} style={{ width: 120 }} data-testid="settings-chain-holdout" />
      </Form.Item>
      <Form.Item label={t('approvalRequired')} extra={t('approvalHelp')}>
        <Form.Item name="approvalRequired" valuePropName="checked" noStyle><Switch data-testid="settings-approval" /></Form.Item>
      </Form.Item>
      <Form.Item label={t('costs')} extra={t('costsHelp')}>
        <Flex gap={16} wrap>
          {CHANNELS.map((c) => (
            <Form.Item key={c} name={['costs', c]} label={tw(`channels.${c}`)} rules={[{ required: true }]} style={{ marginBottom: 0 }}>
              <InputNumber min={0} max={100} step={0.01} precision={2} prefix="¥" style={{ width: 120 }} data-testid={`settings-cost-${c}`} />
            </Form.Item>
          ))}
        </Flex>
      </Form.Item>
      {manage && (
        <Flex gap={16} align="center">
          <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">{t('save')}</Button>
          {s.updatedAt && <Typography.Text type="secondary">{t('updatedAt', { time: formatDateTime(s.updatedAt, tz) })}</Typography.Text>}
        </Flex>
      )}
    </Form>
  )
}
