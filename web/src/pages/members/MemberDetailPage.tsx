import { EditOutlined } from '@ant-design/icons'
import { Alert, Breadcrumb, Button, Card, Flex, Skeleton, Space, Tabs, Typography } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { apiKey, useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { AuditTrail } from './AuditTrail.js'
import { ConsentsPanel } from './ConsentsPanel.js'
import { EditMemberDrawer } from './EditMemberDrawer.js'
import { FreezeActions } from './FreezeActions.js'
import { loyaltyTabs } from './loyalty-tabs.js'
import type { Member } from '../../shared/member-options.js'
import { MemberProfile, type Revealed } from './MemberProfile.js'
import { MemberInsightTab, MemberInsightTabLabel } from './MemberInsightTab.js'
import { MemberMessagesTab, MemberMessagesTabLabel } from './MemberMessagesTab.js'
import { MemberJourneysTab, MemberJourneysTabLabel } from './MemberJourneysTab.js'
import { MemberEventsTab, MemberEventsTabLabel } from './MemberEventsTab.js'
import { MergedNotice } from './MergedNotice.js'
import { MergeModal } from './MergeModal.js'
import { PendingErasureNotice, PersonalDataActions } from './PersonalDataActions.js'
import { MemberStatusTag } from '../../components/MemberStatusTag.js'
import { MemberServiceTabLabel, MemberTickets } from '../service/tickets/MemberTickets.js'
import { MemberFeedback } from '../service/surveys/MemberFeedback.js'

const MemberDetail = ({ id }: { id: string }) => {
  const { t } = useTranslation('members')
  const { can } = useSession()
  const queryClient = useQueryClient()
  const read = { params: { path: { id } } }
  const { data: member, error, refetch } = useApiQuery('/api/v1/members/{id}', read)
  const [revealed, setRevealed] = useState<Revealed | null>(null)
  const [editing, setEditing] = useState(false)
  const load = () => void refetch()

  // A change answers with the member at once (the consent history and audit trail, on screen,
  // load again by themselves); it comes without the store and clerk names, which only reads carry.
  const changed = (updated: Member) => {
    queryClient.setQueryData<Member>(apiKey('/api/v1/members/{id}', read), (prev) => ({
      ...updated,
      registrationStoreName: updated.registrationStoreName ?? prev?.registrationStoreName ?? null,
      registeredByName: updated.registeredByName ?? prev?.registeredByName ?? null,
    }))
  }

  if (error) return <ErrorResult error={error} onRetry={load} />
  if (!member) return <Card><Skeleton active avatar paragraph={{ rows: 8 }} /></Card>

  const live = member.status !== 'merged' && member.status !== 'erased'
  const tabs = [
    { key: 'profile', label: t('detail.profile'), children: <MemberProfile member={member} revealed={revealed} onRevealed={setRevealed} /> },
    { key: 'insight', label: <MemberInsightTabLabel />, children: <MemberInsightTab memberId={member.id} /> },
    ...loyaltyTabs(member, can),
    { key: 'consents', label: t('detail.consents'), children: <ConsentsPanel member={member} onChanged={changed} /> },
    ...(can('service.read') ? [{
      key: 'service', label: <MemberServiceTabLabel />,
      children: (
        <Flex vertical gap={16}>
          <MemberTickets memberId={member.id} />
          <MemberFeedback memberId={member.id} />
        </Flex>
      ),
    }] : []),
    ...(can('marketing.read') ? [{ key: 'messages', label: <MemberMessagesTabLabel />, children: <MemberMessagesTab memberId={member.id} /> }] : []),
    ...(can('marketing.read') ? [{ key: 'journeys', label: <MemberJourneysTabLabel />, children: <MemberJourneysTab memberId={member.id} /> }] : []),
    ...(can('marketing.read') || can('events.register') ? [{ key: 'events', label: <MemberEventsTabLabel />, children: <MemberEventsTab memberId={member.id} /> }] : []),
    ...(can('members.audit') ? [{ key: 'audit', label: t('detail.audit'), children: <AuditTrail memberId={member.id} /> }] : []),

  ]

  return (
    <Flex vertical gap={16} data-testid="member-detail">
      <Breadcrumb items={[{ title: <Link to="/members">{t('detail.backToList')}</Link> }, { title: member.cardNo }]} />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <Space orientation="vertical" size={4}>
            <Space align="center">
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="member-title">{(revealed ? revealed.name : member.name) ?? t('noName')}</Typography.Title>
              <MemberStatusTag status={member.status} />
            </Space>
            <Typography.Text type="secondary">
              {t('fields.cardNo')}: <Typography.Text copyable data-testid="member-card-no">{member.cardNo}</Typography.Text>
            </Typography.Text>
          </Space>
          {live && (
            <Space wrap>
              {can('members.update') && <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="member-edit">{t('edit.button')}</Button>}
              {can('members.freeze') && <FreezeActions member={member} onChanged={changed} />}
              {can('members.merge') && <MergeModal member={member} onMerged={() => { setRevealed(null); load() }} />}
              {can('members.privacy') && <PersonalDataActions member={member} />}
            </Space>
          )}
        </Flex>
        {member.status === 'frozen' && member.statusReason && (
          <Alert type="warning" showIcon style={{ marginTop: 16 }} title={t('detail.frozenReason', { reason: member.statusReason })} data-testid="member-frozen-reason" />
        )}
        {live && can('members.privacy') && <PendingErasureNotice memberId={member.id} />}
        {member.status === 'merged' && member.mergedIntoId && <div style={{ marginTop: 16 }}><MergedNotice survivorId={member.mergedIntoId} /></div>}
      </Card>
      <Card styles={{ body: { paddingTop: 8 } }}>
        <Tabs items={tabs} data-testid="member-tabs" />
      </Card>
      {editing && (
        <EditMemberDrawer
          member={member} revealed={revealed} onClose={() => setEditing(false)}
          onSaved={(m) => { changed(m); setRevealed(null); setEditing(false) }}
        />
      )}
    </Flex>
  )
}

/** Keyed by id, so following a link to another member (a merge's survivor) starts afresh. */
export const MemberDetailPage = () => {
  const { id } = useParams()
  return id ? <MemberDetail key={id} id={id} /> : null
}

export default MemberDetailPage
