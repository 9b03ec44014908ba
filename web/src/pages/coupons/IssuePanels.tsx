import { UploadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Col, Flex, Input, Popconfirm, Row, Statistic, Table, Tag, Typography, Upload } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount } from '../../format.js'
import type { Member } from '../../shared/member-options.js'
import { useMemberFinder } from '../../hooks/use-member-finder.js'
import { defaultIssueKey, fileLine, MAX_KEYS, parseKeyList, type KeyList } from './key-list.js'
import { groupCode } from './template-summary.js'
import type { BulkIssueResult, CouponTemplate } from './types.js'

const newIssueKey = () => `staff-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** Issues one coupon of the template to a member found by phone, card, ID number or email. */
export const IssueOnePanel = ({ template, onIssued }: { template: CouponTemplate; onIssued?: () => void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const finder = useMemberFinder()
  const [query, setQuery] = useState('')
  const [member, setMember] = useState<Member | null>(null)
  // One key per member found: a double click on Issue gives one coupon.
  const [issueKey, setIssueKey] = useState(newIssueKey)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const active = template.status === 'active'

  const find = async () => {
    setMember(null)
    const found = await finder.find(query)
    if (found) {
      setMember(found)
      setIssueKey(newIssueKey())
    }
  }

  const issue = async () => {
    if (!member) return
    setBusy(true)
    try {
      const coupon = await call(api.POST('/api/v1/members/{id}/coupons', {
        params: { path: { id: member.id } }, body: { templateId: template.id, issueKey, ...(note.trim() ? { note: note.trim() } : {}) },
      }))
      void message.success(t('issueOne.issued', { name: member.name ?? member.cardNo, code: groupCode(coupon.code) }))
      setMember(null)
      setQuery('')
      setNote('')
      onIssued?.()
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card title={t('issueOne.title')} size="small" data-testid="issue-one">
      {!active && <Alert type="warning" showIcon title={t('issueOne.inactive')} style={{ marginBottom: 12 }} />}
      <Input.Search
        value={query} placeholder={t('issueOne.placeholder')} enterButton={t('issueOne.find')} loading={finder.busy} disabled={!active} data-testid="issue-one-query"
        onChange={(e) => { setQuery(e.target.value); finder.clear() }} onSearch={() => void find()}
      />
      {finder.error && <Alert type="warning" showIcon title={finder.error} style={{ marginTop: 8 }} data-testid="issue-one-error" />}
      {member && (
        <Flex vertical gap={8} style={{ marginTop: 12 }} data-testid="issue-one-member">
          <Typography.Text>
            <Typography.Text strong>{member.name ?? '—'}</Typography.Text> · {member.cardNo} · {member.phone ?? '—'}
            {member.status !== 'active' && <Tag color="orange" style={{ marginInlineStart: 8 }}>{member.status}</Tag>}
          </Typography.Text>
          <Input value={note} maxLength={200} placeholder={t('issueOne.note')} onChange={(e) => setNote(e.target.value)} data-testid="issue-one-note" />
          <Button type="primary" loading={busy} onClick={() => void issue()} data-testid="issue-one-submit">{t('issueOne.issue')}</Button>
        </Flex>
      )}
    </Card>
  )
}


interface Chosen {
  name: string
  list: KeyList
}

/**
 * Issues the template to a list of members from a file read in the browser. The issue key makes a
 * re-run safe: members who got one under the key are skipped.
 */
export const BulkIssuePanel = ({ template, onIssued }: { template: CouponTemplate; onIssued?: () => void }) => {

  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [chosen, setChosen] = useState<Chosen | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [issueKey, setIssueKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<{ run: BulkIssueResult; list: KeyList } | null>(null)
  const active = template.status === 'active'

  const choose = async (file: File) => {
    setProblem(null)
    setChosen(null)
    setResult(null)
    setError(null)
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer())
    } catch {
      setProblem(t('bulk.notUtf8'))
      return
    }
    const list = parseKeyList(text)
    if (list.keys.length === 0) setProblem(t('bulk.empty'))
    else if (list.keys.length > MAX_KEYS) setProblem(t('bulk.tooMany', { max: formatCount(MAX_KEYS) }))
    else {
      setChosen({ name: file.name, list })
      setIssueKey(defaultIssueKey(dayjs().tz(tz).format('YYYY-MM-DD'), file.name))
    }
  }

  const issue = async () => {
    if (!chosen) return
    setBusy(true)
    setError(null)
    try {
      const run = await call(api.POST('/api/v1/coupon-templates/{id}/issues', {
        params: { path: { id: template.id } }, body: { issueKey: issueKey.trim(), keys: chosen.list.keys, sourceName: chosen.name },
      }))
      setResult({ run, list: chosen.list })
      onIssued?.()
    } catch (err) {
      if (err instanceof ApiError && err.code === 'OUT_OF_STORE_SCOPE' && err.details.length > 0) {
        // The server names the list's entries (keys.<index>, the first 20) of other stores' members.
        const keys = err.details.map((d) => chosen.list.keys[Number(d.field.replace(/^keys\./, ''))]).filter((k): k is string => !!k)
        setError(t('bulk.otherStore', { keys: keys.join('、') }))
        return
      }
      const details = err instanceof ApiError ? err.details.map((d) => d.reason).join('; ') : ''
      setError(`${errorMessage(tc, err)}${details ? `: ${details}` : ''}`)
    } finally {
      setBusy(false)
    }
  }

  // The server's per-line codes (coupons.service issueBulk), translated; an unknown one shows its English reason.
  const reasonText = (e: { code: string; reason: string }) => (e.code === 'unknown_member' ? t('bulk.reasons.noMember') : e.code === 'empty' ? t('bulk.reasons.empty') : e.reason)
  const keyOk = issueKey.trim().length > 0 && issueKey.length <= 100
  return (
    <Card title={t('bulk.title')} size="small" data-testid="bulk-issue">
      <Typography.Paragraph type="secondary">{t('bulk.help')}</Typography.Paragraph>
      <Upload accept=".csv,.txt,text/csv,text/plain" multiple={false} showUploadList={false} disabled={!active} beforeUpload={(file) => { void choose(file); return false }}>
        <Button icon={<UploadOutlined />} disabled={!active} data-testid="bulk-file">{t('bulk.pick')}</Button>
      </Upload>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} data-testid="bulk-problem" />}
      {chosen && (
        <Flex vertical gap={8} style={{ marginTop: 12 }}>
          <Typography.Text strong data-testid="bulk-file-summary">{t('bulk.file', { name: chosen.name, n: formatCount(chosen.list.keys.length) })}</Typography.Text>
          {chosen.list.header !== null && <Typography.Text type="secondary">{t('bulk.header', { header: chosen.list.header })}</Typography.Text>}
          {chosen.list.rejected.length > 0 && <Alert type="warning" showIcon title={t('bulk.rejected', { n: chosen.list.rejected.length })} />}
          <div>
            <Typography.Text>{t('bulk.issueKey')}</Typography.Text>
            <Input value={issueKey} maxLength={100} status={keyOk ? undefined : 'error'} onChange={(e) => setIssueKey(e.target.value)} data-testid="bulk-issue-key" />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('bulk.issueKeyHelp')}</Typography.Text>
          </div>
          <Popconfirm
            title={t('bulk.confirm', { name: template.name, n: formatCount(chosen.list.keys.length) })}
            okButtonProps={{ 'data-testid': 'bulk-confirm' } as never} onConfirm={() => issue()}
          >
            <Button type="primary" loading={busy} disabled={!keyOk || !active} data-testid="bulk-submit">{t('bulk.issue')}</Button>
          </Popconfirm>
        </Flex>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="bulk-error" />}
      {result && (
        <div style={{ marginTop: 12 }} data-testid="bulk-result">
          <Row gutter={16}>
            <Col span={8}><Statistic title={t('bulk.issued')} value={formatCount(result.run.issued)} valueRender={(n) => <span data-testid="bulk-issued">{n}</span>} /></Col>
            <Col span={8}><Statistic title={<span title={t('bulk.skippedHelp')}>{t('bulk.skipped')}</span>} value={formatCount(result.run.skipped)} valueRender={(n) => <span data-testid="bulk-skipped">{n}</span>} /></Col>
            <Col span={8}><Statistic title={t('bulk.failed')} value={formatCount(result.run.failed)} valueRender={(n) => <span data-testid="bulk-failed">{n}</span>} styles={{ content: { color: result.run.failed ? '#cf1322' : undefined } }} /></Col>
          </Row>
          {result.run.errors.length > 0 && (
            <>
              <Typography.Text strong style={{ display: 'block', marginTop: 8 }}>{t('bulk.errors')}</Typography.Text>
              <Table
                size="small" rowKey={(e) => `${e.line}-${e.value}`} dataSource={result.run.errors} pagination={{ pageSize: 10, hideOnSinglePage: true }} data-testid="bulk-errors"
                columns={[
                  { key: 'line', title: t('bulk.line'), width: 70, render: (_, e) => fileLine(result.list, e.line) },
                  { key: 'value', title: t('bulk.value'), dataIndex: 'value' },
                  { key: 'reason', title: t('bulk.reason'), render: (_, e) => reasonText(e) },
                ]}
              />
            </>
          )}
        </div>
      )}
    </Card>
  )
}
