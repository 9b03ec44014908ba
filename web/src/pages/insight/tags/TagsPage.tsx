import { ExperimentOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Radio, Segmented, Select, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../api/client.js'
import { useApiMutation, useApiQuery, type GetData, type MutationData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount } from '../../../format.js'
import { ExportButtons } from '../shared/ExportButtons.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { InsightHeader } from '../shared/InsightHeader.js'
import { ConditionBuilder } from '../segments/ConditionBuilder.js'
import { asRoot, countLeaves, isComplete, toDefinition, type Node } from '../segments/condition-model.js'
import { rulePlace } from './rule-errors.js'
import { countsOption, trendChange, trendOption } from './tag-charts.js'

type TagRow = GetData<'/api/v1/insight/tags'>[number]
type RuleTest = MutationData<'post', '/api/v1/insight/tags/test'>

export const TAG_COLORS = ['magenta', 'red', 'volcano', 'orange', 'gold', 'lime', 'green', 'cyan', 'blue', 'geekblue', 'purple'] as const

/** Words in the console's language ('zh-CN' | 'en-US' keys of the API's texts). */
export const useWords = () => {
  const { i18n } = useTranslation()
  return (w: { 'zh-CN': string; 'en-US': string } | null | undefined) => (w ? (i18n.language.startsWith('en') ? w['en-US'] : w['zh-CN']) : '')
}

const Trend = ({ row }: { row: TagRow }) => {
  const option = useMemo(() => trendOption(row.trend), [row.trend])
  if (row.trend.length === 0) return <Typography.Text type="secondary">—</Typography.Text>
  const change = trendChange(row.trend)
  return (
    <Flex align="center" gap={6}>
      <div style={{ width: 110 }}><EChart option={option} height={32} /></div>
      {change !== null && <Typography.Text type={change >= 0 ? 'success' : 'danger'}>{change >= 0 ? '+' : ''}{formatCount(change)}</Typography.Text>}
    </Flex>
  )
}

/** Members per tag after each full refresh over the last 30, 90 or 365 days (store roles: of their store), with its export. */
const CountsCard = ({ tags }: { tags: TagRow[] }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'tags' })
  const { chain } = useSession()
  const [days, setDays] = useState(90)
  const from = dayjs().tz(chain?.timezone ?? DEFAULT_TIMEZONE).subtract(days - 1, 'day').format('YYYY-MM-DD')
  const { data } = useApiQuery('/api/v1/insight/tags/counts', { params: { query: { from } } })
  const colors = useMemo(() => Object.fromEntries(tags.map((x) => [x.id, x.color])), [tags])
  const option = useMemo(() => data && countsOption(data.items, colors), [data, colors])
  const table = () => ({
    name: `tag-counts-${data?.from ?? from}-${data?.to ?? ''}`,
    sheet: t('counts'),
    header: [t('columns.day'), t('columns.name'), t('columns.members')],
    rows: (data?.items ?? []).map((i) => [i.day, i.name, i.members]),
  })
  return (
    <Card
      title={<TitleWithHelp title={t('counts')} help={t('countsHelp')} />}
      extra={(
        <Space>
          <Segmented size="small" value={days} onChange={(v) => setDays(Number(v))} options={[30, 90, 365].map((n) => ({ value: n, label: t('lastDays', { n }) }))} />
          <ExportButtons table={table} testId="tag-counts-export" />
        </Space>
      )}
    >
      <div data-testid="tag-counts">
        {!data ? <Skeleton active /> : data.items.length === 0 ? <Typography.Text type="secondary">{t('noCounts')}</Typography.Text> : option && <EChart option={option} height={300} />}
      </div>
    </Card>
  )
}

interface EditorValues { name: string; description?: string | null; color?: string | null; kind: 'rule' | 'manual' }

