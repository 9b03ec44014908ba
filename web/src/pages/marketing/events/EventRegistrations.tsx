import { CheckCircleOutlined, UserAddOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Col, Flex, Input, List, Popconfirm, Row, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../../api/client.js'
import { useApiPages } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { useMemberFinder } from '../../../hooks/use-member-finder.js'
import type { Member } from '../../../shared/member-options.js'
import { REGISTRATION_COLORS, REGISTRATION_STATUSES, type MemberEvent, type Registration, type RegistrationStatus } from './event-form.js'

/**
 * A desk box: finds the member from what staff type (phone, card, name) and does `act` for them;
 * several members of one name are listed to choose from.
 */
const MemberBox = ({ title, icon, placeholder, button, testId, disabled, act }: {
  title: string; icon: React.ReactNode; placeholder: string; button: string; testId: string; disabled?: boolean; act: (m: Member) => Promise<void>
}) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events.registrations' })
  const finder = useMemberFinder()
  const [query, setQuery] = useState('')
  const [busy, setBusy] = useState(false)
  const [choices, setChoices] = useState<Member[]>([])
  const run = async (m: Member) => {
    setBusy(true)
    try {
      await act(m)
      setQuery('')
      setChoices([])
    } finally {
      setBusy(false)
    }
  }
  const go = async () => {
    setChoices([])
    const found = await finder.search(query)
    if (found?.length === 1) await run(found[0]!)
    else if (found) setChoices(found)
  }
  return (
    <Card size="small" title={<Space>{icon}{title}</Space>} style={{ height: '100%' }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          allowClear value={query} placeholder={placeholder} disabled={disabled} data-testid={`${testId}-input`}
          onChange={(e) => { setQuery(e.target.value); setChoices([]); finder.clear() }} onPressEnter={() => void go()}
        />
        <Button type="primary" loading={busy || finder.busy} disabled={disabled || !query.trim()} onClick={() => void go()} data-testid={`${testId}-button`}>{button}</Button>
      </Space.Compact>
      {finder.error && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={finder.error} data-testid={`${testId}-error`} />}
      {choices.length > 0 && (
        <List
          size="small" bordered style={{ marginTop: 8 }} header={t('chooseOne', { count: choices.length })} dataSource={choices}
          renderItem={(m) => (
            <List.Item key={m.id} actions={[<Button key="go" size="small" onClick={() => void run(m)}>{button}</Button>]}>
              <Space wrap>{m.name ?? t('noName')}<span>{m.phone ?? ''}</span><span>{m.cardNo}</span></Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  )
}

/** 报名与签到: register a member at the desk, check them in at the door, and every registration with its actions. */
export const EventRegistrations = ({ event, onChanged }: { event: MemberEvent; onChanged: () => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'events' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [status, setStatus] = useState<RegistrationStatus | 'all'>('all')
  const path = { path: { id: event.id } }
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/marketing/events/{id}/registrations', { params: { ...path, query: status === 'all' ? {} : { status } } })
  const desk = can('events.register')
  const live = event.status === 'open' || event.status === 'closed'
  const nameOf = (r: { name: string | null; cardNo: string | null }) => r.name ?? r.cardNo ?? t('registrations.noName')

  /** A desk action: its result in a message, a refusal in the user's language; the lists and the seats load again. */
  const act = async (fn: () => Promise<Registration>, done: (r: Registration) => string) => {
    try {
      const r = await fn()
      void message.success(done(r))
      onChanged()
    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }
  const register = (m: Member) => act(
    () => call(api.POST('/api/v1/marketing/events/{id}/registrations', { params: path, body: { memberId: m.id, channel: 'desk' } })),
    () => t('registrations.registered', { name: m.name ?? m.cardNo }),
  )
  const checkIn = (memberId: string, name: string) => act(
    () => call(api.POST('/api/v1/marketing/events/{id}/check-ins', { params: path, body: { memberId } })),
    () => t('registrations.checkedIn', { name }),
  )
  const cancel = (memberId: string) => act(
    () => call(api.POST('/api/v1/marketing/events/{id}/registrations/{memberId}/cancel', { params: { path: { id: event.id, memberId } }, body: {} })),
    () => t('registrations.cancelled'),
  )

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  const columns: TableColumnsType<Registration> = [
    { key: 'member', title: t('registrations.columns.member'), render: (_, r) => <Link to={`/members/${r.memberId}`}>{r.name ?? t('registrations.noName')}</Link> },
    { key: 'cardNo', title: t('registrations.columns.cardNo'), width: 170, render: (_, r) => r.cardNo ?? '—' },
    { key: 'channel', title: t('registrations.columns.channel'), width: 100, render: (_, r) => t(`channels.${r.channel}`) },
    { key: 'status', title: t('registrations.columns.status'), width: 90, render: (_, r) => <Tag color={REGISTRATION_COLORS[r.status]} data-testid="registration-status">{t(`registrationStatuses.${r.status}`)}</Tag> },
    { key: 'registeredAt', title: t('registrations.columns.registeredAt'), width: 140, render: (_, r) => formatDateTime(r.registeredAt, tz) },
    { key: 'checkedInAt', title: t('registrations.columns.checkedInAt'), width: 140, render: (_, r) => formatDateTime(r.checkedInAt, tz) },
    ...(desk ? [{
      key: 'actions', title: t('registrations.columns.actions'), width: 170,
      render: (_: unknown, r: Registration) => r.status === 'registered' && live && (
        <Space size={4}>
          <Button size="small" type="link" onClick={() => void checkIn(r.memberId, nameOf(r))} data-testid={`registration-check-in-${r.memberId}`}>{t('registrations.rowCheckIn')}</Button>
          <Popconfirm title={t('registrations.cancelConfirm')} onConfirm={() => cancel(r.memberId)} okButtonProps={{ 'data-testid': 'registration-cancel-confirm' } as never}>
            <Button size="small" type="link" danger data-testid={`registration-cancel-${r.memberId}`}>{t('registrations.rowCancel')}</Button>
          </Popconfirm>
        </Space>
      ),
    }] : []),
  ]
  return (
    <Flex vertical gap={16}>
      {desk && live && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <MemberBox
              title={t('registrations.register')} icon={<UserAddOutlined />} placeholder={t('registrations.registerPlaceholder')} button={t('registrations.registerButton')}
              testId="event-register" disabled={event.status !== 'open'} act={register}
            />
            {event.status !== 'open' && <Typography.Text type="secondary">{t('registrations.notOpen')}</Typography.Text>}
          </Col>
          <Col xs={24} lg={12}>
            <MemberBox
              title={t('registrations.checkIn')} icon={<CheckCircleOutlined />} placeholder={t('registrations.checkInPlaceholder')} button={t('registrations.checkInButton')}
              testId="event-check-in" act={(m) => checkIn(m.id, m.name ?? m.cardNo)}
            />
          </Col>
        </Row>
      )}
      <Segmented<RegistrationStatus | 'all'>
        value={status} onChange={setStatus} style={{ alignSelf: 'flex-start' }} data-testid="registrations-filter"
        options={[{ value: 'all', label: t('registrations.all') }, ...REGISTRATION_STATUSES.map((s) => ({ value: s, label: t(`registrationStatuses.${s}`) }))]}
      />
      <Table<Registration>
        rowKey="id" size="small" loading={items === null} dataSource={items ?? []} columns={columns} pagination={false}
        locale={{ emptyText: t('registrations.empty') }} scroll={{ x: 900 }} data-testid="registrations-table"
      />
      {nextCursor && <Flex justify="center"><Button loading={loadingMore} onClick={more}>{t('more')}</Button></Flex>}
    </Flex>
  )
}
