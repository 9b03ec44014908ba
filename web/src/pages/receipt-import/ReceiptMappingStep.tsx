import { Alert, Button, Card, Checkbox, Col, Flex, Form, Input, Row, Select, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE } from '../../format.js'
import { formatBytes, isMappable, mappingText } from '../member-import/csv.js'
import type { ChosenFile } from '../../components/import-wizard/index.js'
import type { Store } from '../loyalty/types.js'
import { MEMBER_KEYS, startReceiptImport, type MemberKey, type ReceiptImport } from './api.js'
import { receiptMappingIssues, REQUIRED_FIELDS, suggestReceiptMapping } from './mapping.js'

/** The user's choices for a file, kept by the page while they go back and forth. */
export interface ReceiptDraft {
  /** column → field; '' = not imported */
  mapping: Record<string, string>
  suggested: Record<string, string | undefined>
  storeCode: string | null
  timezone: string
  awardPoints: boolean
  createMembers: boolean
  memberKey: MemberKey
  returnPrefix: string
}

const RETURN_PREFIX = /^[A-Za-z0-9]{0,8}$/

const timezones = (current: string): string[] => {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return [...new Set([current, 'Asia/Shanghai', ...all])]
}

/** Step 2: a field per column, the import's options, and the upload. */
export const ReceiptMappingStep = ({ chosen, draft, onDraft, onBack, onStarted }: {
  chosen: ChosenFile
  draft: ReceiptDraft | null
  onDraft: (d: ReceiptDraft) => void
  onBack: () => void
  onStarted: (imp: ReceiptImport) => void
}) => {
  const { t } = useTranslation('imports', { keyPrefix: 'receipts' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const [fields, setFields] = useState<string[] | null>(null)
  const [stores, setStores] = useState<Store[]>([])
  const [loadError, setLoadError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [refused, setRefused] = useState<unknown>(null)
  const { header, rows } = chosen.preview
  const chainZone = chain?.timezone ?? DEFAULT_TIMEZONE

  const load = useCallback(() => {
    setLoadError(null)
    Promise.all([call(api.GET('/api/v1/receipt-imports/fields')), call(api.GET('/api/v1/stores'))]).then(([f, s]) => {
      setFields(f)
      setStores(s)
    }, setLoadError)
  }, [])
  useEffect(load, [load])

  // First visit for this file: start from the suggestions and the chain's defaults.
  useEffect(() => {
    if (!fields || draft) return
    const suggested = suggestReceiptMapping(header, fields)
    onDraft({
      mapping: Object.fromEntries(Object.entries(suggested).map(([c, f]) => [c, f ?? ''])), suggested,
      storeCode: null, timezone: chainZone, awardPoints: true, createMembers: false, memberKey: 'auto', returnPrefix: '',
    })
  }, [fields, draft, header, onDraft, chainZone])

  const issues = useMemo(() => (draft ? receiptMappingIssues(draft.mapping) : []), [draft])
  const zones = useMemo(() => timezones(chainZone).map((z) => ({ value: z, label: z })), [chainZone])
  const label = useCallback((f: string) => t(`fields.${f as 'sku'}`, { defaultValue: f }), [t])

  if (loadError) return <ErrorResult error={loadError} onRetry={load} />
  if (!fields || !draft) return <Card><Skeleton active /></Card>

  const used = new Set(Object.values(draft.mapping).filter(Boolean))
  const prefixOk = RETURN_PREFIX.test(draft.returnPrefix)

  const start = async () => {
    setBusy(true)
    setRefused(null)
    try {
      onStarted(await startReceiptImport({
        file: chosen.file, mapping: mappingText(draft.mapping), storeCode: draft.storeCode, timezone: draft.timezone,
        awardPoints: draft.awardPoints, createMembers: draft.createMembers, memberKey: draft.memberKey, returnPrefix: draft.returnPrefix,
      }))
    } catch (err) {
      setRefused(err)
    } finally {
      setBusy(false)
    }
  }

  const columnRows = header.map((column, index) => ({
    key: index,
    column,
    // A repeated column name: the server keys a record by name, so only the first one counts.
    mappable: isMappable(column) && header.indexOf(column) === index,
    samples: rows.map((r) => r[index]?.trim() ?? '').filter(Boolean).slice(0, 3),
  }))

  return (
    <Card>
      <Alert type="info" showIcon title={t('mapping.intro')} style={{ marginBottom: 16 }} />
      <Table
        data-testid="receipt-import-mapping" size="small" pagination={false} dataSource={columnRows}
        columns={[
          { key: 'column', title: t('mapping.column'), width: 200, render: (_, r) => <Typography.Text strong>{r.column || `#${r.key + 1}`}</Typography.Text> },
          { key: 'samples', title: t('mapping.samples'), ellipsis: true, render: (_, r) => <Typography.Text type="secondary">{r.samples.join(' / ')}</Typography.Text> },
          {
            key: 'field', title: t('mapping.field'), width: 340,
            render: (_, r) => {
              if (!r.mappable) return <Typography.Text type="secondary">{t('mapping.unmappable')}</Typography.Text>
              const value = draft.mapping[r.column] ?? ''
              return (
                <Space>
                  <Select
                    data-testid={`receipt-map-${r.column}`} aria-label={r.column} style={{ width: 240 }} value={value}
                    onChange={(f: string) => onDraft({ ...draft, mapping: { ...draft.mapping, [r.column]: f } })}
                    showSearch={{ optionFilterProp: 'label' }}
                    options={[
                      { value: '', label: t('mapping.ignore') },
                      ...fields.map((f) => ({
                        value: f,
                        label: (REQUIRED_FIELDS as readonly string[]).includes(f) ? `${label(f)} · ${t('mapping.required')}` : label(f),
                        disabled: f !== value && used.has(f),
                      })),
                    ]}
                  />
                  {value && draft.suggested[r.column] === value && <Tag color="blue">{t('mapping.suggested')}</Tag>}
                </Space>
              )
            },
          },
        ]}
      />

      <Typography.Title level={5} style={{ marginTop: 24 }}>{t('options.title')}</Typography.Title>
      <Form layout="vertical" style={{ maxWidth: 820 }}>
        <Row gutter={24}>
          <Col xs={24} md={12}>
            <Form.Item label={t('options.store')} extra={t('options.storeHelp')}>
              <Select
                data-testid="receipt-import-store" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('options.storePlaceholder')}
                value={draft.storeCode ?? undefined} onChange={(v?: string) => onDraft({ ...draft, storeCode: v ?? null })}
                options={stores.map((s) => ({ value: s.code, label: `${s.code} ${s.name}` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('options.timezone')} extra={t('options.timezoneHelp')}>
              <Select
                data-testid="receipt-import-timezone" showSearch={{ optionFilterProp: 'label' }} value={draft.timezone}
                onChange={(v: string) => onDraft({ ...draft, timezone: v })} options={zones}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('options.memberKey')}>
              <Select
                data-testid="receipt-import-member-key" value={draft.memberKey} onChange={(v: MemberKey) => onDraft({ ...draft, memberKey: v })}
                options={MEMBER_KEYS.map((k) => ({ value: k, label: t(`options.memberKeys.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label={t('options.returnPrefix')} extra={t('options.returnPrefixHelp')}
              validateStatus={prefixOk ? undefined : 'error'} help={prefixOk ? undefined : t('options.returnPrefixPattern')}
            >
              <Input data-testid="receipt-import-return-prefix" maxLength={8} value={draft.returnPrefix} onChange={(e) => onDraft({ ...draft, returnPrefix: e.target.value.trim() })} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('options.points')} extra={t('options.pointsHelp')}>
              <Switch data-testid="receipt-import-points" checked={draft.awardPoints} onChange={(v) => onDraft({ ...draft, awardPoints: v })} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item extra={t('options.createMembersHelp')} label=" ">
              <Checkbox data-testid="receipt-import-create-members" checked={draft.createMembers} onChange={(e) => onDraft({ ...draft, createMembers: e.target.checked })}>
                {t('options.createMembers')}
              </Checkbox>
            </Form.Item>
          </Col>
        </Row>
      </Form>

      {issues.length > 0 && (
        <Alert
          data-testid="receipt-import-issues" type="warning" showIcon style={{ marginBottom: 16 }}
          title={issues.map((i) => (
            <div key={i.kind === 'duplicate' ? `d:${i.field}` : i.kind === 'unmappable' ? `u:${i.column}` : i.kind}>
              {i.kind === 'duplicate'
                ? t('mapping.duplicate', { field: label(i.field) })
                : i.kind === 'unmappable'
                  ? t('mapping.unmappableColumn', { column: i.column })
                  : t('mapping.missing', { fields: i.fields.map(label).join(t('listSeparator')) })}
            </div>
          ))}
        />
      )}
      {refused !== null && (
        <Alert
          data-testid="receipt-import-refused" type="error" showIcon style={{ marginBottom: 16 }}
          title={`${t('mapping.refused')}: ${errorMessage(tc, refused)}`}
          description={refused instanceof ApiError && refused.details.length > 0
            ? <ul style={{ margin: 0, paddingLeft: 20 }}>{refused.details.map((d, i) => <li key={i}>{d.reason}</li>)}</ul>
            : undefined}
        />
      )}
      {busy && <Alert type="info" showIcon title={t('run.uploading', { size: formatBytes(chosen.file.size) })} style={{ marginBottom: 16 }} />}

      <Flex justify="space-between">
        <Button onClick={onBack} disabled={busy}>{t('mapping.back')}</Button>
        <Button type="primary" data-testid="receipt-import-start" loading={busy} onClick={() => void start()} disabled={issues.length > 0 || !prefixOk}>
          {t('mapping.start')}
        </Button>
      </Flex>
    </Card>
  )
}