/** Define or change a tag: name, colour, kind and the rule, with a test of the rule before saving. */
const TagEditor = ({ tag, onClose }: { tag: TagRow | null; onClose: () => void }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'tags' })
  const { t: tc } = useTranslation()
  const words = useWords()
  const { message } = App.useApp()
  const [form] = Form.useForm<EditorValues>()
  const kind = Form.useWatch('kind', form) ?? tag?.kind ?? 'rule'
  const [root, setRoot] = useState<Node>(() => asRoot(tag?.rule ?? null))
  const [ruleErrors, setRuleErrors] = useState<string[]>([])
  const [tested, setTested] = useState<RuleTest | null>(null)
  const [busy, setBusy] = useState(false)
  const create = useApiMutation('post', '/api/v1/insight/tags')
  const update = useApiMutation('patch', '/api/v1/insight/tags/{id}')
  const test = useApiMutation('post', '/api/v1/insight/tags/test')

  /** The server's reasons: the rule's beside the builder (naming the condition), the rest on the fields or as a message. */
  const showError = (err: unknown) => {
    const lines: string[] = []
    if (err instanceof ApiError && err.details.length > 0) {
      const other = []
      for (const d of err.details) {
        const place = rulePlace(d.field)
        if (!place) { other.push(d); continue }
        const where = [
          place.steps.length > 0 ? t('form.condition', { n: place.steps.join('.') }) : '',
          place.input ? t(`form.inputs.${place.input}` as 'form.inputs.days', { defaultValue: place.input }) : '',
        ].filter(Boolean).join(' · ')
        lines.push(where ? `${where}: ${d.reason}` : d.reason)
      }
      form.setFields(other.filter((d) => ['name', 'description', 'color'].includes(d.field)).map((d) => ({ name: d.field as 'name', errors: [err.status === 409 ? errorMessage(tc, err) : d.reason] })))
      if (other.some((d) => !['name', 'description', 'color'].includes(d.field))) void message.error(errorMessage(tc, err))
    } else void message.error(errorMessage(tc, err))
    setRuleErrors(lines)
  }

  const runTest = async () => {
    setRuleErrors([])
    try {
      setTested(await test.mutateAsync({ body: { rule: toDefinition(root) } }))
    } catch (err) {
      setTested(null)
      showError(err)
    }
  }

  const save = async (values: EditorValues) => {
    setBusy(true)
    setRuleErrors([])
    try {
      const ruleBody = values.kind === 'rule' ? toDefinition(root) : undefined
      if (tag) {
        await update.mutateAsync({ params: { path: { id: tag.id } }, body: { name: values.name, description: values.description ?? null, color: values.color ?? null, ...(ruleBody ? { rule: ruleBody } : {}) } })
      } else {
        await create.mutateAsync({ body: { name: values.name, description: values.description ?? null, color: values.color ?? null, kind: values.kind, ...(ruleBody ? { rule: ruleBody } : {}) } })
      }
      void message.success(t('form.saved'))
      onClose()
    } catch (err) {
      showError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      open title={tag ? t('form.titleEdit') : t('form.titleNew')} onCancel={onClose} destroyOnHidden width={900}
      footer={[
        <Button key="cancel" onClick={onClose}>{t('form.cancel')}</Button>,
        <Button key="save" type="primary" loading={busy} onClick={() => form.submit()} data-testid="tag-save">{t('form.save')}</Button>,
      ]}
    >
      <Form<EditorValues>
        form={form} layout="vertical" name="tag" onFinish={(v) => void save(v)}
        initialValues={{ name: tag?.name ?? '', description: tag?.description ?? '', color: tag?.color ?? 'blue', kind: tag?.kind ?? 'rule' }}
      >
        <Flex gap={12} wrap>
          <Form.Item name="name" label={t('form.name')} rules={[{ required: true, max: 40 }]} style={{ flex: '1 1 220px' }}>
            <Input data-testid="tag-name" maxLength={40} />
          </Form.Item>
          <Form.Item name="color" label={t('form.color')} style={{ width: 160 }}>
            <Select options={TAG_COLORS.map((c) => ({ value: c, label: <Tag color={c}>{c}</Tag> }))} />
          </Form.Item>
          <Form.Item name="kind" label={t('form.kind')}>
            <Radio.Group disabled={tag !== null} data-testid="tag-kind"
              options={[{ value: 'rule', label: t('kinds.rule') }, { value: 'manual', label: t('kinds.manual') }]} />
          </Form.Item>
        </Flex>
        <Form.Item name="description" label={t('form.description')}>
          <Input maxLength={200} />
        </Form.Item>
        {kind === 'manual' ? <Alert type="info" showIcon title={t('form.manualHint')} /> : (
          <Form.Item label={<TitleWithHelp title={t('form.rule')} help={t('form.ruleHelp')} />} required>
            <ConditionBuilder value={root} onChange={(next) => { setRoot(next); setTested(null); setRuleErrors([]) }} />
            {ruleErrors.length > 0 && <Alert type="error" showIcon style={{ marginTop: 8 }} data-testid="tag-rule-errors" title={ruleErrors.map((e) => <div key={e}>{e}</div>)} />}
            <Flex vertical gap={8} style={{ marginTop: 12 }}>
              <Space>
                <Button icon={<ExperimentOutlined />} onClick={() => void runTest()} loading={test.isPending} disabled={countLeaves(root) === 0 || !isComplete(root)} data-testid="tag-test">{t('form.test')}</Button>
                <Typography.Text type="secondary">{t('form.testHelp')}</Typography.Text>
              </Space>
              {tested && (
                <Card size="small" data-testid="tag-test-result">
                  <Typography.Paragraph strong data-testid="tag-test-count">{t('form.testResult', { n: formatCount(tested.count), asOf: tested.asOf })}</Typography.Paragraph>
                  <Typography.Paragraph type="secondary">{words(tested.ruleText)}</Typography.Paragraph>
                  <Table
                    size="small" rowKey="memberId" dataSource={tested.sample} pagination={false} data-testid="tag-test-sample"
                    columns={[
                      { key: 'card', title: t('sample.card'), dataIndex: 'cardNo' },
                      { key: 'name', title: t('sample.name'), dataIndex: 'name' },
                      { key: 'phone', title: t('sample.phone'), dataIndex: 'phone' },
                      { key: 'reason', title: t('sample.reason'), render: (_, r) => words(r.reason) },
                    ]}
                  />
                </Card>
              )}
            </Flex>
          </Form.Item>
        )}
      </Form>
    </Modal>
  )
}

