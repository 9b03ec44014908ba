import { PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Flex, Form, Input, Radio, Segmented, Select, Space, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, type Schemas } from '../../../api/client.js'
import { useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { FormModal } from '../../../components/FormModal.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { useMemberFinder } from '../../../hooks/use-member-finder.js'
import { CHANNEL_COLORS, CHANNELS, type Channel } from '../marketing-words.js'

type Template = Schemas['MessageTemplate']
type Purpose = Template['purpose']
type Preview = Awaited<ReturnType<typeof previewOf>>
type Lang = 'zh-CN' | 'en-US'

const VARIABLES = ['memberName', 'cardNo', 'pointsBalance', 'expiringPoints', 'expiringDate', 'tier', 'couponName', 'couponValue', 'couponCode', 'couponValidUntil', 'storeName', 'recommendation'] as const

interface Values {
  name: string
  channel: Channel
  purpose: Purpose
  subjectZh?: string
  subjectEn?: string
  bodyZh: string
  bodyEn?: string
  providerTemplateCode?: string
}

const previewOf = (body: { channel: Channel; purpose: Purpose; subject: string | null; body: string; lang: Lang; memberId: string | null; couponTemplateId: string | null }) => call(api.POST('/api/v1/marketing/templates/preview', { body }))

/** What the member would get, as the text is written: filled, signed, counted (debounced). */
const PreviewPanel = ({ channel, purpose, texts }: { channel: Channel; purpose: Purpose; texts: Record<Lang, { subject: string | null; body: string }> }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'templates' })
  const finder = useMemberFinder()
  const [query, setQuery] = useState('')
  const [member, setMember] = useState<{ id: string; cardNo: string } | null>(null)
  const [lang, setLang] = useState<Lang>('zh-CN')
  const [couponTemplateId, setCoupon] = useState<string | null>(null)
  const coupons = useApiQuery('/api/v1/coupon-templates', { params: { query: { status: 'active' } } })
  const [preview, setPreview] = useState<Preview | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  // English when asked and written; else the Chinese text, as a member who reads English would get it.
  const { subject, body } = lang === 'en-US' && texts['en-US'].body.trim() ? texts['en-US'] : texts['zh-CN']
  useEffect(() => {
    if (!body.trim()) {
      setPreview(null)
      return
    }
    const timer = setTimeout(() => {
      previewOf({ channel, purpose, subject, body, lang, memberId: member?.id ?? null, couponTemplateId })
        .then((p) => { setPreview(p); setProblem(null) })
        .catch((e: unknown) => setProblem(e instanceof Error ? e.message : String(e)))
    }, 300)
    return () => clearTimeout(timer)
  }, [channel, purpose, subject, body, lang, member, couponTemplateId])
  const names = (vars: readonly string[]) => vars.map((v) => t(`variables.${v}` as never)).join('、')
  return (
    <Card size="small" title={t('preview.title')} data-testid="template-preview">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {member ? (
          <Flex gap={8} align="center">
            <Typography.Text>{member.cardNo}</Typography.Text>
            <Button size="small" onClick={() => setMember(null)}>{t('preview.clear')}</Button>
          </Flex>
        ) : (
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={query} placeholder={t('preview.memberPlaceholder')} onChange={(e) => setQuery(e.target.value)} data-testid="template-preview-member"
              onPressEnter={(e) => { e.preventDefault(); void finder.find(query).then((m) => m && setMember({ id: m.id, cardNo: m.cardNo })) }}
            />
            <Button loading={finder.busy} onClick={() => void finder.find(query).then((m) => m && setMember({ id: m.id, cardNo: m.cardNo }))} data-testid="template-preview-find">{t('preview.find')}</Button>
          </Space.Compact>
        )}
        {finder.error && <Typography.Text type="danger">{finder.error}</Typography.Text>}
        <Flex gap={8} wrap>
          <Segmented<Lang> value={lang} onChange={setLang} options={[{ value: 'zh-CN', label: '中文' }, { value: 'en-US', label: 'English' }]} />
          <Select
            allowClear style={{ minWidth: 200, flex: 1 }} placeholder={t('preview.couponPlaceholder')} value={couponTemplateId ?? undefined} onChange={(v) => setCoupon(v ?? null)}
            options={(coupons.data ?? []).map((c) => ({ value: c.id, label: c.name }))} data-testid="template-preview-coupon"
          />
        </Flex>
        {problem && <Alert type="warning" showIcon title={problem} />}
        {!preview && !problem && <Typography.Text type="secondary">{t('preview.none')}</Typography.Text>}
        {preview && (
          <>
            <div style={{ background: '#f0f2f5', borderRadius: 12, padding: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="template-preview-text">
              {preview.subject && <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>{preview.subject}</Typography.Text>}
              {preview.text}
            </div>
            {preview.length !== null && (
              <Typography.Text data-testid="template-preview-length">
                {t('preview.length', { length: preview.length, segments: preview.segments ?? 0 })}{' '}
                <Tooltip title={t('preview.lengthHelp')}><QuestionCircleOutlined /></Tooltip>
              </Typography.Text>
            )}
            {member && preview.missing.length > 0 && <Typography.Text type="warning">{t('preview.missing', { names: names(preview.missing) })}</Typography.Text>}
            {preview.samples.length > 0 && <Typography.Text type="secondary">{t('preview.samples', { names: names(preview.samples) })}</Typography.Text>}
            {member && preview.variables.includes('memberName') && <Typography.Text type="secondary">{t('preview.masked')}</Typography.Text>}
          </>
        )}
      </Space>
    </Card>
  )
}

const TemplateModal = ({ template, onClose, onSaved }: { template: Template | null; onClose: () => void; onSaved: () => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'templates' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const channel = Form.useWatch('channel', form) ?? template?.channel ?? 'sms'
  const purpose = Form.useWatch('purpose', form) ?? template?.purpose ?? 'marketing'
  const bodyZh = Form.useWatch('bodyZh', form) ?? template?.bodyZh ?? ''
  const subjectZh = Form.useWatch('subjectZh', form) ?? template?.subjectZh ?? null
  const bodyEn = Form.useWatch('bodyEn', form) ?? template?.bodyEn ?? ''
  const subjectEn = Form.useWatch('subjectEn', form) ?? template?.subjectEn ?? null
  const hasSubject = channel === 'email' || channel === 'push'
  const insert = (v: string) => form.setFieldValue('bodyZh', `${form.getFieldValue('bodyZh') ?? ''}{{${v}}}`)
  const blank = (v?: string) => (v?.trim() ? v.trim() : null)
  return (
    <FormModal<Values>
      open width={1040} title={template ? t('edit') : t('create')} form={form} name="message-template" onClose={onClose} submitTestId="template-submit"
      initialValues={template ? {
        name: template.name, channel: template.channel, purpose: template.purpose, subjectZh: template.subjectZh ?? undefined, subjectEn: template.subjectEn ?? undefined,
        bodyZh: template.bodyZh, bodyEn: template.bodyEn ?? undefined, providerTemplateCode: template.providerTemplateCode ?? undefined,
      } : { channel: 'sms', purpose: 'marketing' }}
      onSubmit={async (v) => {
        const body = {
          name: v.name, channel: v.channel, purpose: v.purpose, bodyZh: v.bodyZh, bodyEn: blank(v.bodyEn), providerTemplateCode: blank(v.providerTemplateCode),
          subjectZh: hasSubject ? blank(v.subjectZh) : null, subjectEn: hasSubject ? blank(v.subjectEn) : null,
        }
        if (template) await call(api.PATCH('/api/v1/marketing/templates/{id}', { params: { path: { id: template.id } }, body: { ...body, version: template.version } }))
        else await call(api.POST('/api/v1/marketing/templates', { body }))
        message.success(t('saved'))
        onSaved()
      }}
    >
      <Flex gap={24} wrap>
        <div style={{ flex: '1 1 520px', minWidth: 0 }}>
          <Form.Item name="name" label={t('form.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="template-name" />
          </Form.Item>
          <Flex gap={16} wrap>
            <Form.Item name="channel" label={t('form.channel')}>
              <Radio.Group optionType="button" options={CHANNELS.map((c) => ({ value: c, label: tw(`channels.${c}`) }))} data-testid="template-channel" />
            </Form.Item>
            <Form.Item name="purpose" label={<Tooltip title={t('purposeHelp')}>{t('form.purpose')} <QuestionCircleOutlined /></Tooltip>}>
              <Radio.Group optionType="button" options={(['marketing', 'service'] as const).map((p) => ({ value: p, label: tw(`purposes.${p}`) }))} data-testid="template-purpose" />
            </Form.Item>
          </Flex>
          {hasSubject && (
            <Flex gap={16} wrap>
              <Form.Item name="subjectZh" label={t('form.subjectZh')} rules={[{ required: channel === 'email', max: 200 }]} style={{ flex: '1 1 240px' }}>
                <Input data-testid="template-subject-zh" />
              </Form.Item>
              <Form.Item name="subjectEn" label={t('form.subjectEn')} rules={[{ max: 200 }]} style={{ flex: '1 1 240px' }}>
                <Input data-testid="template-subject-en" />
              </Form.Item>
            </Flex>
          )}
          <Form.Item label={t('form.insert')}>
            <Flex gap={4} wrap>
              {VARIABLES.map((v) => <Tag key={v} style={{ cursor: 'pointer' }} onClick={() => insert(v)} data-testid={`template-insert-${v}`}>{t(`variables.${v}`)}</Tag>)}
            </Flex>
          </Form.Item>
          <Form.Item name="bodyZh" label={t('form.bodyZh')} rules={[{ required: true }]}>
            <Input.TextArea rows={5} data-testid="template-body-zh" />
          </Form.Item>
          <Form.Item name="bodyEn" label={t('form.bodyEn')} extra={t('form.bodyEnHelp')}>
            <Input.TextArea rows={3} data-testid="template-body-en" />
          </Form.Item>
          {channel !== 'push' && (
            <Form.Item name="providerTemplateCode" label={t('form.providerTemplateCode')} extra={t('form.providerTemplateCodeHelp')}>
              <Input maxLength={64} data-testid="template-provider-code" />
            </Form.Item>
          )}
        </div>
        <div style={{ flex: '1 1 340px', minWidth: 0 }}>
          <PreviewPanel channel={channel} purpose={purpose} texts={{ 'zh-CN': { subject: hasSubject ? subjectZh : null, body: bodyZh }, 'en-US': { subject: hasSubject ? subjectEn : null, body: bodyEn } }} />
        </div>
      </Flex>
    </FormModal>
  )
}

/** The chain's sending settings: the SMS signature, and whether marketing emails' opens and clicks are tracked. */
const SignatureCard = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'templates' })
  const { message } = App.useApp()
  const { can } = useSession()
  const settings = useApiQuery('/api/v1/marketing/settings')
  const [value, setValue] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const shown = value ?? settings.data?.smsSignature ?? ''
  const save = async () => {
    try {
      await call(api.PUT('/api/v1/marketing/settings', { body: { smsSignature: shown } }))
      setProblem(null)
      setValue(null)
      await settings.refetch()
      message.success(t('settings.saved'))
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }
  const [tracking, setTracking] = useState(false)
  const track = async (on: boolean) => {
    setTracking(true)
    try {
      await call(api.PUT('/api/v1/marketing/settings', { body: { emailTracking: on } }))
      await settings.refetch()
      message.success(t('settings.saved'))
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    } finally {
      setTracking(false)
    }
  }
  return (
    <Card size="small" title={t('settings.title')} style={{ marginBottom: 16 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t('settings.signature')}</Typography.Text>
        <Space.Compact>
          <Input style={{ width: 200 }} prefix="【" suffix="】" value={shown} disabled={!can('marketing.manage')} onChange={(e) => setValue(e.target.value)} data-testid="sms-signature" />
          {can('marketing.manage') && <Button onClick={() => void save()} data-testid="sms-signature-save">{t('settings.save')}</Button>}
        </Space.Compact>
        <Typography.Text type="secondary">{t('settings.signatureHelp')}</Typography.Text>
      </Flex>
      <Flex gap={8} align="center" wrap style={{ marginTop: 12 }}>
        <Typography.Text>{t('settings.emailTracking')}</Typography.Text>
        <Switch
          checked={settings.data?.emailTracking ?? false} loading={tracking || settings.isLoading} disabled={!can('marketing.manage')}
          onChange={(on) => void track(on)} data-testid="email-tracking"
        />
        <Typography.Text type="secondary" style={{ flex: '1 1 320px' }}>{t('settings.emailTrackingHelp')}</Typography.Text>
      </Flex>
      {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
    </Card>
  )
}

/** 消息模板: the chain's message templates by channel, written beside a live preview with a real member. */
const TemplatesPage = () => {
  const { t } = useTranslation('marketing', { keyPrefix: 'templates' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [channel, setChannel] = useState<Channel | 'all'>('all')
  const list = useApiQuery('/api/v1/marketing/templates', { params: { query: channel === 'all' ? {} : { channel } } })
  const [editing, setEditing] = useState<Template | 'new' | null>(null)
  const manage = can('marketing.manage')
  const setStatus = async (tpl: Template, status: Template['status']) => {
    await call(api.PATCH('/api/v1/marketing/templates/{id}', { params: { path: { id: tpl.id } }, body: { status, version: tpl.version } }))
    await list.refetch()
  }
  const columns: TableColumnsType<Template> = [
    { key: 'name', title: t('columns.name'), width: 150, render: (_, x) => manage ? <Typography.Link onClick={() => setEditing(x)} data-testid={`template-open-${x.id}`}>{x.name}</Typography.Link> : x.name },
    { key: 'channel', title: t('columns.channel'), width: 100, render: (_, x) => <Tag color={CHANNEL_COLORS[x.channel]}>{tw(`channels.${x.channel}`)}</Tag> },
    { key: 'purpose', title: t('columns.purpose'), width: 100, render: (_, x) => tw(`purposes.${x.purpose}`) },
    { key: 'text', title: t('form.bodyZh'), render: (_, x) => <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{x.bodyZh}</Typography.Paragraph> },
    { key: 'variables', title: t('columns.variables'), width: 220, render: (_, x) => x.variables.map((v) => <Tag key={v}>{t(`variables.${v}`)}</Tag>) },
    { key: 'status', title: t('columns.status'), width: 90, render: (_, x) => <Tag color={x.status === 'active' ? 'green' : 'default'}>{t(`statuses.${x.status}`)}</Tag> },
    { key: 'updatedAt', title: t('columns.updatedAt'), width: 150, render: (_, x) => formatDateTime(x.updatedAt, tz) },
    ...(manage ? [{
      key: 'actions', title: t('columns.actions'), width: 100,
      render: (_: unknown, x: Template) => <Button size="small" type="link" onClick={() => void setStatus(x, x.status === 'active' ? 'archived' : 'active')} data-testid={`template-status-${x.id}`}>{x.status === 'active' ? t('archive') : t('restore')}</Button>,
    }] : []),
  ]
  if (list.error) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
  return (
    <>
      <SignatureCard />
      <Card
        title={t('title')}
        extra={manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="template-create">{t('create')}</Button>}
      >
        <Segmented<Channel | 'all'>
          style={{ marginBottom: 16 }} value={channel} onChange={setChannel}
          options={[{ value: 'all', label: t('all') }, ...CHANNELS.map((c) => ({ value: c, label: tw(`channels.${c}`) }))]}
        />
        <Table<Template> rowKey="id" size="middle" loading={list.isLoading} dataSource={list.data?.items ?? []} columns={columns} pagination={false} locale={{ emptyText: t('empty') }} data-testid="templates-table" />
      </Card>
      {editing && <TemplateModal template={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void list.refetch() }} />}
    </>
  )
}

export default TemplatesPage
