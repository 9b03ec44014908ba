import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Flex, Form, Input, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { FormModal } from '../../../components/FormModal.js'
import { useErrorText } from '../../../hooks/use-error-text.js'
import { useStores } from '../../../hooks/use-stores.js'
import { hoursToTexts, textsToHours, weeklyHoursSummary, type Day } from '../tickets/ticket-format.js'
import type { Team } from '../tickets/types.js'
import { HoursFields } from './HoursFields.js'

const KINDS = ['store', 'desk', 'purchasing', 'food_safety', 'legal', 'other'] as const

interface TeamValues {
  name: string
  kind: (typeof KINDS)[number]
  storeId?: string | null
  leadUserId?: string | null
  active: boolean
  ownHours: boolean
  hours: Record<Day, string>
}

const TeamModal = ({ team, staff, onClose }: { team: Team | null; staff: Array<{ value: string; label: string }>; onClose: () => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { message } = App.useApp()
  const { stores } = useStores()
  const [form] = Form.useForm<TeamValues>()
  const ownHours = Form.useWatch('ownHours', form) ?? !!team?.workingHours
  return (
    <FormModal
      open title={team ? t('settings.teams.edit') : t('settings.teams.add')} form={form} name="service-team" onClose={onClose} submitTestId="team-submit" width={640}
      initialValues={{
        name: team?.name, kind: team?.kind ?? 'desk', storeId: team?.storeId ?? null, leadUserId: team?.leadUserId ?? null, active: team?.active ?? true,
        ownHours: !!team?.workingHours, hours: hoursToTexts(team?.workingHours ?? { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] }),
      }}
      onSubmit={async (v) => {
        const body = {
          name: v.name.trim(), kind: v.kind, storeId: v.storeId ?? null, leadUserId: v.leadUserId ?? null, active: v.active,
          workingHours: v.ownHours ? textsToHours(v.hours) : null,
        }
        if (team) await call(api.PATCH('/api/v1/service/teams/{id}', { params: { path: { id: team.id } }, body }))
        else await call(api.POST('/api/v1/service/teams', { body }))
        message.success(t('settings.saved'))
        onClose()
      }}
    >
      <Flex gap={16} wrap>
        <Form.Item name="name" label={t('settings.teams.name')} rules={[{ required: true, whitespace: true }]} style={{ flex: '1 1 240px' }}>
          <Input maxLength={60} data-testid="team-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('settings.teams.kind')} style={{ flex: '1 1 200px' }}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`teamKinds.${k}`) }))} data-testid="team-kind" />
        </Form.Item>
      </Flex>
      <Flex gap={16} wrap>
        <Form.Item name="storeId" label={t('settings.teams.store')} style={{ flex: '1 1 240px' }}>
          <Select showSearch optionFilterProp="label" options={[{ value: null as unknown as string, label: t('settings.teams.storeNone') }, ...stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))]} data-testid="team-store" />
        </Form.Item>
        <Form.Item name="leadUserId" label={t('settings.teams.lead')} style={{ flex: '1 1 200px' }}>
          <Select allowClear showSearch optionFilterProp="label" options={staff} data-testid="team-lead" />
        </Form.Item>
      </Flex>
      <Space size={24}>
        <Form.Item name="active" label={t('settings.teams.active')} valuePropName="checked"><Switch /></Form.Item>
        <Form.Item name="ownHours" label={t('settings.teams.hours')} valuePropName="checked" extra={ownHours ? undefined : t('settings.teams.hoursDefault')}>
          <Switch data-testid="team-own-hours" />
        </Form.Item>
      </Space>
      {ownHours && <HoursFields name="hours" testId="team-hours" />}
    </FormModal>
  )
}

/** Teams (门店, 客服中心, 采购, 食品安全, 法务…): members, lead, weekly hours. */
export const TeamsTab = () => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { can } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const { data: teams, error, refetch } = useApiQuery('/api/v1/service/teams')
  const staffList = useApiQuery('/api/v1/staff', undefined, { enabled: can('staff.read') }).data ?? []
  const staff = staffList.filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: `${s.displayName}（${s.username}）` }))
  const [editing, setEditing] = useState<Team | 'new' | null>(null)
  const [adding, setAdding] = useState<Record<string, string | undefined>>({})
  const dayName = (d: Day) => t(`days.${d}`)

  const addMember = async (team: Team) => {
    const userId = adding[team.id]
    if (!userId) return
    try {
      await call(api.POST('/api/v1/service/teams/{id}/members', { params: { path: { id: team.id } }, body: { userId } }))
      setAdding((a) => ({ ...a, [team.id]: undefined }))
    } catch (err) {
      message.error(errorText(err))
    }
  }
  const removeMember = async (team: Team, userId: string) => {
    try {
      await call(api.DELETE('/api/v1/service/teams/{id}/members/{userId}', { params: { path: { id: team.id, userId } } }))
    } catch (err) {
      message.error(errorText(err))
    }
  }

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="team-add">{t('settings.teams.add')}</Button>
      </Flex>
      <Table<Team>
        size="small" rowKey="id" pagination={false} loading={!teams} dataSource={teams ?? []} data-testid="teams-table"
        columns={[
          { key: 'name', title: t('settings.teams.name'), render: (_, r) => <Typography.Link onClick={() => setEditing(r)}>{r.name}</Typography.Link> },
          { key: 'kind', title: t('settings.teams.kind'), render: (_, r) => t(`teamKinds.${r.kind}`) },
          { key: 'store', title: t('settings.teams.store'), render: (_, r) => r.storeName ?? '—' },
          { key: 'lead', title: t('settings.teams.lead'), render: (_, r) => r.leadName ?? '—' },
          {
            key: 'members', title: t('settings.teams.members'),
            render: (_, r) => (
              <Space wrap size={4}>
                {r.members.map((m) => (
                  <Popconfirm key={m.userId} title={t('settings.teams.removeMember')} onConfirm={() => void removeMember(r, m.userId)}>
                    <Tag closable onClose={(e) => e.preventDefault()}>{m.name ?? m.userId}</Tag>
                  </Popconfirm>
                ))}
                {staff.length > 0 && (
                  <Space.Compact size="small">
                    <Select
                      size="small" showSearch optionFilterProp="label" style={{ width: 160 }} placeholder={t('settings.teams.addMember')} value={adding[r.id]}
                      onChange={(v) => setAdding((a) => ({ ...a, [r.id]: v }))} options={staff.filter((s) => !r.members.some((m) => m.userId === s.value))}
                      data-testid={`team-member-select-${r.id}`}
                    />
                    <Button size="small" icon={<PlusOutlined />} disabled={!adding[r.id]} onClick={() => void addMember(r)} data-testid={`team-member-add-${r.id}`} />
                  </Space.Compact>
                )}
              </Space>
            ),
          },
          { key: 'hours', title: t('settings.teams.hours'), render: (_, r) => (r.workingHours ? weeklyHoursSummary(r.workingHours, dayName) || '—' : <Typography.Text type="secondary">{t('settings.teams.hoursDefault')}</Typography.Text>) },
          { key: 'active', title: t('settings.teams.status'), render: (_, r) => (r.active ? <Tag color="green">{t('settings.teams.active')}</Tag> : <Tag>{t('settings.teams.inactive')}</Tag>) },
        ]}
      />
      {editing && <TeamModal team={editing === 'new' ? null : editing} staff={staff} onClose={() => setEditing(null)} />}
    </>
  )
}

