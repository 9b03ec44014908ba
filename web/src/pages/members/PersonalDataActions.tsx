import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Checkbox, Form, Input, Modal, Popconfirm, Space, Typography, type ButtonProps } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiMutation, useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import type { Member } from '../../shared/member-options.js'

/**
 * A person's rights over their data (PIPL), on their member page: download everything held on
 * them (a zip of JSON and CSV), and ask for their erasure — which runs after the chain's
 * cooling-off days and can be withdrawn until then.
 */
export const PersonalDataActions = ({ member }: { member: Member }) => {
  const { t } = useTranslation('members')
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [form] = Form.useForm<{ reason?: string; confirmed: boolean }>()
  const [open, setOpen] = useState(false)
  const settings = useApiQuery('/api/v1/privacy/settings', {}, { enabled: open })
  // The same read as the pending notice's: while a request waits, it is withdrawn there, not asked again.
  const pending = useApiQuery('/api/v1/privacy/erasure-requests', { params: { query: { memberId: member.id, status: 'pending' } } })
  const ask = useApiMutation('post', '/api/v1/members/{id}/erasure-requests')
  const days = settings.data?.coolingOffDays

  const submit = async ({ reason }: { reason?: string }) => {
    try {
      const r = await ask.mutateAsync({ params: { path: { id: member.id } }, body: { reason: reason?.trim() || null } })
      void message.success(r.status === 'done' ? t('privacy.erasedNow') : t('privacy.requested'))
      setOpen(false)
    } catch (err) {
      void message.error(errorText(err))
    }
  }

  return (
    <>
      <Button icon={<DownloadOutlined />} href={`/api/v1/members/${member.id}/personal-data.zip`} download data-testid="member-personal-data">{t('privacy.export')}</Button>
      {pending.data?.items.length === 0 && <Button danger icon={<DeleteOutlined />} onClick={() => { form.resetFields(); setOpen(true) }} data-testid="member-erase">{t('privacy.erase')}</Button>}
      <Modal
        title={t('privacy.eraseTitle')} open={open} onCancel={() => setOpen(false)} destroyOnHidden
        okText={t('privacy.eraseConfirm')} okButtonProps={{ danger: true, loading: ask.isPending, 'data-testid': 'erase-confirm' } as ButtonProps} onOk={() => form.submit()}
      >
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Alert type="warning" showIcon title={t('privacy.eraseWarning')} description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              <li>{t('privacy.eraseWhat')}</li>
              <li>{t('privacy.eraseKept')}</li>
              <li>{t('privacy.eraseForfeit')}</li>
              <li>{days === undefined ? '…' : days === 0 ? t('privacy.eraseAtOnce') : t('privacy.eraseCoolingOff', { days })}</li>
            </ul>
          } />
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
            <Form.Item name="reason" label={t('privacy.reason')}>
              <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('privacy.reasonPlaceholder')} data-testid="erase-reason" />
            </Form.Item>
            <Form.Item name="confirmed" valuePropName="checked" rules={[{ validator: (_r, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('privacy.confirmRequired')))) }]}>
              <Checkbox data-testid="erase-confirmed">{t('privacy.confirmIdentity')}</Checkbox>
            </Form.Item>
          </Form>
        </Space>
      </Modal>
    </>
  )
}

/** A pending erasure of this member: when it runs, who asked, and a way to withdraw it. */
export const PendingErasureNotice = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('members')
  const { chain } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { data } = useApiQuery('/api/v1/privacy/erasure-requests', { params: { query: { memberId, status: 'pending' } } })
  const cancel = useApiMutation('post', '/api/v1/privacy/erasure-requests/{id}/cancel')
  const pending = data?.items[0]
  if (!pending) return null
  return (
    <Alert
      type="error" showIcon style={{ marginTop: 16 }} data-testid="member-erasure-pending"
      title={t('privacy.pending', { due: formatDateTime(pending.dueAt, tz) })}
      description={<Typography.Text type="secondary">{t('privacy.pendingBy', { who: pending.requestedBy ?? '—', at: formatDateTime(pending.requestedAt, tz) })}{pending.reason ? ` · ${pending.reason}` : ''}</Typography.Text>}
      action={
        <Popconfirm title={t('privacy.withdrawConfirm')} onConfirm={async () => {
          try {
            await cancel.mutateAsync({ params: { path: { id: pending.id } } })
            void message.success(t('privacy.withdrawn'))
          } catch (err) {
            void message.error(errorText(err))
          }
        }}>
          <Button size="small" data-testid="erasure-withdraw">{t('privacy.withdraw')}</Button>
        </Popconfirm>
      }
    />
  )
}
