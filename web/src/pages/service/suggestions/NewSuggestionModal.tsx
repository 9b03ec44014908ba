import { SearchOutlined } from '@ant-design/icons'
import { App, Button, Col, Form, Input, Row, Select, Space, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import { useSession } from '../../../auth/session.js'
import { FormModal } from '../../../components/FormModal.js'
import { useMemberFinder } from '../../../hooks/use-member-finder.js'
import { useStores } from '../../../hooks/use-stores.js'
import type { Member } from '../../../shared/member-options.js'
import { CATEGORIES, type Suggestion, type SuggestionCategory } from './suggestion-words.js'

interface Values {
  storeId?: string | null
  category: SuggestionCategory
  text: string
  contactName?: string | null
  contactPhone?: string | null
}

/** A suggestion taken at the desk: from a member (found by card or phone) or an anonymous customer with an optional contact. */
export const NewSuggestionModal = ({ onClose, onCreated }: { onClose: () => void; onCreated: (s: Suggestion) => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { user } = useSession()
  const { message } = App.useApp()
  const { stores } = useStores()
  const [form] = Form.useForm<Values>()
  const finder = useMemberFinder()
  const [key, setKey] = useState('')
  const [member, setMember] = useState<Member | null>(null)

  const submit = async (v: Values) => {
    const created = await call(api.POST('/api/v1/suggestions', {
      body: {
        category: v.category,
        text: v.text.trim(),
        storeId: v.storeId ?? null,
        channel: 'desk',
        ...(member ? { memberId: member.id } : { contactName: v.contactName?.trim() || null, contactPhone: v.contactPhone?.trim() || null }),
      },
    }))
    void message.success(t('suggestions.new.created', { number: created.number }))
    onCreated(created)
  }

  return (
    <FormModal<Values>
      open title={t('suggestions.new.title')} form={form} name="suggestion_new" onClose={onClose} onSubmit={submit} submitTestId="suggestion-new-submit" width={560}
      initialValues={{ storeId: user?.storeId ?? null, category: 'service' }}
    >
      <Form.Item label={t('suggestions.new.member')} help={finder.error ?? undefined} validateStatus={finder.error ? 'error' : undefined}>
        <Space.Compact style={{ width: '100%' }}>
          <Input value={key} onChange={(e) => { setKey(e.target.value); setMember(null) }} placeholder={t('suggestions.new.memberPlaceholder')} data-testid="suggestion-member-key" onPressEnter={(e) => { e.preventDefault(); void finder.find(key).then(setMember) }} />
          <Button loading={finder.busy} onClick={() => void finder.find(key).then(setMember)} data-testid="suggestion-member-find" icon={<SearchOutlined />} />
        </Space.Compact>
        {member && <Typography.Text type="success" data-testid="suggestion-member">{[member.cardNo, member.name].filter(Boolean).join(' · ')}</Typography.Text>}
      </Form.Item>
      {!member && (
        <Row gutter={12}>
          <Col span={12}><Form.Item name="contactName" label={t('suggestions.new.contactName')}><Input maxLength={40} /></Form.Item></Col>
          <Col span={12}><Form.Item name="contactPhone" label={t('suggestions.new.contactPhone')}><Input maxLength={20} /></Form.Item></Col>
          <Col span={24}><Typography.Text type="secondary" style={{ display: 'block', marginTop: -16, marginBottom: 16 }}>{t('suggestions.new.contactHelp')}</Typography.Text></Col>
        </Row>
      )}
      <Form.Item name="storeId" label={t('suggestions.new.store')}>
        <Select allowClear disabled={Boolean(user?.storeId)} showSearch={{ optionFilterProp: 'label' }} options={stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="suggestion-store" />
      </Form.Item>
      <Form.Item name="category" label={t('suggestions.new.category')} rules={[{ required: true }]}>
        <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))} data-testid="suggestion-category" />
      </Form.Item>
      <Form.Item name="text" label={t('suggestions.new.text')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount data-testid="suggestion-text" />
      </Form.Item>
    </FormModal>
  )
}
