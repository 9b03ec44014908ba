import { Alert, Button, Card, Checkbox, Flex, Form, Select, Skeleton, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import type { paths } from '../../api/schema.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { startImport, type MemberImport } from './api.js'
import { fieldKey, formatBytes, isMappable, mappingIssues, mappingText, suggestMapping } from './csv.js'
import type { ChosenFile } from '../../components/import-wizard/index.js'

type Store = paths['/api/v1/stores']['get']['responses']['200']['content']['application/json'][number]

/** The user's choices for a file: kept by the page while they go back and forth. */
export interface Draft {
  /** column → field; '' = not imported. */
  mapping: Record<string, string>
  suggested: Record<string, string | undefined>
  updateExisting: boolean
  storeId: string | null
}

interface Props {
  chosen: ChosenFile
  draft: Draft | null
  onDraft: (d: Draft) => void
  onBack: () => void
  onStarted: (imp: MemberImport) => void
}

/** Step 2: a field per column, the options, and the upload. */
export const MappingStep = ({ chosen, draft, onDraft, onBack, onStarted }: Props) => {
  const { t } = useTranslation('imports', { keyPrefix: 'members' })
  const { t: tm } = useTranslation('members')
  const { t: tc } = useTranslation()
  const [fields, setFields] = useState<string[] | null>(null)
  const [stores, setStores] = useState<Store[]>([])
  const [loadError, setLoadError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [refused, setRefused] = useState<unknown>(null)
  const { header, rows } = chosen.preview

  const load = useCallback(() => {
    setLoadError(null)
    Promise.all([call(api.GET('/api/v1/member-imports/fields')), call(api.GET('/api/v1/stores'))]).then(([f, s]) => {
      setFields(f)
      setStores(s)
    }, setLoadError)
  }, [])
  useEffect(load, [load])

  // First visit for this file: start from the suggestions.
  useEffect(() => {
    if (!fields || draft) return
    const suggested = suggestMapping(header, fields)
    onDraft({ mapping: Object.fromEntries(Object.entries(suggested).map(([c, f]) => [c, f ?? ''])), suggested, updateExisting: false, storeId: null })
  }, [fields, draft, header, onDraft])

  const issues = useMemo(() => (draft ? mappingIssues(draft.mapping) : []), [draft])
  const fieldLabel = useCallback((f: string) => t(fieldKey(f) as never, { defaultValue: tm(`fields.${f}` as never, { defaultValue: f }) }), [t, tm])

  if (loadError) return <ErrorResult error={loadError} onRetry={load} />
  if (!fields || !draft) return <Card><Skeleton active /></Card>

  const used = new Set(Object.values(draft.mapping).filter(Boolean))
  const setField = (column: string, field: string) => onDraft({ ...draft, mapping: { ...draft.mapping, [column]: field } })

  const start = async () => {
    setBusy(true)
    setRefused(null)
    try {
      onStarted(await startImport({ file: chosen.file, mapping: mappingText(draft.mapping), updateExisting: draft.updateExisting, storeId: draft.storeId }))
    } catch (err) {
      setRefused(err)
    } finally {
      setBusy(false)
    }
  }

  const rowsOfColumns = header.map((column, index) => ({
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
        data-testid="import-mapping"
        size="small"
        pagination={false}
        dataSource={rowsOfColumns}
        columns={[
          { key: 'column', title: t('mapping.column'), width: 200, render: (_, r) => <Typography.Text strong>{r.column || `#${r.key + 1}`}</Typography.Text> },
          {
            key: 'samples', title: t('mapping.samples'), ellipsis: true,
            render: (_, r) => <Typography.Text type="secondary">{r.samples.join(' / ')}</Typography.Text>,
          },
          {
            key: 'field', title: t('mapping.field'), width: 320,
            render: (_, r) => {
              if (!r.mappable) return <Typography.Text type="secondary">{t('mapping.unmappable')}</Typography.Text>
              const value = draft.mapping[r.column] ?? ''
              return (
                <Space>
                  <Select
                    data-testid={`map-${r.column}`}
                    aria-label={r.column}
                    style={{ width: 220 }}
                    value={value}
                    onChange={(f: string) => setField(r.column, f)}
                    showSearch={{ optionFilterProp: 'label' }}
                    options={[
                      { value: '', label: t('mapping.ignore') },
                      ...fields.map((f) => ({ value: f, label: fieldLabel(f), disabled: f !== value && used.has(f) })),
                    ]}
                  />
                  {value && draft.suggested[r.column] === value && <Tag color="blue">{t('mapping.suggested')}</Tag>}
                </Space>
              )
            },
          },
        ]}
      />

      <Typography.Title level={5} style={{ marginTop: 24 }}>{t('mapping.options')}</Typography.Title>
      <Form layout="vertical" style={{ maxWidth: 560 }}>
        <Form.Item extra={t('mapping.updateExistingHelp')}>
          <Checkbox data-testid="import-update-existing" checked={draft.updateExisting} onChange={(e) => onDraft({ ...draft, updateExisting: e.target.checked })}>
            {t('mapping.updateExisting')}
          </Checkbox>
        </Form.Item>
        <Form.Item label={t('mapping.defaultStore')} extra={t('mapping.defaultStoreHelp')}>
          <Select
            data-testid="import-default-store"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('mapping.defaultStorePlaceholder')}
            value={draft.storeId ?? undefined}
            onChange={(v?: string) => onDraft({ ...draft, storeId: v ?? null })}
            options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}${s.status === 'closed' ? ` (${t('mapping.closedStore')})` : ''}` }))}
          />
        </Form.Item>
      </Form>

      {issues.length > 0 && (
        <Alert
          data-testid="import-mapping-issues"
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={issues.map((i) => (
            <div key={i.kind === 'duplicate' ? `d:${i.field}` : i.kind}>
              {i.kind === 'duplicate' ? t('mapping.duplicate', { field: fieldLabel(i.field) }) : t(`mapping.${i.kind}`)}
            </div>
          ))}
        />
      )}
      {refused !== null && (
        <Alert
          data-testid="import-refused"
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${t('mapping.refused')}: ${errorMessage(tc, refused)}`}
          description={refused instanceof ApiError && refused.details.length > 0
            ? <ul style={{ margin: 0, paddingLeft: 20 }}>{refused.details.map((d, i) => <li key={i}>{d.reason}</li>)}</ul>
            : undefined}
        />
      )}
      {busy && <Alert type="info" showIcon title={t('run.uploading', { size: formatBytes(chosen.file.size) })} style={{ marginBottom: 16 }} />}

      <Flex justify="space-between">
        <Button onClick={onBack} disabled={busy}>{t('mapping.back')}</Button>
        <Button type="primary" data-testid="start-import" loading={busy} onClick={() => void start()} disabled={issues.length > 0}>
          {t('mapping.start')}
        </Button>
      </Flex>
    </Card>
  )
}
