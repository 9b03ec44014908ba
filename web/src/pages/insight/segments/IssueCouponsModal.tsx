import { Alert, Form, Modal, Radio, Select, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiMutation, useApiQuery, type MutationData } from '../../../api/query.js'
import { errorMessage } from '../../../components/errors.js'
import { formatCount } from '../../../format.js'

type Result = MutationData<'post', '/api/v1/insight/segments/{id}/coupons'>

/** 发券: issues an active coupon template to the segment now, or to one of its snapshots, through the bulk issue. */
export const IssueCouponsModal = ({ segmentId, open, onClose }: { segmentId: string; open: boolean; onClose: () => void }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'segments.issue' })
  const { t: tc } = useTranslation()
  const templates = useApiQuery('/api/v1/coupon-templates', { params: { query: { status: 'active' } } }, { enabled: open }).data ?? []
  const snapshots = useApiQuery('/api/v1/insight/segments/{id}/snapshots', { params: { path: { id: segmentId } } }, { enabled: open }).data ?? []
  const [templateId, setTemplateId] = useState<string | undefined>()
  const [source, setSource] = useState<string>('current')
  const [result, setResult] = useState<Result | null>(null)
  const [error, setError] = useState<unknown>(null)
  const issue = useApiMutation('post', '/api/v1/insight/segments/{id}/coupons')

  const run = async () => {
    if (!templateId) return
    setError(null)
    try {
      setResult(await issue.mutateAsync({
        params: { path: { id: segmentId } }, body: { templateId, ...(source !== 'current' ? { snapshotId: source } : {}) },
      }))
    } catch (err) {
      setError(err)
    }
  }

  return (
    <Modal
      open={open} title={t('title')} okText={t('run')} onOk={() => void run()} okButtonProps={{ disabled: !templateId, loading: issue.isPending, 'data-testid': 'issue-run' } as never}
      onCancel={() => { setResult(null); setError(null); onClose() }} destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('help')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('template')}>
          <Select value={templateId} onChange={setTemplateId} options={templates.map((x) => ({ value: x.id, label: x.name }))} showSearch={{ optionFilterProp: 'label' }} data-testid="issue-template" />
        </Form.Item>
        <Form.Item label={t('source')}>
          <Radio.Group value={source} onChange={(e) => setSource(String(e.target.value))} data-testid="issue-source">
            <Radio value="current">{t('current')}</Radio>
            {snapshots.slice(0, 5).map((s) => <Radio key={s.id} value={s.id}>{t('snapshot', { asOf: s.asOf, n: formatCount(s.memberCount) })}</Radio>)}
          </Radio.Group>
        </Form.Item>
      </Form>
      {result && (
        <Alert type="success" showIcon data-testid="issue-result"
          title={t('result', { issued: formatCount(result.issued), skipped: formatCount(result.skipped), failed: formatCount(result.failed) })} />
      )}
      {error !== null && <Alert type="error" showIcon title={errorMessage(tc, error)} data-testid="issue-error" />}
    </Modal>
  )
}
