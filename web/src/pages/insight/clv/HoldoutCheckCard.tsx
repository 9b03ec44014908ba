import { ReloadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Form, InputNumber, Modal, Radio, Row, Select, Skeleton, Statistic, Table, Typography, type TableColumnsType } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { REFERENCE_STALE_MS, useApiMutation, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { EChart } from '../../../components/EChart.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { checkBody, checkOutcome, holdoutWeeksOf, type CheckForm } from './clv-actions.js'
import { formatDecimal, formatDifference, holdoutOption, perMember, type HoldoutGroup } from './clv-charts.js'

/** How often the queued check's job is read while it runs, and how long before the card stops waiting. */
const POLL_MS = 1_500
const WAIT_MINUTES = 3

const sig = (v: number) => Number(v.toPrecision(4))

/** The form of 重新检验: the holdout's weeks to today, the time unit, the whole chain or a region. */
const RunCheckModal = ({ open, initial, busy, onRun, onClose }: {
  open: boolean; initial: CheckForm; busy: boolean; onRun: (form: CheckForm) => void; onClose: () => void
}) => {
  const { t } = useTranslation('insight', { keyPrefix: 'clv.check' })
  const { can } = useSession()
  const [form] = Form.useForm<CheckForm>()
  const regions = useApiQuery('/api/v1/regions', undefined, { staleTime: REFERENCE_STALE_MS, enabled: open && can('stores.read') }).data ?? []
  return (
    <Modal
      title={t('runTitle')} open={open} onCancel={onClose} onOk={() => form.submit()} okText={t('start')} confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'clv-check-start' } as never}
    >
      <Typography.Paragraph type="secondary">{t('runIntro')}</Typography.Paragraph>
      <Form<CheckForm> form={form} layout="vertical" initialValues={initial} onFinish={onRun} data-testid="clv-check-form">
        <Form.Item name="weeks" label={<TitleWithHelp title={t('weeks')} help={t('weeksHelp')} />} rules={[{ required: true, message: t('weeks') }]}>
          <InputNumber min={1} max={260} precision={0} style={{ width: 160 }} data-testid="clv-check-weeks" />
        </Form.Item>
        <Form.Item name="unit" label={t('unit')}>
          <Radio.Group options={(['week', 'day'] as const).map((u) => ({ value: u, label: t(`units.${u}`) }))} />
        </Form.Item>
        {regions.length > 0 && (
          <Form.Item name="regionId" label={<TitleWithHelp title={t('region')} help={t('regionHelp')} />}>
            <Select allowClear placeholder={t('wholeChain')} style={{ width: 240 }} options={regions.map((r) => ({ value: r.id, label: r.name }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  )
}

/**
 * 模型检验: the last calibration / holdout check — purchases made in the holdout beside those
 * BG/NBD predicted, by repeat purchases in the calibration period (the paper's chart), with the
 * totals, the fit and the definitions; for insight.manage a new check, followed until it is stored.
 */
export const HoldoutCheckCard = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'clv.check' })
  const { t: tc } = useTranslation()
  const { chain, can } = useSession()
  const { message } = App.useApp()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  // the job of the check asked for, while the card follows it
  const [jobId, setJobId] = useState<string | null>(null)
  const [formOpen, setFormOpen] = useState(false)
  const { data, error, refetch } = useApiQuery('/api/v1/insight/clv/checks/latest')
  const job = useApiQuery('/api/v1/insight/jobs/{id}', { params: { path: { id: jobId ?? '' } } }, { enabled: jobId !== null, refetchInterval: POLL_MS }).data
  const run = useApiMutation('post', '/api/v1/insight/clv/checks')
  const check = data?.check ?? null
  const holdout = check?.result.holdout
  const regionName = useRegionName(check?.regionId ?? null)

  const labels = useMemo(() => ({
    actual: t('columns.actualPer'), predicted: t('columns.predictedPer'), repeats: t('chartRepeats'), perMember: t('chartPerMember'),
    members: t('columns.members'), total: t('chartTotal'),
  }), [t])
  const option = useMemo(() => holdout && holdoutOption(holdout.byRepeats, labels), [holdout, labels])

  const start = async (form: CheckForm) => {
    try {
      // the same request within a minute joins the job already queued: its id comes back all the same
      const queued = await run.mutateAsync({ body: checkBody(form, dayjs().tz(tz).format('YYYY-MM-DD')) })
      setFormOpen(false)
      setJobId(queued.jobId)
    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }
  // The job says how it ended (GET /insight/jobs/{id}): a stored check is then read, a refusal
  // (too few purchases before the calibration end) leaves the last check and says why.
  useEffect(() => {
    const outcome = jobId ? checkOutcome(jobId, job) : null
    if (!outcome || outcome.kind === 'waiting') return
    setJobId(null)
    if (outcome.kind === 'stored') void refetch().then(() => message.success(t('done')))
    else if (outcome.kind === 'refused') void message.warning(t('refused', { reason: tc(outcome.code as never, { ns: 'errors', defaultValue: outcome.code }) }), 10)
    else void message.error(t('failed', { error: outcome.error ?? '' }), 10)
  }, [jobId, job, refetch, message, t, tc])
  useEffect(() => {
    if (!jobId) return
    const timer = setTimeout(() => {
      setJobId(null)
      void message.warning(t('slow', { minutes: WAIT_MINUTES }), 10)
    }, WAIT_MINUTES * 60_000)
    return () => clearTimeout(timer)
  }, [jobId, message, t])

  const running = jobId !== null
  const runButton = can('insight.manage') && (
    <Button icon={<ReloadOutlined />} loading={running} onClick={() => setFormOpen(true)} data-testid="clv-check-run">{t('run')}</Button>
  )
  const initial: CheckForm = { weeks: holdoutWeeksOf(holdout, check?.result.unit), unit: check?.result.unit ?? 'week', regionId: check?.regionId ?? null }

  return (
    <Card title={<TitleWithHelp title={t('title')} help={t('help')} testId="clv-check-help" />} extra={runButton} data-testid="clv-check">
      <Flex vertical gap={16}>
        {running && <Alert type="info" showIcon title={t('running')} data-testid="clv-check-running" />}
        {error ? <ErrorResult error={error} onRetry={() => void refetch()} compact />
          : !data ? <Skeleton active />
            : !check ? <Empty description={t('none')} data-testid="clv-check-empty" />
              : (
                <Row gutter={[24, 16]}>
                  <Col xs={24} xl={15}>
                    {holdout && option ? (
                      <Flex vertical gap={12}>
                        <Row gutter={16}>
                          <Col span={8}><Statistic title={t('actual')} value={formatCount(holdout.actual)} valueRender={(n) => <span data-testid="clv-check-actual">{n}</span>} /></Col>
                          <Col span={8}><Statistic title={t('predicted')} value={formatDecimal(holdout.predicted, 1)} valueRender={(n) => <span data-testid="clv-check-predicted">{n}</span>} /></Col>
                          <Col span={8}>
                            <Statistic
                              title={<TitleWithHelp title={t('difference')} help={t('differenceHelp')} />} value={formatDifference(holdout.predicted, holdout.actual)}
                              valueRender={(n) => <span data-testid="clv-check-difference">{n}</span>}
                            />
                          </Col>
                        </Row>
                        <div data-testid="clv-check-chart"><EChart option={option} height={300} /></div>
                        <GroupsTable groups={holdout.byRepeats} total={{ repeats: '', members: holdout.byRepeats.reduce((s, g) => s + g.members, 0), actual: holdout.actual, predicted: holdout.predicted }} />
                      </Flex>
                    ) : <Empty description={t('noHoldout')} />}
                  </Col>
                  <Col xs={24} xl={9}>
                    <Flex vertical gap={16}>
                      <Descriptions size="small" column={1} data-testid="clv-check-fit">
                        <Descriptions.Item label={t('checkedAt')}>{formatDateTime(check.checkedAt, tz)}</Descriptions.Item>
                        <Descriptions.Item label={t('calibrationEnd')}><span data-testid="clv-check-calibration-end">{check.result.calibrationEnd}</span></Descriptions.Item>
                        {holdout && <Descriptions.Item label={t('holdoutEnd')}><span data-testid="clv-check-holdout-end">{holdout.end}</span></Descriptions.Item>}
                        {holdout && (
                          <Descriptions.Item label={t('length')}>
                            <span data-testid="clv-check-length">{t('lengthValue', { length: Number(holdout.length.toFixed(1)), unit: t(`units.${check.result.unit}`) })}</span>
                          </Descriptions.Item>
                        )}
                        <Descriptions.Item label={t('scope')}>{check.regionId ? regionName : t('wholeChain')}</Descriptions.Item>
                        <Descriptions.Item label={t('members')}>
                          <span data-testid="clv-check-members">{t('membersValue', { members: formatCount(check.result.members), repeat: formatCount(check.result.repeatMembers) })}</span>
                        </Descriptions.Item>
                        <Descriptions.Item label="BG/NBD">
                          <span data-testid="clv-check-params">r {sig(check.result.r)} · α {sig(check.result.alpha)} · a {sig(check.result.a)} · b {sig(check.result.b)}</span>
                        </Descriptions.Item>
                        <Descriptions.Item label={t('logLikelihood')}>{check.result.logLikelihood.toFixed(2)}</Descriptions.Item>
                      </Descriptions>
                      <Definitions />
                    </Flex>
                  </Col>
                </Row>
              )}
      </Flex>
      {formOpen && <RunCheckModal open={formOpen} initial={initial} busy={run.isPending} onRun={(f) => void start(f)} onClose={() => setFormOpen(false)} />}
    </Card>
  )
}

/** A region's name for the check's scope (its id while the regions load, or for a role that may not read them). */
const useRegionName = (regionId: string | null): string | null => {
  const { can } = useSession()
  const regions = useApiQuery('/api/v1/regions', undefined, { staleTime: REFERENCE_STALE_MS, enabled: regionId !== null && can('stores.read') }).data
  return regionId === null ? null : regions?.find((r) => r.id === regionId)?.name ?? regionId
}

/** The groups in figures: members, purchases made and predicted (in total and per member), the difference. */
const GroupsTable = ({ groups, total }: { groups: readonly HoldoutGroup[]; total: HoldoutGroup }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'clv.check' })
  const columns: TableColumnsType<HoldoutGroup> = [
    { key: 'repeats', title: t('columns.repeats'), render: (_, g) => g.repeats },
    { key: 'members', title: t('columns.members'), align: 'right', render: (_, g) => formatCount(g.members) },
    { key: 'actual', title: t('columns.actual'), align: 'right', render: (_, g) => formatCount(g.actual) },
    { key: 'predicted', title: t('columns.predicted'), align: 'right', render: (_, g) => formatDecimal(g.predicted, 1) },
    { key: 'actualPer', title: t('columns.actualPer'), align: 'right', render: (_, g) => formatDecimal(perMember(g).actual, 2) },
    { key: 'predictedPer', title: t('columns.predictedPer'), align: 'right', render: (_, g) => formatDecimal(perMember(g).predicted, 2) },
    { key: 'difference', title: t('columns.difference'), align: 'right', render: (_, g) => formatDifference(g.predicted, g.actual) },
  ]
  const cells = [
    t('columns.total'), formatCount(total.members), formatCount(total.actual), formatDecimal(total.predicted, 1),
    formatDecimal(perMember(total).actual, 2), formatDecimal(perMember(total).predicted, 2), formatDifference(total.predicted, total.actual),
  ]
  return (
    <Table<HoldoutGroup>
      size="small" rowKey="repeats" pagination={false} columns={columns} dataSource={[...groups]} data-testid="clv-check-table"
      onRow={(g) => ({ 'data-testid': `clv-check-row-${g.repeats}` }) as never}
      summary={() => (
        <Table.Summary.Row data-testid="clv-check-row-total">
          {cells.map((c, i) => <Table.Summary.Cell key={i} index={i} align={i === 0 ? 'left' : 'right'}><Typography.Text strong>{c}</Typography.Text></Table.Summary.Cell>)}
        </Table.Summary.Row>
      )}
    />
  )
}

/** What calibration, holdout, made and predicted mean, in words. */
const Definitions = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'clv.check.definitions' })
  return (
    <Flex vertical gap={4} data-testid="clv-check-definitions">
      <Typography.Text strong>{t('title')}</Typography.Text>
      {(['purchase', 'calibration', 'holdout', 'predicted', 'reading'] as const).map((k) => (
        <Typography.Text key={k} type="secondary" style={{ fontSize: 12 }}>{t(k)}</Typography.Text>
      ))}
    </Flex>
  )
}
