import { App, Button, Popconfirm, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { errorMessage } from '../../components/errors.js'
import type { CouponTemplate, TemplateStatus } from './types.js'

/** Pause, resume or archive a template (for those who manage rewards). */
export const TemplateStatusActions = ({ template, onChanged, size = 'small' }: {
  template: CouponTemplate
  onChanged?: (t: CouponTemplate) => void
  size?: 'small' | 'middle'
}) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [busy, setBusy] = useState<TemplateStatus | null>(null)

  const change = async (status: TemplateStatus) => {
    setBusy(status)
    try {
      const saved = await call(api.POST('/api/v1/coupon-templates/{id}/status', { params: { path: { id: template.id } }, body: { status } }))
      void message.success(t(status === 'active' ? 'templates.resumed' : status === 'paused' ? 'templates.paused' : 'templates.archived'))
      onChanged?.(saved)

    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(null)
    }
  }

  if (template.status === 'archived') return null
  const link = size === 'small'
  return (
    <Space size={link ? 0 : 8}>
      {template.status === 'active' && (
        <Button type={link ? 'link' : 'default'} size={size} loading={busy === 'paused'} onClick={() => void change('paused')} data-testid={`template-pause-${template.id}`}>{t('templates.pause')}</Button>
      )}
      {template.status === 'paused' && (
        <Button type={link ? 'link' : 'default'} size={size} loading={busy === 'active'} onClick={() => void change('active')} data-testid={`template-resume-${template.id}`}>{t('templates.resume')}</Button>
      )}
      <Popconfirm
        title={t('templates.archiveConfirm', { name: template.name })}
        description={<div style={{ maxWidth: 300 }}>{t('templates.archiveHint')}</div>}
        okText={t('templates.archive')} okButtonProps={{ danger: true }}
        onConfirm={() => change('archived')}
      >
        <Button type={link ? 'link' : 'default'} size={size} danger loading={busy === 'archived'} data-testid={`template-archive-${template.id}`}>{t('templates.archive')}</Button>
      </Popconfirm>
    </Space>
  )
}