/**
 * Tags (/insight/tags): every tag with its rule in words, the members holding it now and a small
 * trend; define, change, test and archive tags (insight.manage).
 */
export const TagsPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'tags' })
  const { t: tc } = useTranslation()
  const { can } = useSession()
  const { message } = App.useApp()
  const words = useWords()
  const [archived, setArchived] = useState(false)
  const [editing, setEditing] = useState<TagRow | 'new' | null>(null)
  const { data, error, refetch, isFetching } = useApiQuery('/api/v1/insight/tags', { params: { query: archived ? {} : { status: 'active' } } })
  const setStatus = useApiMutation('patch', '/api/v1/insight/tags/{id}')
  const manage = can('insight.manage')

  const changeStatus = async (row: TagRow, status: 'active' | 'archived') => {
    try {
      await setStatus.mutateAsync({ params: { path: { id: row.id } }, body: { status } })
    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  const header = (
    <InsightHeader
      title={t('title')} help={t('help')} testId="tags"
      extra={(
        <Space>
          <Space size={4}><Switch size="small" checked={archived} onChange={setArchived} data-testid="tags-archived" />{t('showArchived')}</Space>
          {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="tag-new">{t('newTag')}</Button>}
        </Space>
      )}
    />
  )
  if (!data) return <Flex vertical gap={16}>{header}<Card><Skeleton active /></Card></Flex>

  const exportTags = () => ({
    name: `tags-${dayjs().format('YYYY-MM-DD')}`,
    sheet: t('title'),
    header: [t('columns.name'), t('columns.kind'), t('columns.rule'), t('columns.members'), t('columns.status')],
    rows: data.map((r) => [r.name, t(`kinds.${r.kind}`), r.kind === 'rule' ? words(r.ruleText) : '', r.members, t(`statuses.${r.status}`)]),
  })
  return (
    <Flex vertical gap={16} style={{ opacity: isFetching ? 0.8 : 1 }}>
      {header}
      <Card extra={<ExportButtons table={exportTags} testId="tags-export" />}>
        <Table<TagRow>
          data-testid="tags-table" rowKey="id" dataSource={data} pagination={false} size="middle" scroll={{ x: 900 }}
          onRow={(row) => ({ 'data-testid': `tag-row-${row.name}` } as object)}
          columns={[
            { key: 'name', title: t('columns.name'), render: (_, r) => <Tag color={r.color ?? undefined}>{r.name}</Tag>, width: 160 },
            { key: 'kind', title: t('columns.kind'), render: (_, r) => t(`kinds.${r.kind}`), width: 100 },
            {
              key: 'rule', title: t('columns.rule'),
              render: (_, r) => (
                <Flex vertical>
                  <span>{r.kind === 'rule' ? words(r.ruleText) : '—'}</span>
                  {r.description && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.description}</Typography.Text>}
                </Flex>
              ),
            },
            {
              key: 'members', title: <TitleWithHelp title={t('columns.members')} help={t('membersHelp')} />, align: 'right', width: 110,
              render: (_, r) => <span data-testid={`tag-members-${r.name}`}>{formatCount(r.members)}</span>,
            },
            { key: 'trend', title: <TitleWithHelp title={t('columns.trend')} help={t('trendHelp')} />, width: 170, render: (_, r) => <Trend row={r} /> },
            { key: 'status', title: t('columns.status'), width: 90, render: (_, r) => <Tag color={r.status === 'active' ? 'green' : 'default'}>{t(`statuses.${r.status}`)}</Tag> },
            ...(manage ? [{
              key: 'actions', title: t('columns.actions'), width: 150,
              render: (_: unknown, r: TagRow) => (
                <Space>
                  <Button size="small" type="link" onClick={() => setEditing(r)} data-testid={`tag-edit-${r.name}`}>{t('edit')}</Button>
                  {r.status === 'active'
                    ? <Popconfirm title={t('confirmArchive')} onConfirm={() => changeStatus(r, 'archived')}><Button size="small" type="link" danger>{t('archive')}</Button></Popconfirm>
                    : <Button size="small" type="link" onClick={() => void changeStatus(r, 'active')}>{t('activate')}</Button>}
                </Space>
              ),
            }] : []),
          ]}
        />
      </Card>
      <CountsCard tags={data} />
      {editing && <TagEditor tag={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Flex>
  )
}

export default TagsPage
