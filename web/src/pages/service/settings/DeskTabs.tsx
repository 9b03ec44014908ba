import { App, Button, Checkbox, DatePicker, Empty, Flex, Form, InputNumber, Select, Space, Table, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import type { MutationInit } from '../../../api/query.js'
import { clearServerErrors, reportFormError } from '../../../components/errors.js'
import { fenToYuan, optionalYuanToFen } from '../../../shared/money.js'
import { hoursToTexts, textsToHours, type Day } from '../tickets/ticket-format.js'
import type { DeskSettings } from '../tickets/types.js'
import { HoursFields } from './HoursFields.js'

type Body = MutationInit<'put', '/api/v1/service/settings'>['body']
const STEPS = ['team_lead', 'store_manager', 'region', 'hq'] as const
const ROLES = ['hq_admin', 'hq_marketing', 'analyst', 'store_manager', 'cashier', 'service_agent'] as const

/** Saves some of the settings and says so; errors go on the form. */
const useSave = () => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)
  const save = async (form: Parameters<typeof reportFormError>[0], body: Body) => {
    setBusy(true)
    try {
      await call(api.PUT('/api/v1/service/settings', { body }))
      message.success(t('settings.saved'))
    } catch (err) {
      reportFormError(form, err, tc, message)
    } finally {
      setBusy(false)
    }
  }
  return { save, busy }
}

/** Escalation chain, follow-up days, the due-soon window and the default working hours. */
export const DeskTab = ({ settings }: { settings: DeskSettings }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { t: tc } = useTranslation()
  const [form] = Form.useForm<{ escalationChain: Array<(typeof STEPS)[number]>; followUpDays: number; dueSoonMinutes: number; hours: Record<Day, string> }>()
  const { save, busy } = useSave()
  return (
    <Form
      form={form} layout="vertical" name="desk-settings" style={{ maxWidth: 640 }} onValuesChange={clearServerErrors(form)}
      initialValues={{ escalationChain: settings.escalationChain, followUpDays: settings.followUpDays, dueSoonMinutes: settings.dueSoonMinutes, hours: hoursToTexts(settings.workingHours) }}
      onFinish={(v) => void save(form, { escalationChain: v.escalationChain, followUpDays: v.followUpDays, dueSoonMinutes: v.dueSoonMinutes, workingHours: textsToHours(v.hours) ?? {} })}
    >
      <Form.Item name="escalationChain" label={t('settings.desk.escalationChain')} extra={t('settings.desk.escalationHint')} rules={[{ required: true }]}>
        <Select
          mode="multiple" data-testid="settings-escalation-chain"
          options={STEPS.map((s) => ({ value: s, label: t(`escalationSteps.${s}`) }))}
          tagRender={({ label, value, closable, onClose }) => {
            const level = (form.getFieldValue('escalationChain') as string[] | undefined)?.indexOf(value as string) ?? -1
            return <Tag closable={closable} onClose={onClose} style={{ marginInlineEnd: 4 }}>{level >= 0 ? `${level + 1}. ` : ''}{label}</Tag>
          }}
        />
      </Form.Item>
      <Space size={24} wrap>
        <Form.Item name="followUpDays" label={t('settings.desk.followUpDays')} rules={[{ required: true }]}>
          <InputNumber min={0} max={60} precision={0} data-testid="settings-follow-up-days" />
        </Form.Item>
        <Form.Item name="dueSoonMinutes" label={t('settings.desk.dueSoonMinutes')} rules={[{ required: true }]}>
          <InputNumber min={1} max={10000} precision={0} data-testid="settings-due-soon" />
        </Form.Item>
      </Space>
      <Typography.Title level={5}>{t('settings.desk.workingHours')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('settings.desk.workingHoursHint')}</Typography.Paragraph>
      <HoursFields name="hours" testId="settings-hours" />
      <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-desk-save">{tc('actions.save')}</Button>
    </Form>
  )
}

interface LimitRow { enabled: boolean; maxPoints: number | null; maxCouponYuan: number | null }

