import { CloseOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Flex, Form, Input, List, Radio, Select, Space, TreeSelect, Typography, Upload, type UploadFile } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { api, call } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { reportFormError, clearServerErrors } from '../../../components/errors.js'
import { ReceiptRef } from '../../../components/ReceiptRef.js'
import { useErrorText } from '../../../hooks/use-error-text.js'
import { useMemberFinder } from '../../../hooks/use-member-finder.js'
import { useStores } from '../../../hooks/use-stores.js'
import type { Member } from '../../../shared/member-options.js'
import { MAX_PHOTO_MB, MAX_PHOTOS, photoProblem } from './ticket-format.js'
import { CHANNELS, CONTACT_PREFS, SEVERITIES, type Severity } from './types.js'
import { useDesk } from './use-desk.js'
import { uploadTicketPhoto } from './upload-photo.js'

interface Values {
  kind: 'complaint' | 'request'
  contactName?: string
  contactPhone?: string
  storeId?: string
  categoryId: string
  severity: Severity
  channel: (typeof CHANNELS)[number]
  description: string
  productId?: string
  preferredContact: (typeof CONTACT_PREFS)[number]
  teamId?: string
}

/** Finds the member by phone, card or name (several of one name to choose from), or shows the one chosen. */
const MemberPicker = ({ member, onChange }: { member: Member | null; onChange: (m: Member | null) => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { search, error, busy, clear } = useMemberFinder()
  const [query, setQuery] = useState('')
  const [choices, setChoices] = useState<Member[]>([])
  if (member) {
    return (
      <Flex align="center" gap={8} data-testid="new-ticket-member">
        <Typography.Text strong>{t('form.memberFound', { name: member.name ?? '—', cardNo: member.cardNo })}</Typography.Text>
        <Button size="small" type="text" icon={<CloseOutlined />} onClick={() => onChange(null)} aria-label="clear" data-testid="new-ticket-member-clear" />
      </Flex>
    )
  }
  const find = async () => {
    setChoices([])
    const found = await search(query)
    if (found?.length === 1) onChange(found[0]!)
    else if (found) setChoices(found)
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
        <Input
          allowClear value={query} placeholder={t('form.memberSearch')} data-testid="new-ticket-member-search"
          onChange={(e) => { setQuery(e.target.value); setChoices([]); clear() }}
          onPressEnter={(e) => { e.preventDefault(); void find() }}
        />
        <Button icon={<SearchOutlined />} loading={busy} onClick={() => void find()} data-testid="new-ticket-member-find" />
      </Space.Compact>
      {error && <Alert type="warning" showIcon title={error} />}
      {choices.length > 0 && (
        <List
          size="small" bordered dataSource={choices} style={{ maxWidth: 420 }}
          renderItem={(m) => <List.Item style={{ cursor: 'pointer' }} onClick={() => onChange(m)}>{t('form.memberFound', { name: m.name ?? '—', cardNo: m.cardNo })}</List.Item>}
        />
      )}
    </Space>
  )
}

/** Products found by name or SKU as the desk types (for the product concerned). */
const ProductSelect = ({ value, onChange }: { value?: string; onChange?: (v: string | undefined) => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const [q, setQ] = useState('')
  const { data } = useApiQuery('/api/v1/products', { params: { query: { q, limit: 10 } } }, { enabled: q.trim().length > 0 })
  return (
    <Select
      showSearch allowClear filterOption={false} value={value} onChange={onChange} onSearch={setQ} placeholder={t('form.productPlaceholder')} data-testid="new-ticket-product"
      options={(data?.items ?? []).map((p) => ({ value: p.id, label: `${p.sku} ${p.name}` }))}
    />
  )
}

/**
 * 登记投诉: a member (or an anonymous contact), the store, category, severity, channel, what
 * happened, the receipt and product concerned, how to reach them, photos. Opened from the queue,
 * a member's page (?memberId=) or a receipt (?memberId=&receiptId=&storeId=).
 */
export const NewTicketPage = () => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { t: tc } = useTranslation()
  const { user, can } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const { stores } = useStores()
  const desk = useDesk({ settings: false })
  const [form] = Form.useForm<Values>()
  const [anonymous, setAnonymous] = useState(false)
  // undefined until staff pick or clear one: the member the page was opened for (?memberId=) until then.
  const [picked, setMember] = useState<Member | null | undefined>(undefined)
  const [memberMissing, setMemberMissing] = useState(false)
  const [photos, setPhotos] = useState<UploadFile[]>([])
  const [busy, setBusy] = useState(false)
  const receiptId = params.get('receiptId') || null
  const givenMemberId = params.get('memberId') || null
  const fixedStore = user?.storeId ?? null

  const given = useApiQuery('/api/v1/members/{id}', { params: { path: { id: givenMemberId ?? '' } } }, { enabled: !!givenMemberId && can('members.read') }).data
  const member = picked === undefined ? given ?? null : picked

  const storeId = Form.useWatch('storeId', form)
  const storeTeams = desk.teams.filter((x) => x.active && (!x.storeId || x.storeId === (storeId ?? fixedStore)))

  const submit = async (v: Values) => {
    if (!anonymous && !member) {
      setMemberMissing(true)
      return
    }
    setBusy(true)
    try {
      const created = await call(api.POST('/api/v1/tickets', {
        body: {
          kind: v.kind,
          memberId: anonymous ? null : member?.id ?? null,
          contactName: anonymous ? v.contactName?.trim() || null : null,
          contactPhone: anonymous ? v.contactPhone?.trim() || null : null,
          storeId: fixedStore ?? v.storeId ?? null,
          categoryId: v.categoryId,
          severity: v.severity,
          channel: v.channel,
          description: v.description.trim(),
          receiptId,
          productId: v.productId ?? null,
          preferredContact: v.preferredContact,
          teamId: v.teamId ?? null,
        },
      }))
      for (const p of photos) {
        if (!p.originFileObj) continue
        try {
          await uploadTicketPhoto(created.id, p.originFileObj)
        } catch (err) {
          message.warning(t('form.photoFailed', { name: p.name, reason: errorText(err) }))
        }
      }
      message.success(t('form.created', { ticketNo: created.ticketNo }))
      if (can('service.read')) {
        await navigate(`/service/tickets/${created.id}`)
      } else {
        // A cashier logs complaints for the desk without reading tickets: the form is ready for the next one.
        form.resetFields()
        setPhotos([])
        setMember(null)
      }
    } catch (err) {
      reportFormError(form, err, tc, message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card title={t('newTitle')} data-testid="new-ticket">
      <Form<Values>
        form={form} layout="vertical" name="new-ticket" style={{ maxWidth: 760 }} onFinish={(v) => void submit(v)} onValuesChange={clearServerErrors(form)}
        initialValues={{ kind: 'complaint', severity: 'normal', channel: 'desk', preferredContact: 'phone', storeId: fixedStore ?? params.get('storeId') ?? undefined }}
      >
        <Form.Item label={t('form.customer')} required validateStatus={memberMissing && !anonymous && !member ? 'error' : undefined} help={memberMissing && !anonymous && !member ? t('form.memberRequired') : undefined}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Radio.Group
              optionType="button" value={anonymous ? 'anonymous' : 'member'} onChange={(e) => setAnonymous(e.target.value === 'anonymous')} data-testid="new-ticket-who"
              options={[{ value: 'member', label: t('form.isMember') }, { value: 'anonymous', label: t('form.isAnonymous') }]}
            />
            {!anonymous && <MemberPicker member={member} onChange={(m) => { setMember(m); setMemberMissing(false) }} />}
          </Space>
        </Form.Item>
        {anonymous && (
          <Flex gap={16} wrap>
            <Form.Item name="contactName" label={t('form.contactName')} style={{ flex: '1 1 240px' }}>
              <Input maxLength={40} data-testid="new-ticket-contact-name" />
            </Form.Item>
            <Form.Item name="contactPhone" label={t('form.contactPhone')} style={{ flex: '1 1 240px' }}>
              <Input maxLength={20} inputMode="tel" data-testid="new-ticket-contact-phone" />
            </Form.Item>
          </Flex>
        )}
        <Form.Item name="kind" label={t('form.kind')}>
          <Radio.Group optionType="button" options={(['complaint', 'request'] as const).map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="storeId" label={t('form.store')} rules={[{ required: true }]} style={{ flex: '1 1 240px' }}>
            <Select
              showSearch optionFilterProp="label" disabled={!!fixedStore} data-testid="new-ticket-store"
              options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            />
          </Form.Item>
          <Form.Item name="categoryId" label={t('form.category')} rules={[{ required: true }]} style={{ flex: '1 1 240px' }}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={desk.tree} data-testid="new-ticket-category" />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item name="severity" label={t('form.severity')} style={{ flex: '1 1 240px' }}>
            <Radio.Group optionType="button" options={SEVERITIES.map((s) => ({ value: s, label: t(`severities.${s}`) }))} data-testid="new-ticket-severity" />
          </Form.Item>
          <Form.Item name="channel" label={t('form.channel')} style={{ flex: '1 1 240px' }}>
            <Radio.Group optionType="button" options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} data-testid="new-ticket-channel" />
          </Form.Item>
        </Flex>
        <Form.Item name="description" label={t('form.description')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('form.descriptionPlaceholder')} data-testid="new-ticket-description" />
        </Form.Item>
        <Flex gap={16} wrap>
          {receiptId && (
            <Form.Item label={t('form.receiptId')} style={{ flex: '1 1 240px' }}>
              <span data-testid="new-ticket-receipt"><ReceiptRef receiptId={receiptId} /></span>
            </Form.Item>
          )}
          {can('products.read') && (
            <Form.Item name="productId" label={t('form.productId')} style={{ flex: '1 1 240px' }}>
              <ProductSelect />
            </Form.Item>
          )}
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item name="preferredContact" label={t('form.preferredContact')} style={{ flex: '1 1 240px' }}>
            <Select options={CONTACT_PREFS.map((c) => ({ value: c, label: t(`contactPrefs.${c}`) }))} data-testid="new-ticket-preferred-contact" />
          </Form.Item>
          {can('service.read') && (
            <Form.Item name="teamId" label={t('form.team')} style={{ flex: '1 1 240px' }}>
              <Select allowClear placeholder={t('form.teamDefault')} options={storeTeams.map((x) => ({ value: x.id, label: x.name }))} data-testid="new-ticket-team" />
            </Form.Item>
          )}
        </Flex>
        <Form.Item label={t('form.photos')} extra={t('form.photosHint', { mb: MAX_PHOTO_MB, count: MAX_PHOTOS })}>
          <Upload
            accept="image/jpeg,image/png,image/webp,image/gif" listType="picture" multiple fileList={photos}
            beforeUpload={(file) => {
              const problem = photoProblem(file)
              if (problem) message.error(t(`photo.${problem}`, { mb: MAX_PHOTO_MB }))
              else if (photos.length >= MAX_PHOTOS) message.error(t('photo.tooMany', { count: MAX_PHOTOS }))
              else setPhotos((list) => [...list, { uid: file.uid, name: file.name, status: 'done', originFileObj: file, type: file.type, size: file.size }])
              return Upload.LIST_IGNORE
            }}
            onRemove={(file) => setPhotos((list) => list.filter((p) => p.uid !== file.uid))}
          >
            <Button icon={<UploadOutlined />} data-testid="new-ticket-photos">{t('actions.uploadPhoto')}</Button>
          </Upload>
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="new-ticket-submit">{t('form.submit')}</Button>
          <Button onClick={() => void navigate(-1)}>{tc('actions.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  )
}

export default NewTicketPage
