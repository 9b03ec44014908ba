import { Alert, Form, Input, InputNumber, Radio, Rate, Select, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { FormModal } from '../../../components/FormModal.js'
import { formatCount, formatMoney } from '../../../format.js'
import { newRequestKey } from '../../../shared/request-key.js'
import { MAX_REOPENS } from './ticket-format.js'
import { REPLY_CHANNELS, type Team, type TicketDetail } from './types.js'

export type ModalKind = 'assign' | 'reply' | 'note' | 'resolve' | 'reopen' | 'close' | 'compensate' | 'followUp'

interface Props {
  ticket: TicketDetail
  onClose: () => void
  /** After a change: a message and the ticket read again. */
  onDone: (text: string) => void
}

type ReplyChannel = (typeof REPLY_CHANNELS)[number]

/** Give the ticket to a team and a person; a reassignment needs a reason. */
export const AssignModal = ({ ticket, teams, onClose, onDone }: Props & { teams: Team[] }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [form] = Form.useForm<{ teamId: string; assigneeId?: string | null; reason?: string }>()
  const teamId = Form.useWatch('teamId', form) ?? ticket.teamId ?? undefined
  const assigneeId = Form.useWatch('assigneeId', form) ?? null
  const team = teams.find((x) => x.id === teamId)
  // As the server has it: routing a new ticket, or giving its team's ticket to a person, needs no
  // reason; moving it away from a team or a person does.
  const reassigning = (!!ticket.teamId && teamId !== ticket.teamId) || (!!ticket.assigneeId && assigneeId !== ticket.assigneeId)
  return (
    <FormModal
      open title={ticket.assigneeId ? t('actions.reassign') : t('assign.title')} form={form} name="ticket-assign" onClose={onClose} submitTestId="assign-submit"
      initialValues={{ teamId: ticket.teamId ?? undefined, assigneeId: ticket.assigneeId ?? null }}
      onSubmit={async (v) => {
        await call(api.POST('/api/v1/tickets/{id}/assign', { params: { path: { id: ticket.id } }, body: { teamId: v.teamId, assigneeId: v.assigneeId ?? null, reason: v.reason?.trim() || null } }))
        onDone(t('assign.done'))
      }}
    >
      <Form.Item name="teamId" label={t('assign.team')} rules={[{ required: true }]}>
        <Select
          showSearch optionFilterProp="label" data-testid="assign-team"
          onChange={() => form.setFieldValue('assigneeId', null)}
          options={teams.filter((x) => x.active).map((x) => ({ value: x.id, label: x.storeName ? `${x.name}（${x.storeName}）` : x.name }))}
        />
      </Form.Item>
      <Form.Item name="assigneeId" label={t('assign.assignee')}>
        <Select
          data-testid="assign-person"
          options={[{ value: null as unknown as string, label: t('assign.assigneeNone') }, ...(team?.members ?? []).map((m) => ({ value: m.userId, label: m.name ?? m.userId }))]}
        />
      </Form.Item>
      {reassigning && (
        <Form.Item name="reason" label={t('assign.reason')} rules={[{ required: true, whitespace: true, message: t('assign.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={300} data-testid="assign-reason" />
        </Form.Item>
      )}
    </FormModal>
  )
}

/** What the customer was told, and how: recorded on the timeline, apart from internal notes. */
export const ReplyModal = ({ ticket, onClose, onDone }: Props) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [form] = Form.useForm<{ body: string; channel: ReplyChannel }>()
  const preferred = REPLY_CHANNELS.find((c) => c === ticket.preferredContact) ?? 'phone'
  return (
    <FormModal
      open title={t('reply.title')} form={form} name="ticket-reply" onClose={onClose} submitTestId="reply-submit" initialValues={{ channel: preferred }}
      onSubmit={async (v) => {
        await call(api.POST('/api/v1/tickets/{id}/replies', { params: { path: { id: ticket.id } }, body: { body: v.body.trim(), channel: v.channel } }))
        onDone(t('reply.done'))
      }}
    >
      <Typography.Paragraph type="secondary">{t('reply.hint')}</Typography.Paragraph>
      <Form.Item name="channel" label={t('reply.channel')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" options={REPLY_CHANNELS.map((c) => ({ value: c, label: t(`replyChannels.${c}`) }))} data-testid="reply-channel" />
      </Form.Item>
      <Form.Item name="body" label={t('reply.body')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount autoFocus data-testid="reply-body" />
      </Form.Item>
    </FormModal>
  )
}

/** An internal note: never shown to the customer. */
export const NoteModal = ({ ticket, onClose, onDone }: Props) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [form] = Form.useForm<{ body: string }>()
  return (
    <FormModal
      open title={t('note.title')} form={form} name="ticket-note" onClose={onClose} submitTestId="note-submit"
      onSubmit={async (v) => {
        await call(api.POST('/api/v1/tickets/{id}/notes', { params: { path: { id: ticket.id } }, body: { body: v.body.trim() } }))
        onDone(t('note.done'))
      }}
    >
      <Form.Item name="body" label={t('note.body')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount autoFocus data-testid="note-body" />
      </Form.Item>
    </FormModal>
  )
}

export const ResolveModal = ({ ticket, onClose, onDone }: Props) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [form] = Form.useForm<{ outcome: string; reply?: string; replyChannel: ReplyChannel }>()
  const preferred = REPLY_CHANNELS.find((c) => c === ticket.preferredContact) ?? 'phone'
  return (
    <FormModal
      open title={t('resolve.title')} form={form} name="ticket-resolve" onClose={onClose} submitTestId="resolve-submit" initialValues={{ replyChannel: preferred }}
      onSubmit={async (v) => {
        const reply = v.reply?.trim() || null
        await call(api.POST('/api/v1/tickets/{id}/resolve', { params: { path: { id: ticket.id } }, body: { outcome: v.outcome.trim(), reply, ...(reply ? { replyChannel: v.replyChannel } : {}) } }))
        onDone(t('resolve.done'))
      }}
    >
      <Form.Item name="outcome" label={t('resolve.outcome')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={3} maxLength={1000} showCount autoFocus data-testid="resolve-outcome" />
      </Form.Item>
      <Form.Item name="reply" label={t('resolve.reply')}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="resolve-reply" />
      </Form.Item>
      <Form.Item name="replyChannel" label={t('resolve.replyChannel')}>
        <Radio.Group optionType="button" options={REPLY_CHANNELS.map((c) => ({ value: c, label: t(`replyChannels.${c}`) }))} />
      </Form.Item>
    </FormModal>
  )
}

export const ReopenModal = ({ ticket, onClose, onDone }: Props) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [form] = Form.useForm<{ reason: string }>()
  return (
    <FormModal
      open title={t('reopen.title')} form={form} name="ticket-reopen" onClose={onClose} submitTestId="reopen-submit"
      onSubmit={async (v) => {
        await call(api.POST('/api/v1/tickets/{id}/reopen', { params: { path: { id: ticket.id } }, body: { reason: v.reason.trim() } }))
        onDone(t('reopen.done'))
      }}
    >
      <Form.Item name="reason" label={t('reopen.reason')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={3} maxLength={300} autoFocus data-testid="reopen-reason" />
      </Form.Item>
    </FormModal>
  )
}

export const CloseModal = ({ ticket, onClose, onDone }: Props) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [form] = Form.useForm<{ reason?: string }>()
  return (
    <FormModal
      open title={t('close.title')} form={form} name="ticket-close" onClose={onClose} submitTestId="close-submit"
      onSubmit={async (v) => {
        await call(api.POST('/api/v1/tickets/{id}/close', { params: { path: { id: ticket.id } }, body: { reason: v.reason?.trim() || null } }))
        onDone(t('close.done'))
      }}
    >
      <Typography.Paragraph>{t('close.confirm')}</Typography.Paragraph>
      <Form.Item name="reason" label={t('close.reason')}>
        <Input.TextArea rows={2} maxLength={300} data-testid="close-reason" />
      </Form.Item>
    </FormModal>
  )
}

/**
 * Goodwill points or a coupon, within what the role may still grant on this ticket. The request
 * key is made once when the form opens: a double click sends it twice and the server grants once.
 */
export const CompensationModal = ({ ticket, allowance, onClose, onDone }: Props & { allowance: { points: number | null; couponValue: number | null } }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [form] = Form.useForm<{ kind: 'points' | 'coupon'; points?: number; couponTemplateId?: string; note?: string }>()
  const [requestKey] = useState(newRequestKey)
  const kind = Form.useWatch('kind', form) ?? 'points'
  const templates = useApiQuery('/api/v1/coupon-templates', { params: { query: { status: 'active' } } }, { enabled: kind === 'coupon' }).data
  const options = useMemo(() => (templates ?? []).map((x) => {
    // As the server weighs it: a money-off coupon by its value, others by their cap; one with
    // neither cannot be weighed against a limit, so only a role without one may give it.
    const value = x.kind === 'amount' || x.kind === 'threshold' ? x.value : x.maxDiscount
    const over = allowance.couponValue !== null && (value === null || value > allowance.couponValue)
    return { value: x.id, label: value === null ? x.name : `${x.name}（${formatMoney(value)}）`, disabled: over }
  }), [templates, allowance.couponValue])
  const unlimited = t('compensation.noLimit')
  return (
    <FormModal
      open title={t('compensation.title')} form={form} name="ticket-compensation" onClose={onClose} submitTestId="compensation-submit" initialValues={{ kind: 'points' }}
      onSubmit={async (v) => {
        await call(api.POST('/api/v1/tickets/{id}/compensations', {
          params: { path: { id: ticket.id } },
          body: v.kind === 'points'
            ? { kind: 'points', points: v.points, requestKey, note: v.note?.trim() || null }
            : { kind: 'coupon', couponTemplateId: v.couponTemplateId, requestKey, note: v.note?.trim() || null },
        }))
        onDone(t('compensation.done'))
      }}
    >
      <Alert
        type="info" showIcon style={{ marginBottom: 16 }} data-testid="compensation-remaining"
        title={t('compensation.remaining', {
          points: allowance.points === null ? unlimited : formatCount(allowance.points),
          coupon: allowance.couponValue === null ? unlimited : formatMoney(allowance.couponValue),
        })}
      />
      <Form.Item name="kind" label={t('compensation.kind')}>
        <Radio.Group optionType="button" options={(['points', 'coupon'] as const).map((k) => ({ value: k, label: t(`compensation.kinds.${k}`) }))} data-testid="compensation-kind" />
      </Form.Item>
      {kind === 'points'
        ? (
            <Form.Item
              name="points" label={t('compensation.points')}
              rules={[
                { required: true },
                { validator: async (_, value: number | undefined) => { if (value && allowance.points !== null && value > allowance.points) throw new Error(t('compensation.overLimit')) } },
              ]}
            >
              <InputNumber min={1} max={allowance.points ?? 1_000_000} precision={0} style={{ width: 200 }} autoFocus data-testid="compensation-points" />
            </Form.Item>
          )
        : (
            <Form.Item name="couponTemplateId" label={t('compensation.coupon')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" options={options} loading={!templates} data-testid="compensation-coupon" />
            </Form.Item>
          )}
      <Form.Item name="note" label={t('compensation.note')}>
        <Input maxLength={200} data-testid="compensation-note" />
      </Form.Item>
    </FormModal>
  )
}

/** The follow-up call: reached or not, satisfaction 1–5, the customer's comment; 1–2 reopens (at most twice). */
export const FollowUpModal = ({ ticket, onClose, onDone }: Props) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [form] = Form.useForm<{ reached: boolean; satisfaction?: number; comment?: string }>()
  const reached = Form.useWatch('reached', form) ?? true
  const reopensLeft = Math.max(0, MAX_REOPENS - ticket.reopenCount)
  return (
    <FormModal
      open title={t('followUp.title')} form={form} name="ticket-follow-up" onClose={onClose} submitTestId="follow-up-submit" initialValues={{ reached: true }}
      onSubmit={async (v) => {
        await call(api.POST('/api/v1/tickets/{id}/follow-up', {
          params: { path: { id: ticket.id } },
          body: { reached: v.reached, satisfaction: v.reached ? v.satisfaction ?? null : null, comment: v.comment?.trim() || null },
        }))
        onDone(t('followUp.done'))
      }}
    >
      <Form.Item name="reached" label={t('followUp.reached')}>
        <Radio.Group optionType="button" options={[{ value: true, label: t('followUp.reachedYes') }, { value: false, label: t('followUp.reachedNo') }]} data-testid="follow-up-reached" />
      </Form.Item>
      {reached && (
        <>
          <Form.Item name="satisfaction" label={t('followUp.satisfaction')} rules={[{ required: true }]} extra={reopensLeft > 0 ? `${t('followUp.reopensWarning')}（${t('followUp.reopensLeft', { count: reopensLeft })}）` : t('followUp.noReopens')}>
            <Rate count={5} data-testid="follow-up-satisfaction" />
          </Form.Item>
          <Form.Item name="comment" label={t('followUp.comment')}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="follow-up-comment" />
          </Form.Item>
        </>
      )}
    </FormModal>
  )
}
