import { App, Form, Input, InputNumber } from 'antd'
import { useTranslation } from 'react-i18next'
import { apiKey, useApiMutation } from '../../api/query.js'
import { FormModal } from '../../components/FormModal.js'

interface AdjustValues {
  points: number
  reason: string
}

/** Goodwill or a correction: points added (positive) or taken away (negative), always with a reason. */
export const AdjustPointsModal = ({ memberId, open, onClose, onAdjusted }: { memberId: string; open: boolean; onClose(): void; onAdjusted(): void }) => {
  const { t } = useTranslation('members', { keyPrefix: 'loyalty' })
  const { message } = App.useApp()
  const [form] = Form.useForm<AdjustValues>()
  const member = { params: { path: { id: memberId } } }
  const adjust = useApiMutation('post', '/api/v1/members/{id}/points/adjustments', {
    invalidates: [apiKey('/api/v1/members/{id}/points', member), apiKey('/api/v1/members/{id}/points/lots', member), apiKey('/api/v1/members/{id}/points/entries', member)],
  })

  const submit = async (values: AdjustValues) => {
    const entry = await adjust.mutateAsync({ ...member, body: { points: values.points, reason: values.reason.trim() } })
    void message.success(t('adjust.done', { balance: entry.balanceAfter }))
    onAdjusted()
  }


  return (
    <FormModal<AdjustValues>
      open={open} title={t('adjust.title')} form={form} name="adjust-points" onClose={onClose} onSubmit={submit}
      submitLabel={t('adjust.submit')} submitTestId="adjust-points-submit" formTestId="adjust-points-form"
    >
      <Form.Item
        name="points" label={t('adjust.points')} extra={t('adjust.pointsHint')}
        rules={[
          { required: true, message: t('adjust.pointsRequired') },
          { validator: (_, v: number | null) => (v === 0 ? Promise.reject(new Error(t('adjust.pointsRequired'))) : Promise.resolve()) },
        ]}
      >
        <InputNumber precision={0} min={-10_000_000} max={10_000_000} style={{ width: 200 }} data-testid="adjust-points" />
      </Form.Item>
      <Form.Item name="reason" label={t('adjust.reason')} rules={[{ required: true, whitespace: true, min: 2, max: 200, message: t('adjust.reasonRequired') }]}>
        <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('adjust.reasonPlaceholder')} data-testid="adjust-reason" />
      </Form.Item>
    </FormModal>
  )
}
