import { Alert, Button, Card, Flex, Input, Segmented, Space, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { errorMessage } from '../../../components/errors.js'
import { useMemberFinder } from '../../../hooks/use-member-finder.js'
import type { Channel } from '../marketing-words.js'

type Preview = Awaited<ReturnType<typeof previewOf>>

const previewOf = (body: { templateId: string; memberId: string | null; couponTemplateId: string | null }) =>
  call(api.POST('/api/v1/marketing/templates/preview', { body }))

/**
 * What a member would get from the campaign on each of its channels: the chosen template filled
 * (for a member found by card or phone, or with sample values) with the coupon chosen.
 */
export const MessagePreview = ({ channels, templateIds, couponTemplateId }: {
  channels: readonly Channel[]; templateIds: Partial<Record<Channel, string>>; couponTemplateId: string | null
}) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.form' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tc } = useTranslation()
  const finder = useMemberFinder()
  const [query, setQuery] = useState('')
  const [member, setMember] = useState<{ id: string; cardNo: string } | null>(null)
  const [picked, setPicked] = useState<Channel | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const withTemplate = channels.filter((c) => templateIds[c])
  const channel = picked && withTemplate.includes(picked) ? picked : withTemplate[0] ?? null
  const templateId = channel ? templateIds[channel]! : null
  useEffect(() => {
    if (!templateId) {
      setPreview(null)
      return
    }
    let current = true
    const timer = setTimeout(() => {
      previewOf({ templateId, memberId: member?.id ?? null, couponTemplateId })
        .then((p) => { if (current) { setPreview(p); setProblem(null) } })
        .catch((e: unknown) => { if (current) setProblem(errorMessage(tc, e)) })
    }, 200)
    return () => { current = false; clearTimeout(timer) }
  }, [templateId, member, couponTemplateId, tc])
  const find = () => void finder.find(query).then((m) => m && setMember({ id: m.id, cardNo: m.cardNo }))
  return (
    <Card size="small" title={t('preview')} data-testid="campaign-preview">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {withTemplate.length > 1 && (
          <Segmented<Channel> value={channel ?? undefined} onChange={setPicked} options={withTemplate.map((c) => ({ value: c, label: tw(`channels.${c}`) }))} data-testid="campaign-preview-channel" />
        )}
        {member ? (
          <Flex gap={8} align="center">
            <Typography.Text>{member.cardNo}</Typography.Text>
            <Button size="small" onClick={() => setMember(null)}>{t('previewClear')}</Button>
          </Flex>
        ) : (
          <Space.Compact style={{ width: '100%' }}>
            <Input value={query} placeholder={t('previewMember')} onChange={(e) => setQuery(e.target.value)} onPressEnter={(e) => { e.preventDefault(); find() }} data-testid="campaign-preview-member" />
            <Button loading={finder.busy} onClick={find}>{t('previewFind')}</Button>
          </Space.Compact>
        )}
        {finder.error && <Typography.Text type="danger">{finder.error}</Typography.Text>}
        {problem && <Alert type="warning" showIcon title={problem} />}
        {!preview && !problem && <Typography.Text type="secondary">{t('previewNone')}</Typography.Text>}
        {preview && templateId && (
          <>
            <div style={{ background: '#f0f2f5', borderRadius: 12, padding: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="campaign-preview-text">
              {preview.subject && <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>{preview.subject}</Typography.Text>}
              {preview.text}
            </div>
            {preview.length !== null && <Typography.Text type="secondary">{t('previewLength', { length: preview.length, segments: preview.segments ?? 0 })}</Typography.Text>}
            {!member && <Typography.Text type="secondary">{t('previewSamples')}</Typography.Text>}
            {member && preview.variables.includes('memberName') && <Typography.Text type="secondary">{t('previewMasked')}</Typography.Text>}
          </>
        )}
      </Space>
    </Card>
  )
}
