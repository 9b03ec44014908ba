import { MergeCellsOutlined, SearchOutlined } from '@ant-design/icons'
import { Alert, App, Button, Descriptions, Empty, Input, Modal, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import type { Member } from '../../shared/member-options.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { useMemberFinder } from '../../hooks/use-member-finder.js'

type Preview = paths['/api/v1/members/merge-preview']['post']['responses']['200']['content']['application/json']

const MemberSummary = ({ member }: { member: Member }) => {
  const { t } = useTranslation('members')
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text strong>{member.cardNo}</Typography.Text>
      <Typography.Text>{member.name ?? t('noName')}</Typography.Text>
      <Typography.Text type="secondary">{member.phone ?? '—'}</Typography.Text>
    </Space>
  )
}

/**
 * Merge another record of the same person into this one: find it by phone or card, show what
 * the server says would move (nothing changes yet), then merge on confirmation.
 */
export const MergeModal = ({ member, onMerged }: { member: Member; onMerged(): void }) => {
  const { t } = useTranslation('members')
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const finder = useMemberFinder()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const [reason, setReason] = useState('')
  const [preview, setPreview] = useState<Preview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const start = () => {
    setQuery('')
    setReason('')
    setPreview(null)
    setError(null)
    finder.clear()
    setOpen(true)
  }

  const find = async () => {
    setError(null)
    setPreview(null)
    const other = await finder.find(query)
    if (!other) return
    setBusy(true)
    try {
      setPreview(await call(api.POST('/api/v1/members/merge-preview', { body: { survivorId: member.id, mergedId: other.id } })))
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const merge = async () => {
    if (!preview) return
    setBusy(true)
    try {
      const result = await call(api.POST('/api/v1/members/merge', { body: { survivorId: member.id, mergedId: preview.merged.id, reason: reason.trim() || undefined } }))
      void message.success(t('merge.done', { cardNo: result.summary.retiredCardNo }))
      setOpen(false)
      onMerged()
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const moves = preview ? Object.entries(preview.moves) : []
  return (
    <>
      <Button icon={<MergeCellsOutlined />} onClick={start} data-testid="member-merge">{t('merge.button')}</Button>
      <Modal
        title={t('merge.title')} open={open} width={720} onCancel={() => setOpen(false)} destroyOnHidden
        footer={[
          <Button key="cancel" onClick={() => setOpen(false)}>{tc('actions.cancel')}</Button>,
          <Button key="merge" type="primary" danger disabled={!preview} loading={busy && Boolean(preview)} onClick={() => void merge()} data-testid="merge-confirm">
            {t('merge.confirm')}
          </Button>,
        ]}
      >
        <Typography.Paragraph>{t('merge.intro', { cardNo: member.cardNo })}</Typography.Paragraph>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            value={query} placeholder={t('merge.query')} data-testid="merge-query" allowClear
            onChange={(e) => setQuery(e.target.value)} onPressEnter={() => void find()}
          />
          <Button icon={<SearchOutlined />} loading={finder.busy || (busy && !preview)} onClick={() => void find()} data-testid="merge-lookup">{t('merge.lookup')}</Button>
        </Space.Compact>
        {(finder.error ?? error) && <Alert type="error" showIcon title={finder.error ?? error} style={{ marginTop: 16 }} data-testid="merge-error" />}
        {preview && (
          <div data-testid="merge-preview" style={{ marginTop: 16 }}>
            <Descriptions
              bordered size="small" column={1} title={t('merge.previewTitle')}
              items={[
                { key: 'survivor', label: t('merge.survivor'), children: <MemberSummary member={preview.survivor} /> },
                { key: 'merged', label: t('merge.merged'), children: <MemberSummary member={preview.merged} /> },
                {
                  key: 'filled', label: t('merge.fieldsFilled'),
                  children: preview.fieldsFilled.length
                    ? preview.fieldsFilled.map((f) => <Tag key={f}>{t(`fields.${f}` as never, { defaultValue: f }) as string}</Tag>)
                    : t('merge.noFieldsFilled'),
                },
                {
                  key: 'moves', label: t('merge.moves'),
                  children: moves.length
                    ? moves.map(([kind, n]) => <div key={kind}>{t(`merge.moveKinds.${kind}` as never, { defaultValue: kind }) as string}: {n}</div>)
                    : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />,
                },
              ]}
            />
            <Alert type="warning" showIcon style={{ marginTop: 16 }} title={t('merge.retiredCard', { cardNo: preview.retiredCardNo })} data-testid="merge-retired-card" />
            <Input.TextArea
              rows={2} maxLength={200} value={reason} placeholder={t('merge.reason')} style={{ marginTop: 16 }}
              onChange={(e) => setReason(e.target.value)} data-testid="merge-reason"
            />
          </div>
        )}
      </Modal>
    </>
  )
}
