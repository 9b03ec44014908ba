import { LockOutlined, UnlockOutlined } from '@ant-design/icons'
import { App, Button, Form, Input, Modal, Popconfirm, type ButtonProps } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { showFieldErrors } from '../../components/errors.js'
import { localizeFieldErrors } from '../../components/field-errors.js'
import type { Member } from '../../shared/member-options.js'
import { useErrorText } from '../../hooks/use-error-text.js'

/** Freeze (with a reason, which the audit keeps) or unfreeze, by the member's current status. */
export const FreezeActions = ({ member, onChanged }: { member: Member; onChanged(m: Member): void }) => {
  const { t } = useTranslation('members')
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [form] = Form.useForm<{ reason: string }>()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)

  const freeze = async ({ reason }: { reason: string }) => {
    setBusy(true)
    try {
      onChanged(await call(api.POST('/api/v1/members/{id}/freeze', { params: { path: { id: member.id } }, body: { reason: reason.trim() } })))
      void message.success(t('freeze.done'))
      setOpen(false)
    } catch (err) {
      showFieldErrors(form, localizeFieldErrors(t, err))
      void message.error(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const unfreeze = async () => {
    try {
      onChanged(await call(api.POST('/api/v1/members/{id}/unfreeze', { params: { path: { id: member.id } } })))
      void message.success(t('freeze.unfrozen'))
    } catch (err) {
      void message.error(errorText(err))
    }
  }

  if (member.status === 'frozen') {
    return (
      <Popconfirm title={t('freeze.unfreezeConfirm')} onConfirm={unfreeze}>
        <Button icon={<UnlockOutlined />} data-testid="member-unfreeze">{t('freeze.unfreeze')}</Button>
      </Popconfirm>
    )
  }
  return (
    <>
      <Button danger icon={<LockOutlined />} onClick={() => { form.resetFields(); setOpen(true) }} data-testid="member-freeze">{t('freeze.button')}</Button>
      <Modal
        title={t('freeze.title')} open={open} onCancel={() => setOpen(false)} destroyOnHidden
        okText={t('freeze.confirm')} okButtonProps={{ danger: true, loading: busy, 'data-testid': 'freeze-confirm' } as ButtonProps} onOk={() => form.submit()}
      >
        <Form form={form} layout="vertical" onFinish={(v) => void freeze(v)}>
          <Form.Item name="reason" label={t('freeze.reason')} rules={[{ required: true, whitespace: true, message: t('freeze.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('freeze.reasonPlaceholder')} data-testid="freeze-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
