import { useMyStores } from '../../../hooks/use-stores.js'
import { ExperimentOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, DatePicker, Flex, Form, InputNumber, Progress, Select, Switch, Tag, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../api/client.js'
import { apiKey, REFERENCE_STALE_MS, useApiMutation, useApiQuery, type GetData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { errorMessage } from '../../../components/errors.js'
import { DEFAULT_TIMEZONE, formatCount } from '../../../format.js'

const NO_STORES: never[] = []

export type RuleLevel = GetData<'/api/v1/insight/rules/runs'>['runs'][number]['level']
export const LEVELS: readonly RuleLevel[] = ['sku', 'subcategory', 'category', 'department']

interface MineValues {
  level: RuleLevel
  period: [Dayjs, Dayjs]
  storeId?: string
  membersOnly: boolean
  /** % */
  minSupport: number
  /** % */
  minConfidence: number
  minLift: number
  maxLength: number
}

const MINE_FIELDS = ['level', 'from', 'to', 'storeId', 'membersOnly', 'minSupport', 'minConfidence', 'minLift', 'maxLength'] as const
type MineField = (typeof MINE_FIELDS)[number]
const fieldOf = (field: string): MineField | undefined => {
  const name = field.replace(/^\/?(body[./])?/, '')
  return MINE_FIELDS.find((f) => f === name)
}

const share = (percent: number) => Number((percent / 100).toFixed(8))

/**
 * The mining form: level, period, store (chain roles; a store role mines its own store), members'
 * sales only, and the thresholds, with the API's defaults (the category level, the last 90 days,
 * support 1 %, confidence 20 %, any lift, 4 items). Mining is a job (a large chain's takes
 * seconds): the card follows it with its progress and selects the new run when it is stored.
 */
export const MineCard = ({ onMined }: { onMined: (runId: string) => void }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'rules' })
  const { t: ts } = useTranslation('insight', { keyPrefix: 'shared' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const { user, store, chain, can } = useSession()
  const ownStore = user?.storeId ?? undefined
  const stores = useMyStores(useApiQuery('/api/v1/stores', undefined, { enabled: !ownStore, staleTime: REFERENCE_STALE_MS }).data ?? NO_STORES)
  const [form] = Form.useForm<MineValues>()
  const [failure, setFailure] = useState<unknown>(null)
  const client = useQueryClient()
  const [jobId, setJobId] = useState<string | null>(null)
  const mine = useApiMutation('post', '/api/v1/insight/rules/jobs', { onSuccess: (queued) => setJobId(queued.jobId) })
  const job = useApiQuery('/api/v1/insight/jobs/{id}', { params: { path: { id: jobId ?? '' } } }, { enabled: jobId !== null, refetchInterval: 1_000 }).data
  const finished = jobId !== null && job?.id === jobId && (job.status === 'done' || job.status === 'dead') ? job : null
  useEffect(() => {
    if (!finished) return
    setJobId(null)
    const result = finished.result as { runId?: string; rules?: number } | null
    if (finished.status === 'done' && result?.runId) {
      // the run list has its new run before the page selects it
      void client.invalidateQueries({ queryKey: apiKey('/api/v1/insight/rules/runs') }).then(() => {
        message.success(t('mine.done', { rules: formatCount(result.rules ?? 0) }))
        onMined(result.runId!)
      })
    } else setFailure(new Error(finished.lastError ?? t('mine.failed')))
  }, [finished, client, message, onMined, t])
  const busy = mine.isPending || jobId !== null
  const progress = jobId !== null && job?.id === jobId ? job.progress : null
  const today = dayjs().tz(chain?.timezone ?? DEFAULT_TIMEZONE).startOf('day')

  const submit = async (v: MineValues) => {
    setFailure(null)
    try {
      await mine.mutateAsync({
        body: {
          level: v.level, from: v.period[0].format('YYYY-MM-DD'), to: v.period[1].format('YYYY-MM-DD'),
          ...(ownStore || !v.storeId ? {} : { storeId: v.storeId }),
          membersOnly: v.membersOnly, minSupport: share(v.minSupport), minConfidence: share(v.minConfidence), minLift: v.minLift, maxLength: v.maxLength,
        },
      })
    } catch (err) {
      setFailure(err)
    }
  }

  const failedFields = failure instanceof ApiError
    ? [...new Set(failure.details.map((d) => fieldOf(d.field)).filter((f) => f !== undefined))]
    : []
  const fieldLabel = (f: MineField) => (f === 'from' || f === 'to' ? t('mine.period') : f === 'storeId' ? t('mine.store') : t(`mine.${f}`))

  return (
    <Card size="small" title={t('mine.title')}>
      <Form<MineValues>
        form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)} data-testid="rules-mine-form" disabled={busy}
        onValuesChange={() => setFailure(null)}
        initialValues={{ level: 'category', period: [today.subtract(89, 'day'), today], membersOnly: false, minSupport: 1, minConfidence: 20, minLift: 0, maxLength: 4 }}
      >
        <Flex wrap gap="0 16px" align="flex-end">
          <Form.Item name="level" label={t('mine.level')} tooltip={t('mine.levelHelp')}>
            <Select style={{ width: 140 }} data-testid="rules-level" options={LEVELS.map((l) => ({ value: l, label: t(`levels.${l}`) }))} />
          </Form.Item>
          <Form.Item name="period" label={t('mine.period')} rules={[{ required: true }]}>
            <DatePicker.RangePicker allowClear={false} data-testid="rules-period" disabledDate={(d) => d.isAfter(today, 'day')} />
          </Form.Item>
          {ownStore ? (
            <Form.Item label={t('mine.store')}>
              <Tag color="orange" data-testid="rules-store-fixed">{ts('storeFixed', { store: store ? `${store.code} ${store.name}` : ownStore })}</Tag>
            </Form.Item>
          ) : (
            <Form.Item name="storeId" label={t('mine.store')}>
              <Select
                allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 220 }} placeholder={t('mine.allStores')} data-testid="rules-store"
                options={stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
              />
            </Form.Item>
          )}
          <Form.Item name="membersOnly" label={t('mine.membersOnly')} tooltip={t('mine.membersOnlyHelp')} valuePropName="checked">
            <Switch data-testid="rules-members-only" />
          </Form.Item>
        </Flex>
        <Flex wrap gap="0 16px" align="flex-end">
          <Form.Item name="minSupport" label={t('mine.minSupport')} tooltip={t('mine.minSupportHelp')} rules={[{ required: true }]}>
            <InputNumber min={0.001} max={100} step={1} suffix="%" style={{ width: 130 }} data-testid="rules-min-support" />
          </Form.Item>
          <Form.Item name="minConfidence" label={t('mine.minConfidence')} tooltip={t('mine.minConfidenceHelp')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} step={5} suffix="%" style={{ width: 130 }} data-testid="rules-min-confidence" />
          </Form.Item>
          <Form.Item name="minLift" label={t('mine.minLift')} tooltip={t('mine.minLiftHelp')} rules={[{ required: true }]}>
            <InputNumber min={0} step={1} style={{ width: 130 }} data-testid="rules-min-lift" />
          </Form.Item>
          <Form.Item name="maxLength" label={t('mine.maxLength')} tooltip={t('mine.maxLengthHelp')} rules={[{ required: true }]}>
            <InputNumber min={2} max={10} precision={0} style={{ width: 130 }} data-testid="rules-max-length" />
          </Form.Item>
          {can('insight.read') && (
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<ExperimentOutlined />} loading={busy} disabled={false} data-testid="rules-mine">
                {t('mine.submit')}
              </Button>
            </Form.Item>
          )}
        </Flex>
      </Form>
      {busy && (
        <Flex vertical gap={4} data-testid="rules-mining">
          <Typography.Text type="secondary">{progress?.step ? t('mine.miningStep', { step: t(`mine.steps.${progress.step}`, { defaultValue: progress.step }) }) : t('mine.mining')}</Typography.Text>
          {progress && progress.total > 0 && <Progress percent={Math.round((100 * progress.done) / progress.total)} size="small" style={{ maxWidth: 360 }} />}
        </Flex>
      )}
      {failure !== null && (
        <Alert
          type="error" showIcon data-testid="rules-mine-error"
          title={errorMessage(tc, failure)}
          description={failedFields.length > 0 ? failedFields.map(fieldLabel).join(' · ') : undefined}
        />
      )}
    </Card>
  )
}
