import { Alert, Card, Segmented, Space, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { errorMessage } from '../../../components/errors.js'
import type { Channel } from '../marketing-words.js'

type Preview = Awaited<ReturnType<typeof previewOf>>

const previewOf = (body: { templateId: string; couponTemplateId: string | null }) =>
  call(api.POST('/api/v1/marketing/templates/preview', { body: { ...body, memberId: null } }))

/**
 * What a member would read from a send step, on each of its channels: the chosen template filled
 * with sample values and the coupon an earlier step gives (its name and value; the code is made
 * when it is given).
 */
export const SendPreview = ({ step, channels, templateIds, couponTemplateId, couponName }: {
  step: number; channels: readonly Channel[]; templateIds: Partial<Record<Channel, string>>; couponTemplateId: string | null; couponName: string | null
}) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys.form' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tv } = useTranslation('marketing', { keyPrefix: 'templates.variables' })
  const { t: tc } = useTranslation()
  const [picked, setPicked] = useState<Channel | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const withTemplate = channels.filter((c) => templateIds[c])
  const channel = picked && withTemplate.includes(picked) ? picked : withTemplate[0] ?? null
  const templateId = channel ? templateIds[channel]! : null
  useEffect(() => {
    if (!templateId) {
      setPreview(null)
      setProblem(null)
      return
    }
    let current = true
    const timer = setTimeout(() => {
      previewOf({ templateId, couponTemplateId })
        .then((p) => { if (current) { setPreview(p); setProblem(null) } })
        .catch((e: unknown) => { if (current) setProblem(errorMessage(tc, e)) })
    }, 200)
    return () => { current = false; clearTimeout(timer) }
  }, [templateId, couponTemplateId, tc])
  return (
    <Card size="small" title={t('preview')} data-testid={`journey-preview-${step}`}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {withTemplate.length > 1 && (
          <Segmented<Channel> value={channel ?? undefined} onChange={setPicked} options={withTemplate.map((c) => ({ value: c, label: tw(`channels.${c}`) }))} />
        )}
        {problem && <Alert type="warning" showIcon title={problem} />}
        {!preview && !problem && <Typography.Text type="secondary">{t('previewNone')}</Typography.Text>}
        {preview && templateId && (
          <>
            <div style={{ background: '#f0f2f5', borderRadius: 12, padding: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid={`journey-preview-text-${step}`}>
              {preview.subject && <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>{preview.subject}</Typography.Text>}
              {preview.text}
            </div>
            {preview.length !== null && <Typography.Text type="secondary">{t('previewLength', { length: preview.length, segments: preview.segments ?? 0 })}</Typography.Text>}
            {preview.missing.length > 0 && <Typography.Text type="secondary">{t('previewMissing', { names: preview.missing.map((v) => tv(v)).join('、') })}</Typography.Text>}
            {preview.samples.length > 0 && <Typography.Text type="secondary">{t('previewSamples')}</Typography.Text>}
            {couponName && preview.variables.some((v) => v.startsWith('coupon')) && <Typography.Text type="secondary">{t('previewCoupon', { coupon: couponName })}</Typography.Text>}
          </>
        )}
      </Space>
    </Card>
  )
}
