import { UploadOutlined } from '@ant-design/icons'
import { App, Breadcrumb, Button, Card, Col, Descriptions, Flex, Image, Row, Skeleton, Space, Tag, Tooltip, Typography, Upload } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { api, call } from '../../../api/client.js'
import { apiKey, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { ReceiptRef } from '../../../components/ReceiptRef.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime, formatMoney } from '../../../format.js'
import { useErrorText } from '../../../hooks/use-error-text.js'
import { categoryLabel, compensationAllowance, takenBy, MAX_PHOTO_MB, MAX_PHOTOS, photoProblem } from './ticket-format.js'
import { AssignModal, CloseModal, CompensationModal, FollowUpModal, NoteModal, ReopenModal, ReplyModal, ResolveModal, type ModalKind } from './TicketModals.js'
import { Countdown, SeverityTag, StatusTag } from './TicketTags.js'
import { TicketTimeline, type Names } from './TicketTimeline.js'
import type { TicketDetail } from './types.js'
import { useDesk } from './use-desk.js'
import { useNow } from './use-now.js'
import { photoUrl, uploadTicketPhoto } from './upload-photo.js'

const OPEN = ['new', 'assigned', 'in_progress']

const Deadline = ({ label, dueAt, doneAt, doneText, now, soonMs, testId }: { label: string; dueAt: string | null; doneAt: string | null; doneText: string; now: number; soonMs: number; testId: string }) => {
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <Typography.Text>{formatDateTime(dueAt, tz)}</Typography.Text>
      <Countdown dueAt={dueAt} doneAt={doneAt} now={now} soonMs={soonMs} testId={testId} />
      {doneAt && <Typography.Text type="secondary">{doneText}</Typography.Text>}
    </Space>
  )
}

