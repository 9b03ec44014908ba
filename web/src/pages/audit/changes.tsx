import { ArrowRightOutlined } from '@ant-design/icons'
import { Table, Typography } from 'antd'
import { useTranslation } from 'react-i18next'

type Changes = Record<string, unknown>

interface Diff {
  from: unknown
  to: unknown
}

/** `{ from, to }`: the shape the server records for a changed field (diffFields). */
const isDiff = (v: unknown): v is Diff =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && 'from' in v && 'to' in v

export const formatValue = (v: unknown): string => {
  if (v === null || v === undefined) return '∅'
  if (typeof v === 'string') return v === '' ? '""' : v
  return JSON.stringify(v)
}

/** One line for the table: the first fields and their values, and how many more. */
export const ChangesSummary = ({ changes }: { changes: Changes | null }) => {
  const { t } = useTranslation('audit')
  const entries = Object.entries(changes ?? {})
  if (entries.length === 0) return <Typography.Text type="secondary">—</Typography.Text>
  const shown = entries.slice(0, 3).map(([k, v]) => (isDiff(v) ? `${k}: ${formatValue(v.from)} → ${formatValue(v.to)}` : `${k}: ${formatValue(v)}`))
  const text = shown.join('; ') + (entries.length > 3 ? ` ${t('changes.more', { count: entries.length - 3 })}` : '')
  return <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: 360 }}>{text}</Typography.Text>
}

const Value = ({ v }: { v: unknown }) => {
  const { t } = useTranslation('audit')
  if (v === null || v === undefined) return <Typography.Text type="secondary">{t('changes.empty')}</Typography.Text>
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return <span>{String(v)}</span>
  return <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(v, null, 2)}</pre>
}

/** The expanded row: every field, as before → after for changed fields. */
export const ChangesDetail = ({ changes }: { changes: Changes }) => {
  const { t } = useTranslation('audit')
  const rows = Object.entries(changes).map(([field, v]) => ({ field, v }))
  const hasDiffs = rows.some((r) => isDiff(r.v))
  return (
    <Table
      data-testid="audit-changes"
      size="small"
      rowKey="field"
      pagination={false}
      dataSource={rows}
      style={{ maxWidth: 900 }}
      columns={[
        { key: 'field', title: t('changes.field'), width: 200, render: (_, r) => <Typography.Text code>{r.field}</Typography.Text> },
        ...(hasDiffs
          ? [
            { key: 'from', title: t('changes.from'), render: (_: unknown, r: { v: unknown }) => (isDiff(r.v) ? <Value v={r.v.from} /> : null) },
            { key: 'arrow', title: '', width: 40, render: (_: unknown, r: { v: unknown }) => (isDiff(r.v) ? <ArrowRightOutlined /> : null) },
            { key: 'to', title: t('changes.to'), render: (_: unknown, r: { v: unknown }) => <Value v={isDiff(r.v) ? r.v.to : r.v} /> },
          ]
          : [{ key: 'value', title: t('changes.value'), render: (_: unknown, r: { v: unknown }) => <Value v={r.v} /> }]),
      ]}
    />
  )
}
