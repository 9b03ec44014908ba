import { App, Button, Descriptions, Drawer, Form, Input, Select, Skeleton, Tag, Typography } from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiMutation, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { clearServerErrors, reportFormError } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { CATEGORIES, STATUS_COLORS, STATUSES, type SuggestionCategory, type SuggestionStatus } from './suggestion-words.js'

interface TriageValues {
  status: SuggestionStatus
  category: SuggestionCategory
  reply?: string | null
  changeNote?: string | null
}

/** One suggestion: what the customer said, and (for those who handle them) its triage: status, reply, what changed. */
export const SuggestionDrawer = ({ id, onClose }: { id: string | null; onClose: () => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [form] = Form.useForm<TriageValues>()
  const status = Form.useWatch('status', form)
  const { data: s, error, refetch } = useApiQuery('/api/v1/suggestions/{id}', { params: { path: { id: id ?? '' } } }, { enabled: id !== null })
  const save = useApiMutation('patch', '/api/v1/suggestions/{id}')
  const handle = can('service.handle')

  useEffect(() => {
    if (s && s.id === id) form.setFieldsValue({ status: s.status, category: s.category, reply: s.reply, changeNote: s.changeNote })
  }, [s, id, form])

  const submit = async (v: TriageValues) => {
    try {
      await save.mutateAsync({
        params: { path: { id: id! } },
        body: { status: v.status, category: v.category, reply: v.reply?.trim() || null, ...(v.status === 'adopted' ? { changeNote: v.changeNote?.trim() || null } : {}) },
      })
      void message.success(t('suggestions.drawer.saved'))
    } catch (err) {
      reportFormError(form, err, tc, message)
    }
  }

  return (
    <Drawer open={id !== null} onClose={onClose} size={640} destroyOnHidden title={s && s.id === id ? t('suggestions.drawer.title', { number: s.number }) : ''} data-testid="suggestion-drawer">
      {error ? <ErrorResult error={error} onRetry={() => void refetch()} compact /> : !s || s.id !== id ? <Skeleton active /> : (
        <>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('suggestions.drawer.submitted')}>{formatDateTime(s.createdAt, tz)}</Descriptions.Item>
            <Descriptions.Item label={t('suggestions.drawer.customer')}>
              {s.memberId ? <Link to={`/members/${s.memberId}`}>{[s.memberCardNo, s.memberName].filter(Boolean).join(' · ')}</Link> : t('suggestions.anonymous')}
            </Descriptions.Item>
            {s.contact && <Descriptions.Item label={t('suggestions.drawer.contact')}>{s.contact}</Descriptions.Item>}
            <Descriptions.Item label={t('suggestions.drawer.store')}>{s.storeName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('suggestions.drawer.channel')}>{t(`channels.${s.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('suggestions.drawer.status')}><Tag color={STATUS_COLORS[s.status]} data-testid="suggestion-status">{t(`statuses.${s.status}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('suggestions.drawer.text')}><Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{s.text}</Typography.Paragraph></Descriptions.Item>
            {s.repliedAt && <Descriptions.Item label={t('suggestions.drawer.repliedAt')}>{formatDateTime(s.repliedAt, tz)}</Descriptions.Item>}
            {s.decidedAt && <Descriptions.Item label={t('suggestions.drawer.decidedAt')}>{formatDateTime(s.decidedAt, tz)}</Descriptions.Item>}
            {!handle && s.reply && <Descriptions.Item label={t('suggestions.drawer.reply')}>{s.reply}</Descriptions.Item>}
            {!handle && s.changeNote && <Descriptions.Item label={t('suggestions.drawer.changeNote')}>{s.changeNote}</Descriptions.Item>}
          </Descriptions>
          {s.handledByName && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('suggestions.drawer.handledBy', { name: s.handledByName, at: formatDateTime(s.updatedAt, tz) })}</Typography.Paragraph>
          )}
          {handle && (
            <Form form={form} layout="vertical" name="suggestion" style={{ marginTop: 16 }} onFinish={(v) => void submit(v)} onValuesChange={clearServerErrors(form)} data-testid="suggestion-triage">
              <Form.Item name="status" label={t('suggestions.drawer.status')} rules={[{ required: true }]}>
                <Select options={STATUSES.map((x) => ({ value: x, label: t(`statuses.${x}`) }))} data-testid="suggestion-status-select" />
              </Form.Item>
              <Form.Item name="category" label={t('suggestions.drawer.category')} rules={[{ required: true }]}>
                <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))} />
              </Form.Item>
              {status === 'adopted' && (
                <Form.Item
                  name="changeNote" label={t('suggestions.drawer.changeNote')} extra={t('suggestions.drawer.changeNoteHelp')}
                  rules={[{ required: true, whitespace: true, message: t('suggestions.drawer.changeNoteRequired') }]}
                >
                  <Input.TextArea rows={3} maxLength={2000} showCount data-testid="suggestion-change-note" />
                </Form.Item>
              )}
              <Form.Item name="reply" label={t('suggestions.drawer.reply')} extra={t('suggestions.drawer.replyHelp')}>
                <Input.TextArea rows={3} maxLength={2000} showCount data-testid="suggestion-reply" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="suggestion-save">{t('suggestions.drawer.save')}</Button>
            </Form>
          )}
        </>
      )}
    </Drawer>
  )
}
