import { App, Alert, Button, Card, Flex, Form, InputNumber, Popconfirm, Table, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiMutation, useApiPages, useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../format.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { useStores } from '../../hooks/use-stores.js'

type Inactive = GetData<'/api/v1/privacy/retention'>['items'][number]

/**
 * 长期未活跃会员 (HQ administrators): the chain's retention years (0 is off), the members without
 * activity for that long, and a request to erase them all after the cooling-off.
 */
export const RetentionCard = () => {
  const { t } = useTranslation('members', { keyPrefix: 'privacy.retention' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const { storeName } = useStores()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const settings = useApiQuery('/api/v1/privacy/settings')
  const save = useApiMutation('put', '/api/v1/privacy/settings')
  const erase = useApiMutation('post', '/api/v1/privacy/retention/erase')
  const [years, setYears] = useState<number | null>(null)
  const saved = settings.data?.retentionYears ?? 0
  const { items, pages, nextCursor, loadingMore, error, load, more } = useApiPages('/api/v1/privacy/retention', { params: { query: { limit: 50 } } }, { enabled: saved > 0 })
  if (!settings.data) return null
  const value = years ?? saved
  const list = pages?.[0]
  const coolingOffDays = settings.data.coolingOffDays

  const columns: TableColumnsType<Inactive> = [
    { key: 'card', title: t('card'), width: 170, render: (_, r) => <Link to={`/members/${r.memberId}`}>{r.cardNo}</Link> },
    { key: 'name', title: t('name'), width: 110, render: (_, r) => r.nameMasked ?? '—' },
    { key: 'store', title: t('store'), render: (_, r) => storeName(r.registrationStoreId) ?? '—' },
    { key: 'registered', title: t('registered'), width: 160, render: (_, r) => formatDateTime(r.registeredAt, tz) },
    { key: 'lastActivity', title: t('lastActivity'), width: 160, render: (_, r) => (r.lastActivityAt ? formatDateTime(r.lastActivityAt, tz) : <Typography.Text type="secondary">{t('never')}</Typography.Text>) },
  ]

  const saveYears = async () => {
    try {
      await save.mutateAsync({ body: { retentionYears: value } })
      setYears(null)
      void message.success(t('saved'))
    } catch (err) {
      void message.error(errorText(err))
    }
  }

  const eraseAll = async () => {
    if (!list) return
    try {
      const done = await erase.mutateAsync({ body: { cutoff: list.cutoff } })
      void message.success(t('erased', { requested: formatCount(done.requested), skipped: formatCount(done.skipped) }))
    } catch (err) {
      void message.error(errorText(err))
      load()
    }
  }

  return (
    <Card title={t('title')} size="small" data-testid="privacy-retention">
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('intro')}</Typography.Paragraph>
        <Flex gap={12} align="center" wrap>
          <Form.Item label={t('years')} style={{ margin: 0 }} help={t('yearsHelp')}>
            <InputNumber min={0} max={30} precision={0} value={value} onChange={(v) => setYears(v)} addonAfter={t('yearsUnit')} data-testid="privacy-retention-years" />
          </Form.Item>
          <Button type="primary" disabled={years === null || years === saved} loading={save.isPending} onClick={saveYears} data-testid="privacy-retention-save">{t('save')}</Button>
        </Flex>
        {saved === 0 ? <Alert type="info" showIcon title={t('off')} /> : error ? <ErrorResult error={error} onRetry={load} compact /> : (
          <>
            {list && (
              <Flex gap={12} align="center" justify="space-between" wrap>
                <Typography.Text data-testid="privacy-retention-summary">
                  {t('summary', { years: list.retentionYears, cutoff: formatDateTime(list.cutoff, tz), members: formatCount(list.total) })}
                </Typography.Text>
                <Popconfirm
                  title={t('eraseTitle', { members: formatCount(list.total) })}
                  description={<div style={{ maxWidth: 360 }}>{coolingOffDays > 0 ? t('eraseCoolingOff', { days: coolingOffDays }) : t('eraseAtOnce')}</div>}
                  okText={t('eraseOk')} okButtonProps={{ danger: true }} onConfirm={eraseAll}
                >
                  <Button danger disabled={list.total === 0} loading={erase.isPending} data-testid="privacy-retention-erase">{t('eraseAll')}</Button>
                </Popconfirm>
              </Flex>
            )}
            <Table<Inactive> rowKey="memberId" size="small" columns={columns} dataSource={items ?? []} loading={items === null} pagination={false} scroll={{ x: 760 }} locale={{ emptyText: t('empty') }} data-testid="privacy-retention-members" />
            {nextCursor && <div style={{ textAlign: 'center' }}><Button loading={loadingMore} onClick={more}>{tc('actions.loadMore')}</Button></div>}
          </>
        )}
      </Flex>
    </Card>
  )
}
