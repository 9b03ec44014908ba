import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Col, Popconfirm, Row, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { DEFAULT_TIMEZONE } from '../../format.js'
import { EarnTester } from './EarnTester.js'
import { RuleFormModal } from './RuleFormModal.js'
import { ruleState, scopeText, sortRules, summarizeRule, type RuleState } from './rule-summary.js'
import { ruleValidity } from './rule-validity.js'
import type { EarningRule } from './types.js'
import { useReferenceData } from '../../hooks/use-reference-data.js'

const STATE_COLORS: Record<RuleState, string> = { active: 'green', scheduled: 'blue', ended: 'default', disabled: 'default' }
const KIND_COLORS: Record<EarningRule['definition']['kind'], string> = { base: 'blue', multiplier: 'orange', birthday: 'magenta', cap: 'red' }

/**
 * Earning rules in force and scheduled (or every version), created and revised by those who
 * manage loyalty, with the basket tester beside them.
 */
export const RulesPage = () => {
  const { t } = useTranslation('loyalty')
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const manage = can('loyalty.manage')
  const refs = useReferenceData()
  const [history, setHistory] = useState(false)
  // A rule ended or saved reloads the list by itself (any change reloads what is on screen).
  const { data: rules, error, isFetching: loading, refetch } = useApiQuery(
    '/api/v1/loyalty/rules', { params: { query: history ? { includeHistory: true } : {} } }, { select: sortRules },
  )
  const load = () => void refetch()
  const [editing, setEditing] = useState<EarningRule | 'new' | null>(null)
  const [ending, setEnding] = useState<string | null>(null)

  // Only a rule's newest version is changed or ended (an older one has a successor).
  const latest = useMemo(() => {
    const m = new Map<string, number>()
    for (const r of rules ?? []) m.set(r.ruleKey, Math.max(m.get(r.ruleKey) ?? 0, r.version))
    return m
  }, [rules])

  const end = async (rule: EarningRule) => {
    setEnding(rule.ruleKey)
    try {
      await call(api.POST('/api/v1/loyalty/rules/{key}/end', { params: { path: { key: rule.ruleKey } }, body: {} }))
      void message.success(t('rules.ended'))
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setEnding(null)
    }
  }

  const now = new Date()
  const columns: TableColumnsType<EarningRule> = [
    {
      key: 'name', title: t('rules.columns.name'), width: 180,
      render: (_, r) => <Space size={4} wrap><Typography.Text strong>{r.name}</Typography.Text><Tag>v{r.version}</Tag></Space>,
    },
    { key: 'kind', title: t('rules.columns.kind'), width: 100, render: (_, r) => <Tag color={KIND_COLORS[r.definition.kind]}>{t(`kinds.${r.definition.kind}`)}</Tag> },
    { key: 'summary', title: t('rules.columns.summary'), render: (_, r) => summarizeRule(r.definition, t) },
    { key: 'scope', title: t('rules.columns.scope'), width: 140, render: (_, r) => scopeText(r, { store: refs.storeName, region: refs.regionName }, t) },
    {
      key: 'validity', title: t('rules.columns.validity'), width: 170,
      render: (_, r) => {
        const { from, to } = ruleValidity(r, tz)
        if (!from && !to) return <Typography.Text data-testid="rule-validity">{t('rules.forever')}</Typography.Text>
        return (
          <Typography.Text style={{ whiteSpace: 'nowrap' }} data-testid="rule-validity">
            {from && <>{from}<br /></>}
            <Typography.Text type="secondary">~ {to ?? t('rules.forever')}</Typography.Text>
          </Typography.Text>
        )
      },
    },
    {
      key: 'state', title: t('rules.columns.state'), width: 90,
      render: (_, r) => {
        const state = ruleState(r, now)
        return <Tag color={STATE_COLORS[state]} data-testid={`rule-state-${r.id}`}>{t(`state.${state}`)}</Tag>
      },
    },
    ...(manage ? [{
      key: 'actions', title: t('rules.columns.actions'), width: 120, fixed: 'right' as const,
      render: (_: unknown, r: EarningRule) => {
        const state = ruleState(r, now)
        if (latest.get(r.ruleKey) !== r.version || state === 'ended' || state === 'disabled') return null
        return (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => setEditing(r)} data-testid={`revise-rule-${r.ruleKey}`}>{t('rules.revise')}</Button>
            <Popconfirm
              title={t('rules.endConfirm', { name: r.name })}
              description={<div style={{ maxWidth: 300 }}>{t('rules.endHint')}</div>}
              okText={t('rules.end')} okButtonProps={{ danger: true, 'data-testid': 'end-rule-confirm' } as never}
              onConfirm={() => end(r)}
            >
              <Button type="link" size="small" danger loading={ending === r.ruleKey} data-testid={`end-rule-${r.ruleKey}`}>{t('rules.end')}</Button>
            </Popconfirm>
          </Space>
        )
      },
    }] : []),
  ]

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xxl={15}>
        <Card
          title={t('rules.title')}
          extra={(
            <Space>
              <Space size={6}>
                <Switch size="small" checked={history} onChange={setHistory} data-testid="rules-history" />
                <Typography.Text>{t('rules.history')}</Typography.Text>
              </Space>
              {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-rule">{t('rules.create')}</Button>}
            </Space>
          )}
        >
          {error
            ? <ErrorResult error={error} onRetry={load} compact />
            : (
              <Table<EarningRule>
                data-testid="rules-table" rowKey="id" size="middle" columns={columns} dataSource={rules ?? []} loading={loading}
                pagination={false} scroll={{ x: 1000 }} locale={{ emptyText: t('rules.empty') }}
                onRow={(r) => (['ended', 'disabled'].includes(ruleState(r, now)) ? { style: { opacity: 0.6 } } : {})}
              />
            )}
        </Card>
      </Col>
      <Col xs={24} xxl={9}>
        <EarnTester stores={refs.stores} tree={refs.tree} tz={tz} />
      </Col>
      {editing && (
        <RuleFormModal
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          tz={tz} stores={refs.stores} regions={refs.regions} tree={refs.tree}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null)
            void message.success(created ? t('rules.created') : t('rules.revised', { version: saved.version }))

          }}
        />
      )}
    </Row>
  )
}

export default RulesPage
