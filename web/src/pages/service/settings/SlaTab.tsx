import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Flex, Form, InputNumber, Popconfirm, Radio, Select, Space, Table, TreeSelect, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { FormModal } from '../../../components/FormModal.js'
import { useErrorText } from '../../../hooks/use-error-text.js'
import { categoryTree, joinMinutes, splitMinutes } from '../tickets/ticket-format.js'
import { SEVERITIES, type Severity, type SlaPolicy } from '../tickets/types.js'

const DEFAULT = '__default__'
type Unit = 'm' | 'h'

interface Values {
  categoryId: string
  severity: Severity
  first: number; firstUnit: Unit
  resolution: number; resolutionUnit: Unit
  remind: number; remindUnit: Unit
}

/** Minutes with their unit beside them. */
const Duration = ({ name, label, testId }: { name: 'first' | 'resolution' | 'remind'; label: string; testId: string }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  return (
    <Form.Item label={label} required={name !== 'remind'}>
      <Space>
        <Form.Item name={name} noStyle rules={[{ required: true }]}><InputNumber min={name === 'remind' ? 0 : 1} precision={0} style={{ width: 120 }} data-testid={testId} /></Form.Item>
        <Form.Item name={`${name}Unit`} noStyle>
          <Radio.Group optionType="button" options={(['m', 'h'] as const).map((u) => ({ value: u, label: t(`settings.sla.units.${u}`) }))} data-testid={`${testId}-unit`} />
        </Form.Item>
      </Space>
    </Form.Item>
  )
}

const PolicyModal = ({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) => {
  const { t, i18n } = useTranslation('service', { keyPrefix: 'tickets' })
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const categories = useApiQuery('/api/v1/service/categories').data
  const tree = useMemo(() => [{ value: DEFAULT, title: t('settings.sla.defaultCategory') }, ...categoryTree(categories ?? [], i18n.language === 'en-US')], [categories, i18n.language, t])
  const first = splitMinutes(policy?.firstResponseMinutes ?? 60)
  const resolution = splitMinutes(policy?.resolutionMinutes ?? 24 * 60)
  const remind = splitMinutes(policy?.remindBeforeMinutes ?? 30)
  return (
    <FormModal
      open title={policy ? t('settings.sla.edit') : t('settings.sla.add')} form={form} name="sla-policy" onClose={onClose} submitTestId="sla-submit"
      initialValues={{
        categoryId: policy ? policy.categoryId ?? DEFAULT : undefined, severity: policy?.severity ?? 'normal',
        first: first.value, firstUnit: first.unit, resolution: resolution.value, resolutionUnit: resolution.unit, remind: remind.value, remindUnit: remind.unit,
      }}
      onSubmit={async (v) => {
        await call(api.PUT('/api/v1/service/sla-policies', {
          body: {
            policies: [{
              categoryId: v.categoryId === DEFAULT ? null : v.categoryId, severity: v.severity,
              firstResponseMinutes: joinMinutes(v.first, v.firstUnit), resolutionMinutes: joinMinutes(v.resolution, v.resolutionUnit), remindBeforeMinutes: joinMinutes(v.remind, v.remindUnit),
            }],
          },
        }))
        message.success(t('settings.saved'))
        onClose()
      }}
    >
      <Typography.Paragraph type="secondary">{t('settings.sla.hint')}</Typography.Paragraph>
      <Flex gap={16} wrap>
        <Form.Item name="categoryId" label={t('settings.sla.category')} rules={[{ required: true }]} style={{ flex: '1 1 240px' }}>
          <TreeSelect showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={tree} disabled={!!policy} data-testid="sla-category" />
        </Form.Item>
        <Form.Item name="severity" label={t('settings.sla.severity')} style={{ flex: '1 1 160px' }}>
          <Select disabled={!!policy} options={SEVERITIES.map((s) => ({ value: s, label: t(`severities.${s}`) }))} data-testid="sla-severity" />
        </Form.Item>
      </Flex>
      <Duration name="first" label={t('settings.sla.firstResponse')} testId="sla-first" />
      <Duration name="resolution" label={t('settings.sla.resolution')} testId="sla-resolution" />
      <Duration name="remind" label={t('settings.sla.remindBefore')} testId="sla-remind" />
    </FormModal>
  )
}

/** SLA policies: category × severity → first response, resolution and the reminder, in working time. */
export const SlaTab = () => {
  const { t, i18n } = useTranslation('service', { keyPrefix: 'tickets' })
  const { message } = App.useApp()
  const errorText = useErrorText()
  const { data, error, refetch } = useApiQuery('/api/v1/service/sla-policies')
  const categories = useApiQuery('/api/v1/service/categories').data ?? []
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null)
  const english = i18n.language === 'en-US'
  const names = new Map(categories.map((c) => [c.id, (english && c.nameEn) || c.name]))
  const words = (minutes: number) => {
    const { value, unit } = splitMinutes(minutes)
    return t(`minutes.${unit}`, { n: value })
  }
  const rows = [...(data ?? [])].sort((a, b) => (a.categoryId === null ? -1 : b.categoryId === null ? 1 : (names.get(a.categoryId) ?? '').localeCompare(names.get(b.categoryId) ?? ''))
    || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
  const remove = async (p: SlaPolicy) => {
    try {
      await call(api.DELETE('/api/v1/service/sla-policies/{id}', { params: { path: { id: p.id } } }))
    } catch (err) {
      message.error(errorText(err))
    }
  }
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} gap={16}>
        <Typography.Text type="secondary">{t('settings.sla.hint')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="sla-add">{t('settings.sla.add')}</Button>
      </Flex>
      <Table<SlaPolicy>
        size="small" rowKey="id" pagination={false} loading={!data} dataSource={rows} data-testid="sla-table"
        columns={[
          { key: 'category', title: t('settings.sla.category'), render: (_, r) => (r.categoryId ? names.get(r.categoryId) ?? r.categoryId : <Typography.Text type="secondary">{t('settings.sla.defaultCategory')}</Typography.Text>) },
          { key: 'severity', title: t('settings.sla.severity'), render: (_, r) => t(`severities.${r.severity}`) },
          { key: 'first', title: t('settings.sla.firstResponse'), render: (_, r) => words(r.firstResponseMinutes) },
          { key: 'resolution', title: t('settings.sla.resolution'), render: (_, r) => words(r.resolutionMinutes) },
          { key: 'remind', title: t('settings.sla.remindBefore'), render: (_, r) => words(r.remindBeforeMinutes) },
          {
            key: 'actions', title: '',
            render: (_, r) => (
              <Space>
                <Button size="small" type="link" onClick={() => setEditing(r)}>{t('settings.sla.edit')}</Button>
                {r.categoryId && (
                  <Popconfirm title={t('settings.sla.removeConfirm')} onConfirm={() => void remove(r)}>
                    <Button size="small" type="link" danger>{t('settings.sla.remove')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && <PolicyModal policy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  )
}
