import { App, Card, Skeleton, Switch, Table, Tag, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { consentSource } from '../../shared/consent-source.js'
import { CONSENT_CHANNELS, type ConsentChannel, type Member } from '../../shared/member-options.js'
import { useErrorText } from '../../hooks/use-error-text.js'


/** Consent per channel, switchable by roles that may record it, and every change ever made. */
export const ConsentsPanel = ({ member, onChanged }: { member: Member; onChanged(m: Member): void }) => {
  const { t } = useTranslation('members')
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [saving, setSaving] = useState<ConsentChannel | null>(null)
  const { data: history, error, refetch } = useApiQuery('/api/v1/members/{id}/consents/history', { params: { path: { id: member.id } } })
  const editable = can('members.consent') && member.status !== 'merged'

  const change = async (channel: ConsentChannel, granted: boolean) => {
    setSaving(channel)
    try {
      onChanged(await call(api.PUT('/api/v1/members/{id}/consents/{channel}', { params: { path: { id: member.id, channel } }, body: { granted } })))
      void message.success(t('consents.saved', { channel: t(`consentChannels.${channel}`) }))
    } catch (err) {
      void message.error(errorText(err))
    } finally {
      setSaving(null)
    }
  }

  const current = CONSENT_CHANNELS.map((channel) => ({ channel, state: member.consents.find((c) => c.channel === channel) }))
  const currentColumns: TableColumnsType<(typeof current)[number]> = [
    { title: t('consents.channel'), dataIndex: 'channel', render: (c: ConsentChannel) => t(`consentChannels.${c}`) },
    {
      title: t('consents.state'), key: 'state',
      render: (_, { channel, state }) => (
        <Switch
          checked={state?.granted ?? false} disabled={!editable} loading={saving === channel} data-testid={`consent-${channel}`}
          checkedChildren={t('consents.granted')} unCheckedChildren={state ? t('consents.withdrawn') : t('consents.notRecorded')}
          onChange={(granted) => void change(channel, granted)}
        />
      ),
    },
    { title: t('consents.source'), key: 'source', render: (_, { state }) => (state ? consentSource(t, tc, state.source) : '—') },
    { title: t('consents.changedAt'), key: 'changedAt', render: (_, { state }) => formatDateTime(state?.changedAt, tz) },
  ]
  const historyColumns: TableColumnsType<NonNullable<typeof history>[number]> = [
    { title: t('consents.changedAt'), dataIndex: 'changedAt', render: (at: string) => formatDateTime(at, tz) },
    { title: t('consents.channel'), dataIndex: 'channel', render: (c: ConsentChannel) => t(`consentChannels.${c}`) },
    { title: t('consents.state'), dataIndex: 'granted', render: (g: boolean) => <Tag color={g ? 'green' : 'default'}>{g ? t('consents.granted') : t('consents.withdrawn')}</Tag> },
    { title: t('consents.source'), dataIndex: 'source', render: (s: string) => consentSource(t, tc, s) },
  ]

  return (
    <>
      <Card variant="borderless" title={t('consents.current')}>
        <Table rowKey="channel" size="small" pagination={false} columns={currentColumns} dataSource={current} data-testid="consents-current" />
      </Card>
      <Card variant="borderless" title={t('consents.history')}>
        {error
          ? <ErrorResult error={error} onRetry={() => void refetch()} compact />

          : !history
            ? <Skeleton active />
            : <Table rowKey={(h) => `${h.changedAt}-${h.channel}-${String(h.granted)}`} size="small" columns={historyColumns} dataSource={history} pagination={{ pageSize: 10, hideOnSinglePage: true }} data-testid="consents-history" />}
      </Card>
    </>
  )
}
