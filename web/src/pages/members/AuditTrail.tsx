import { Button, Card, Skeleton, Table, Tag, type TableColumnsType } from 'antd'
import { useCallback, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiPages, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../format.js'
import { describeAudit, type Translators } from '../audit/audit-words.js'

type Page = GetData<'/api/v1/members/{id}/audit'>
type Entry = Page['items'][number] & { labels: Page['labels'] }

const ACTION_COLORS: Record<string, string> = {
  'member.register': 'green', 'member.freeze': 'orange', 'member.unfreeze': 'blue', 'member.reveal': 'purple',
  'member.merge': 'magenta', 'member.merged_into': 'magenta',
}

/** Who did what to the member, newest first (including the records merged into it). */
export const AuditTrail = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('members')
  const { t: tc, i18n } = useTranslation()
  // i18n stays the same object when the language changes: the language itself is the dependency.
  const language = i18n.language
  const tr = useCallback<Translators>((ns) => i18n.getFixedT(language, ns) as unknown as ReturnType<Translators>, [i18n, language])
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const { pages, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/members/{id}/audit', { params: { path: { id: memberId } } })
  // Each entry keeps the names its page came with.
  const entries = useMemo<Entry[] | null>(() => pages?.flatMap((p) => p.items.map((e) => ({ ...e, labels: p.labels }))) ?? null, [pages])


  const columns: TableColumnsType<Entry> = [
    { title: t('audit.time'), dataIndex: 'at', width: 150, render: (at: string) => formatDateTime(at, tz) },
    {
      title: t('audit.action'), dataIndex: 'action', width: 160,
      render: (action: string) => (
        <Tag color={ACTION_COLORS[action]}>{tr('audit')(`actions.${action.replaceAll('.', '_')}`, { defaultValue: action })}</Tag>
      ),
    },
    {
      title: t('audit.actor'), key: 'actor', width: 160,
      render: (_, e) => e.actorName ?? (t(`audit.actors.${e.actorType}` as never, { defaultValue: e.actorType }) as string),
    },
    {
      title: t('audit.changes'), dataIndex: 'changes',
      render: (_, e) => {
        const lines = describeAudit(tr, { ...e, entityType: 'member' }, e.labels, tz).lines
        return lines.length ? lines.map((line, i) => <div key={i}>{line}</div>) : '—'
      },
    },
  ]

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  if (!entries) return <Skeleton active />
  return (
    <Card variant="borderless">
      <Table rowKey="id" size="small" columns={columns} dataSource={entries} pagination={false} data-testid="member-audit" />
      {nextCursor && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button loading={loadingMore} onClick={more} data-testid="member-audit-more">{tc('actions.loadMore')}</Button>
        </div>
      )}
    </Card>
  )
}