/** Compensation limits per role and ticket: points and coupon face value; a role not ticked may not compensate. */
export const LimitsTab = ({ settings }: { settings: DeskSettings }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { t: tc } = useTranslation()
  const [form] = Form.useForm<{ limits: Record<string, LimitRow> }>()
  const { save, busy } = useSave()
  const initial = Object.fromEntries(ROLES.map((r) => {
    const l = settings.compensationLimits[r]
    return [r, { enabled: !!l, maxPoints: l?.maxPoints ?? null, maxCouponYuan: l?.maxCouponValue === null || l?.maxCouponValue === undefined ? null : fenToYuan(l.maxCouponValue) }]
  }))
  return (
    <Form
      form={form} layout="vertical" name="limits-settings" initialValues={{ limits: initial }} onValuesChange={clearServerErrors(form)}
      onFinish={(v) => void save(form, {
        compensationLimits: Object.fromEntries(ROLES.filter((r) => v.limits[r]?.enabled).map((r) => [r, {
          maxPoints: v.limits[r]!.maxPoints ?? null,
          maxCouponValue: optionalYuanToFen(v.limits[r]!.maxCouponYuan),
        }])),
      })}
    >
      <Typography.Paragraph type="secondary">{t('settings.limits.hint')}（{t('settings.limits.noLimit')}）</Typography.Paragraph>
      <Table
        size="small" rowKey="role" pagination={false} dataSource={ROLES.map((role) => ({ role }))} style={{ maxWidth: 760, marginBottom: 16 }} data-testid="limits-table"
        columns={[
          { key: 'role', title: t('settings.limits.role'), render: (_, r) => tc(`roles.${r.role}`) },
          { key: 'enabled', title: t('settings.limits.enabled'), render: (_, r) => <Form.Item name={['limits', r.role, 'enabled']} valuePropName="checked" noStyle><Checkbox data-testid={`limit-enabled-${r.role}`} /></Form.Item> },
          { key: 'points', title: t('settings.limits.maxPoints'), render: (_, r) => <Form.Item name={['limits', r.role, 'maxPoints']} noStyle><InputNumber min={0} precision={0} style={{ width: 140 }} data-testid={`limit-points-${r.role}`} /></Form.Item> },
          { key: 'coupon', title: t('settings.limits.maxCouponValue'), render: (_, r) => <Form.Item name={['limits', r.role, 'maxCouponYuan']} noStyle><InputNumber min={0} precision={2} style={{ width: 140 }} /></Form.Item> },
        ]}
      />
      <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-limits-save">{tc('actions.save')}</Button>
    </Form>
  )
}

/** Holidays: local dates on which no SLA working time runs. */
export const HolidaysTab = ({ settings }: { settings: DeskSettings }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { t: tc } = useTranslation()
  const [form] = Form.useForm()
  const [days, setDays] = useState<string[]>([...settings.holidays].sort())
  const { save, busy } = useSave()
  return (
    <Flex vertical gap={12} style={{ maxWidth: 640 }}>
      <Typography.Text type="secondary">{t('settings.holidays.hint')}</Typography.Text>
      <DatePicker
        placeholder={t('settings.holidays.add')} value={null} data-testid="holiday-add"
        onChange={(d: dayjs.Dayjs | null) => { if (d) setDays((list) => [...new Set([...list, d.format('YYYY-MM-DD')])].sort()) }}
      />
      {days.length === 0
        ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('settings.holidays.empty')} />
        : (
            <Space wrap data-testid="holidays">
              {days.map((d) => <Tag key={d} closable onClose={() => setDays((list) => list.filter((x) => x !== d))}>{d} {dayjs(d).format('ddd')}</Tag>)}
            </Space>
          )}
      <Form form={form}>
        <Button type="primary" loading={busy} onClick={() => void save(form, { holidays: days })} data-testid="settings-holidays-save">{tc('actions.save')}</Button>
      </Form>
    </Flex>
  )
}