const TicketView = ({ ticket }: { ticket: TicketDetail }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { user, can, chain } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const queryClient = useQueryClient()
  const desk = useDesk()
  const now = useNow()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [modal, setModal] = useState<ModalKind | null>(null)
  const [busy, setBusy] = useState<'take' | 'start' | 'photo' | null>(null)

  const reload = () => queryClient.invalidateQueries({ queryKey: apiKey('/api/v1/tickets/{id}', { params: { path: { id: ticket.id } } }) })
  const done = (text: string) => {
    setModal(null)
    message.success(text)
    void reload()
  }
  const act = async (kind: 'take' | 'start') => {
    setBusy(kind)
    try {
      if (kind === 'take') await call(api.POST('/api/v1/tickets/{id}/take', { params: { path: { id: ticket.id } } }))
      else await call(api.POST('/api/v1/tickets/{id}/start', { params: { path: { id: ticket.id } }, body: { status: 'in_progress', version: ticket.version } }))
      void reload()
    } catch (err) {
      message.error(takenBy(err) ? t('takeConflict', { name: takenBy(err) }) : errorText(err))
    } finally {
      setBusy(null)
    }
  }
  const upload = async (file: File) => {
    const problem = photoProblem(file)
    if (problem) {
      message.error(t(`photo.${problem}`, { mb: MAX_PHOTO_MB }))
      return
    }
    setBusy('photo')
    try {
      await uploadTicketPhoto(ticket.id, file)
      message.success(t('photo.uploaded'))
      void reload()
    } catch (err) {
      message.error(errorText(err))
    } finally {
      setBusy(null)
    }
  }

  const open = OPEN.includes(ticket.status)
  const people = new Map<string, string>()
  for (const team of desk.teams) {
    if (team.leadUserId && team.leadName) people.set(team.leadUserId, team.leadName)
    for (const m of team.members) if (m.name) people.set(m.userId, m.name)
  }
  if (ticket.assigneeId && ticket.assigneeName) people.set(ticket.assigneeId, ticket.assigneeName)
  if (ticket.escalatedUserId && ticket.escalatedUserName) people.set(ticket.escalatedUserId, ticket.escalatedUserName)
  const names: Names = {
    team: (id) => desk.teams.find((x) => x.id === id)?.name ?? (id === ticket.teamId ? ticket.teamName : null),
    person: (id) => people.get(id) ?? null,
    coupon: (id) => ticket.compensations.find((c) => c.id === id)?.couponTemplateName ?? null,
  }
  const handle = can('service.handle')
  const role = user?.role
  const allowance = compensationAllowance(desk.settings?.compensationLimits, role, ticket.compensations)
  const canCompensate = can('service.compensate') && !!ticket.memberId && ticket.status !== 'closed' && allowance !== null
    && (allowance.points === null || allowance.points > 0 || allowance.couponValue === null || allowance.couponValue > 0)
  const compensateWhyNot = !ticket.memberId ? t('compensation.noMember') : allowance === null ? t('compensation.notAllowed') : t('compensation.overLimit')
  const pendingFollowUp = ticket.followUps.find((f) => !f.doneAt)
  const customer: ReactNode = ticket.memberId
    ? <Link to={`/members/${ticket.memberId}`} data-testid="ticket-member">{ticket.memberName ?? ticket.memberCardNo ?? ticket.memberId}{ticket.memberCardNo ? ` · ${ticket.memberCardNo}` : ''}</Link>
    : <span data-testid="ticket-contact">{[ticket.contactNameFull ?? ticket.contactName, ticket.contactPhoneFull ?? ticket.contactPhone].filter(Boolean).join(' · ') || t('queue.anonymous')}</span>

  const actions: ReactNode[] = []
  if (handle && open && ticket.assigneeId !== user?.id) actions.push(<Button key="take" type="primary" loading={busy === 'take'} onClick={() => void act('take')} data-testid="ticket-take">{t('actions.take')}</Button>)
  if (handle && ticket.status === 'assigned' && ticket.assigneeId === user?.id) actions.push(<Button key="start" type="primary" loading={busy === 'start'} onClick={() => void act('start')} data-testid="ticket-start">{t('actions.start')}</Button>)
  if (handle && open) {
    actions.push(
      <Button key="assign" onClick={() => setModal('assign')} data-testid="ticket-assign">{ticket.assigneeId ? t('actions.reassign') : t('actions.assign')}</Button>,
      <Button key="reply" onClick={() => setModal('reply')} data-testid="ticket-reply">{t('actions.reply')}</Button>,
      <Button key="note" onClick={() => setModal('note')} data-testid="ticket-note">{t('actions.note')}</Button>,
      <Button key="resolve" type="primary" ghost onClick={() => setModal('resolve')} data-testid="ticket-resolve">{t('actions.resolve')}</Button>,
    )
  }
  if (can('service.compensate') && ticket.status !== 'closed') {
    actions.push(
      <Tooltip key="compensate" title={canCompensate ? undefined : compensateWhyNot}>
        <Button disabled={!canCompensate} onClick={() => setModal('compensate')} data-testid="ticket-compensate">{t('actions.compensate')}</Button>
      </Tooltip>,
    )
  }
  if (handle && ticket.status === 'resolved' && pendingFollowUp) actions.push(<Button key="followUp" type="primary" onClick={() => setModal('followUp')} data-testid="ticket-follow-up">{t('actions.followUp')}</Button>)
  if (handle && ticket.status === 'resolved') actions.push(<Button key="close" onClick={() => setModal('close')} data-testid="ticket-close">{t('actions.close')}</Button>)
  if (handle && !open) actions.push(<Button key="reopen" danger onClick={() => setModal('reopen')} data-testid="ticket-reopen">{t('actions.reopen')}</Button>)

  const escalation = ticket.escalationLevel > 0
    ? t('detail.escalatedTo', {
        level: ticket.escalationLevel,
        step: ticket.escalatedTo ? t(`escalationSteps.${ticket.escalatedTo}`) : '',
        who: ticket.escalatedUserName ? `（${ticket.escalatedUserName}）` : '',
      })
    : t('detail.notEscalated')

  return (
    <Flex vertical gap={16} data-testid="ticket-page">
      <Breadcrumb items={[{ title: <Link to="/service/tickets">{t('detail.backToList')}</Link> }, { title: ticket.ticketNo }]} />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <Space orientation="vertical" size={4}>
            <Space align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="ticket-no">{ticket.ticketNo}</Typography.Title>
              <StatusTag status={ticket.status} />
              <SeverityTag severity={ticket.severity} />
              <Tag>{t(`kinds.${ticket.kind}`)}</Tag>
              {ticket.escalationLevel > 0 && <Tag color="red" data-testid="ticket-escalation">{escalation}</Tag>}
            </Space>
            <Typography.Text type="secondary">{categoryLabel(ticket, desk.english)} · {ticket.storeName ?? ticket.storeId}</Typography.Text>
          </Space>
          <Space wrap data-testid="ticket-actions">{actions}</Space>
        </Flex>
        <Row gutter={[24, 16]} style={{ marginTop: 16 }}>
          <Col xs={24} lg={16}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
              <Descriptions.Item label={ticket.memberId ? t('detail.member') : t('detail.contact')}>{customer}</Descriptions.Item>
              <Descriptions.Item label={t('detail.store')}>{ticket.storeName ?? ticket.storeId}</Descriptions.Item>
              <Descriptions.Item label={t('detail.category')}>{categoryLabel(ticket, desk.english)}</Descriptions.Item>
              <Descriptions.Item label={t('detail.channel')}>{t(`channels.${ticket.channel}`)}</Descriptions.Item>
              <Descriptions.Item label={t('detail.preferredContact')}>{t(`contactPrefs.${ticket.preferredContact}`)}</Descriptions.Item>
              <Descriptions.Item label={t('detail.createdAt')}>{formatDateTime(ticket.createdAt, tz)}</Descriptions.Item>
              <Descriptions.Item label={t('detail.receipt')}>{ticket.receiptId ? <ReceiptRef receiptId={ticket.receiptId} /> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('detail.product')}>
                {ticket.productId ? (can('products.read') ? <Link to={`/products?q=${encodeURIComponent(ticket.productName ?? ticket.productId)}`}>{ticket.productName ?? ticket.productId}</Link> : ticket.productName ?? ticket.productId) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('detail.team')}><span data-testid="ticket-team">{ticket.teamName ?? t('queue.unassigned')}</span></Descriptions.Item>
              <Descriptions.Item label={t('detail.assignee')}><span data-testid="ticket-assignee">{ticket.assigneeName ?? '—'}</span></Descriptions.Item>
              <Descriptions.Item label={t('detail.escalation')}>{escalation}</Descriptions.Item>
              <Descriptions.Item label={t('detail.reopenCount')}>{ticket.reopenCount}</Descriptions.Item>
              <Descriptions.Item label={t('detail.description')} span={2}><Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="ticket-description">{ticket.description}</Typography.Paragraph></Descriptions.Item>
              {ticket.outcome && <Descriptions.Item label={t('detail.outcome')} span={2}><span data-testid="ticket-outcome">{ticket.outcome}</span></Descriptions.Item>}
            </Descriptions>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" title={t('detail.deadlines')}>
              <Flex gap={24} wrap>
                <Deadline
                  label={t('detail.firstResponseDue')} dueAt={ticket.firstResponseDueAt} doneAt={ticket.firstRespondedAt} now={now} soonMs={desk.soonMs} testId="ticket-first-response-countdown"
                  doneText={t('detail.respondedAt', { at: formatDateTime(ticket.firstRespondedAt, tz) })}
                />
                <Deadline
                  label={t('detail.resolutionDue')} dueAt={ticket.resolutionDueAt} doneAt={ticket.resolvedAt} now={now} soonMs={desk.soonMs} testId="ticket-resolution-countdown"
                  doneText={t('detail.resolvedAt', { at: formatDateTime(ticket.resolvedAt, tz) })}
                />
              </Flex>
            </Card>
          </Col>
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('detail.timeline')} data-testid="ticket-timeline">
            <TicketTimeline events={ticket.timeline} tz={tz} names={names} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Flex vertical gap={16}>
            <Card
              title={t('detail.followUps')} size="small" data-testid="ticket-follow-ups"
            >
              {ticket.followUps.length === 0
                ? <Typography.Text type="secondary">{t('detail.noFollowUp')}</Typography.Text>
                : ticket.followUps.map((f) => (
                    <div key={f.id} style={{ marginBottom: 8 }} data-testid="ticket-follow-up-row">
                      {f.doneAt
                        ? (f.reached
                            ? <Typography.Text>{t('followUp.result', { score: f.satisfaction ?? '—', comment: f.comment ?? '' })}</Typography.Text>
                            : <Typography.Text type="secondary">{t('followUp.notReached')}</Typography.Text>)
                        : <Tag color="gold">{t('followUp.open')}</Tag>}
                      <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                        {f.doneAt ? formatDateTime(f.doneAt, tz) : t('followUp.due', { at: formatDateTime(f.dueAt, tz) })}
                        {f.assigneeName ? ` · ${f.assigneeName}` : ''}
                      </Typography.Text>
                    </div>
                  ))}
            </Card>
            <Card title={t('detail.compensations')} size="small" data-testid="ticket-compensations">
              {desk.settings && allowance && can('service.compensate') && ticket.status !== 'closed' && (
                <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                  {t('compensation.remaining', {
                    points: allowance.points === null ? t('compensation.noLimit') : formatCount(allowance.points),
                    coupon: allowance.couponValue === null ? t('compensation.noLimit') : formatMoney(allowance.couponValue),
                  })}
                </Typography.Paragraph>
              )}
              {ticket.compensations.length === 0
                ? <Typography.Text type="secondary">{t('detail.noCompensation')}</Typography.Text>
                : ticket.compensations.map((c) => (
                    <div key={c.id} data-testid="ticket-compensation-row">
                      <Typography.Text strong>
                        {c.kind === 'points'
                          ? t('compensation.pointsShown', { points: formatCount(c.points ?? 0) })
                          : t('compensation.couponShown', { name: c.couponTemplateName ?? c.couponTemplateId ?? '', value: c.faceValue === null ? '—' : formatMoney(c.faceValue) })}
                      </Typography.Text>
                      <Tag style={{ marginInlineStart: 8 }} color={c.status === 'granted' ? 'green' : 'gold'}>{t(`compensation.${c.status}`)}</Tag>
                      <Typography.Text type="secondary">{formatDateTime(c.createdAt, tz)}</Typography.Text>
                    </div>
                  ))}
            </Card>
            <Card
              title={t('detail.photos')} size="small" data-testid="ticket-photos"
              extra={can('service.intake') && ticket.photos.length < MAX_PHOTOS && (
                <Upload accept="image/jpeg,image/png,image/webp,image/gif" showUploadList={false} beforeUpload={(file) => { void upload(file); return false }}>
                  <Button size="small" icon={<UploadOutlined />} loading={busy === 'photo'} data-testid="ticket-photo-upload">{t('actions.uploadPhoto')}</Button>
                </Upload>
              )}
            >
              {ticket.photos.length === 0
                ? <Typography.Text type="secondary">{t('detail.noPhotos')}</Typography.Text>
                : (
                    <Image.PreviewGroup>
                      <Space wrap>
                        {ticket.photos.map((p) => <Image key={p.id} width={88} height={88} style={{ objectFit: 'cover' }} src={photoUrl(ticket.id, p.id)} alt={t('photo.alt')} data-testid="ticket-photo" />)}
                      </Space>
                    </Image.PreviewGroup>
                  )}
            </Card>
          </Flex>
        </Col>
      </Row>
      {modal === 'assign' && <AssignModal ticket={ticket} teams={desk.teams} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'reply' && <ReplyModal ticket={ticket} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'note' && <NoteModal ticket={ticket} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'resolve' && <ResolveModal ticket={ticket} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'reopen' && <ReopenModal ticket={ticket} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'close' && <CloseModal ticket={ticket} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'followUp' && <FollowUpModal ticket={ticket} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'compensate' && allowance && <CompensationModal ticket={ticket} allowance={allowance} onClose={() => setModal(null)} onDone={done} />}
    </Flex>
  )
}

/** One ticket: its header, deadlines with live countdowns, the actions the role may take, the timeline, follow-up, compensation and photos. */
export const TicketPage = () => {
  const { id } = useParams()
  const { data, error, refetch } = useApiQuery('/api/v1/tickets/{id}', { params: { path: { id: id ?? '' } } }, { enabled: !!id })
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!data) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>
  return <TicketView key={data.id} ticket={data} />
}

export default TicketPage
