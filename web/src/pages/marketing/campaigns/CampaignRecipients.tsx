import { Button, Flex, Select, Space, Table, Tag, type TableColumnsType } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiPages } from '../../../api/query.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { formatDateTime } from '../../../format.js'
import { CHANNEL_COLORS } from '../marketing-words.js'
import type { CampaignRun, Recipient } from './campaign-form.js'

type Group = Recipient['group']
type Status = Recipient['status']
const GROUPS: Group[] = ['target', 'holdout', 'chain_holdout']
const STATUSES: Status[] = ['pending', 'sent', 'failed', 'skipped', 'held_out']
const STATUS_COLORS: Record<Status, string> = { pending: 'gold', sent: 'green', failed: 'red', skipped: 'default', held_out: 'purple' }

/** The run picker of the recipients and the report: the latest run first. */
export const RunSelect = ({ runs, value, onChange }: { runs: CampaignRun[]; value: string; onChange: (id: string) => void }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.runs' })
  if (runs.length < 2) return null
  return <Select style={{ width: 200 }} value={value} onChange={onChange} options={runs.map((r, i) => ({ value: r.id, label: t('run', { n: runs.length - i }) }))} />
}

/** A run's members (masked), with their group, what became of them and why; read again while the run sends. */
export const CampaignRecipients = ({ campaignId, runs, tz }: { campaignId: string; runs: CampaignRun[]; tz: string }) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'campaigns.recipients' })
  const { t: tr } = useTranslation('marketing', { keyPrefix: 'campaigns.runs' })
  const { t: tw } = useTranslation('marketing', { keyPrefix: 'words' })
  const { t: tc } = useTranslation()
  const [runId, setRunId] = useState(runs[0]!.id)
  const [group, setGroup] = useState<Group | undefined>()
  const [status, setStatus] = useState<Status | undefined>()
  const run = runs.find((r) => r.id === runId) ?? runs[0]!
  const query = { runId: run.id, ...(group ? { group } : {}), ...(status ? { status } : {}) }
  const { items, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/marketing/campaigns/{id}/recipients', { params: { path: { id: campaignId }, query } })
  // What the run has done so far: when it moves, the list is read again.
  const progress = `${run.sent}/${run.failed}/${run.skipped}/${run.pending}`
  const seen = useRef(progress)
  useEffect(() => {
    if (seen.current === progress) return
    seen.current = progress
    load()
  }, [progress, load])
  if (error) return <ErrorResult error={error} onRetry={load} />
  const columns: TableColumnsType<Recipient> = [
    { key: 'cardNo', title: t('columns.cardNo'), width: 170, render: (_, r) => <Link to={`/members/${r.memberId}`}>{r.cardNo}</Link> },
    { key: 'name', title: t('columns.name'), width: 110, render: (_, r) => r.name ?? '—' },
    { key: 'phone', title: t('columns.phone'), width: 130, render: (_, r) => r.phone ?? '—' },
    { key: 'group', title: t('columns.group'), width: 120, render: (_, r) => t(`groups.${r.group}`) },
    { key: 'status', title: t('columns.status'), width: 140, render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{t(`statuses.${r.status}`)}</Tag> },
    { key: 'channel', title: t('columns.channel'), width: 100, render: (_, r) => (r.channel ? <Tag color={CHANNEL_COLORS[r.channel]}>{tw(`channels.${r.channel}`)}</Tag> : '—') },
    { key: 'reason', title: t('columns.reason'), width: 140, render: (_, r) => (r.reason ? tr(`skipReasons.${r.reason}`) : '—') },
    { key: 'updatedAt', title: t('columns.updatedAt'), width: 150, render: (_, r) => formatDateTime(r.updatedAt, tz) },
  ]
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <RunSelect runs={runs} value={run.id} onChange={setRunId} />
        <Select<Group>
          allowClear placeholder={t('group')} style={{ width: 150 }} value={group} onChange={setGroup}
          options={GROUPS.map((g) => ({ value: g, label: t(`groups.${g}`) }))} data-testid="recipients-filter-group"
        />
        <Select<Status>
          allowClear placeholder={t('status')} style={{ width: 170 }} value={status} onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} data-testid="recipients-filter-status"
        />
      </Space>
      <Table<Recipient>
        rowKey="memberId" size="small" loading={items === null} dataSource={items ?? []} columns={columns} pagination={false} scroll={{ x: 1060 }}
        locale={{ emptyText: t('empty') }} data-testid="recipients-table"
      />
      {nextCursor && <Flex justify="center" style={{ marginTop: 16 }}><Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button></Flex>}
    </>
  )
}
