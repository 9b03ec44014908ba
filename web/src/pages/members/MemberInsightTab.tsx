import { PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Input, Popover, Progress, Row, Select, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiMutation, useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatCount, formatDate, formatDateTime, formatMoney } from '../../format.js'
import { TitleWithHelp } from '../insight/shared/HelpTip.js'
import { useWords } from '../insight/tags/TagsPage.js'
import { MemberRecommendations } from './MemberRecommendations.js'

type Profile = GetData<'/api/v1/members/{id}/profile'>

/** Attach a manual tag, with the clerk's reason. */
const AttachTag = ({ memberId, held }: { memberId: string; held: string[] }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'profile' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [open, setOpen] = useState(false)
  const [tagId, setTagId] = useState<string | undefined>()
  const [note, setNote] = useState('')
  const { data } = useApiQuery('/api/v1/insight/tags/manual', undefined, { enabled: open })
  const attach = useApiMutation('post', '/api/v1/members/{id}/tags')
  const submit = async () => {
    if (!tagId) return
    try {
      await attach.mutateAsync({ params: { path: { id: memberId } }, body: { tagId, note: note.trim() || null } })
      setOpen(false)
      setTagId(undefined)
      setNote('')
    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }
  return (
    <Popover
      open={open} onOpenChange={setOpen} trigger="click" title={t('addTag')}
      content={(
        <Flex vertical gap={8} style={{ width: 260 }}>
          <Select
            placeholder={t('chooseTag')} value={tagId} onChange={setTagId} loading={!data} data-testid="profile-tag-select"
            options={(data ?? []).filter((x) => !held.includes(x.id)).map((x) => ({ value: x.id, label: <Tag color={x.color ?? undefined}>{x.name}</Tag> }))}
          />
          <Input placeholder={t('note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} data-testid="profile-tag-note" />
          <Button type="primary" disabled={!tagId} loading={attach.isPending} onClick={() => void submit()} data-testid="profile-tag-attach">{t('attach')}</Button>
        </Flex>
      )}
    >
      <Button size="small" type="dashed" icon={<PlusOutlined />} data-testid="profile-tag-add">{t('addTag')}</Button>
    </Popover>
  )
}

/** The member's tags: why each, since when; manual ones removable by staff allowed to. */
const TagsCard = ({ profile }: { profile: Profile }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'profile' })
  const { t: tc } = useTranslation()
  const { can } = useSession()
  const { message } = App.useApp()
  const words = useWords()
  const detach = useApiMutation('delete', '/api/v1/members/{id}/tags/{tagId}')
  const assign = can('tags.assign')
  const remove = async (tagId: string) => {
    try {
      await detach.mutateAsync({ params: { path: { id: profile.memberId, tagId } } })
    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }
  return (
    <Card size="small" title={t('tags')} extra={assign && <AttachTag memberId={profile.memberId} held={profile.tags.map((x) => x.tagId)} />}>
      {profile.tags.length === 0 ? <Typography.Text type="secondary">{t('noTags')}</Typography.Text> : (
        <Flex vertical gap={6} data-testid="profile-tags">
          {profile.tags.map((x) => (
            <Flex key={x.tagId} gap={8} align="baseline" wrap data-testid={`profile-tag-${x.name}`}>
              <Tag
                color={x.color ?? undefined} closable={assign && x.source === 'manual'}
                onClose={(e) => { e.preventDefault(); void remove(x.tagId) }}
              >
                {x.name}
              </Tag>
              <Typography.Text data-testid={`profile-tag-reason-${x.name}`}>{words(x.reason)}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('since', { at: formatDateTime(x.since) })}{x.addedBy ? ` · ${t('by', { name: x.addedBy })}` : ''}
              </Typography.Text>
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  )
}

/** When the member gained and lost tags. */
const TagHistory = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'profile' })
  const words = useWords()
  const { data } = useApiQuery('/api/v1/members/{id}/tag-events', { params: { path: { id: memberId }, query: { limit: 50 } } })
  return (
    <Card size="small" title={t('history')}>
      <Table
        size="small" rowKey="id" dataSource={data ?? []} loading={!data} pagination={{ pageSize: 10, hideOnSinglePage: true }} data-testid="profile-tag-history"
        columns={[
          { key: 'at', title: t('historyColumns.at'), width: 150, render: (_, e) => formatDateTime(e.at) },
          { key: 'tag', title: t('tags'), render: (_, e) => <Tag color={e.color ?? undefined}>{e.name}</Tag> },
          { key: 'event', title: t('historyColumns.event'), render: (_, e) => <Typography.Text type={e.event === 'added' ? 'success' : 'secondary'}>{t(`events.${e.event}`)} · {t(`sources.${e.source}`)}</Typography.Text> },
          { key: 'reason', title: t('historyColumns.reason'), render: (_, e) => words(e.reason) },
          { key: 'by', title: t('historyColumns.by'), render: (_, e) => e.by ?? '' },
        ]}
      />
    </Card>
  )
}

/**
 * The member page's 画像 (profile) tab: tags with their reasons, RFM class and scores, value
 * quadrant, lifecycle, frequency and amount classes, preferences and the window's figures, as of
 * the latest insight refresh, and the products recommended to the member; staff with tags.assign
 * attach and remove manual tags here.
 */
export const MemberInsightTab = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'profile' })
  const { t: ti } = useTranslation('insight')
  const { data, error, refetch } = useApiQuery('/api/v1/members/{id}/profile', { params: { path: { id: memberId } } })
  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!data) return <Skeleton active />
  const none = t('none')
  const f = data.figures
  const level = (v: string | null) => (v ? t(`levels.${v}` as 'levels.high') : none)
  return (
    <Flex vertical gap={12} data-testid="member-insight">
      {data.asOf && data.window
        ? <Typography.Text type="secondary" data-testid="profile-as-of"><TitleWithHelp title={t('asOf', { asOf: data.asOf, from: data.window.from, to: data.window.to })} help={t('help')} /></Typography.Text>
        : <Alert type="info" showIcon title={t('notRefreshed')} />}
      <TagsCard profile={data} />
      {f && (
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('classes')} style={{ height: '100%' }}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={<TitleWithHelp title={t('rfmClass')} help={t('rfmHelp')} />}>
                  <Space data-testid="profile-rfm">
                    {data.rfm.class ? <Tag color="gold">{ti(`rfm.classNames.${data.rfm.class}` as 'rfm.classNames.important_value')}</Tag> : none}
                    {data.rfm.r !== null && <Typography.Text type="secondary">{t('scores', { r: data.rfm.r, f: data.rfm.f ?? '—', m: data.rfm.m ?? '—' })}</Typography.Text>}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('quadrant')}>{data.quadrant ? ti(`quadrants.names.${data.quadrant}` as 'quadrants.names.core') : none}</Descriptions.Item>
                <Descriptions.Item label={t('lifecycle')}><span data-testid="profile-lifecycle">{data.lifecycle ? ti(`lifecycle.stages.${data.lifecycle}` as 'lifecycle.stages.new') : none}</span></Descriptions.Item>
                <Descriptions.Item label={t('frequencyClass')}>{level(data.frequencyClass)}</Descriptions.Item>
                <Descriptions.Item label={t('amountClass')}>{level(data.amountClass)}</Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('preferences')} style={{ height: '100%' }}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={<TitleWithHelp title={t('mainStore')} help={t('mainStoreHelp')} />}>{data.mainStore?.name ?? none}</Descriptions.Item>
                <Descriptions.Item label={t('mainDepartment')}><span data-testid="profile-main-department">{data.mainDepartment || none}</span></Descriptions.Item>
                <Descriptions.Item label={t('mainCategory')}>{data.mainCategory || none}</Descriptions.Item>
              </Descriptions>
              <Typography.Text strong><TitleWithHelp title={t('departmentShares')} help={t('departmentSharesHelp')} /></Typography.Text>
              {data.departmentShares.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : data.departmentShares.map((d) => (
                <Tooltip key={d.department} title={formatMoney(d.amount)}>
                  <Flex gap={8} align="center">
                    <span style={{ width: 80 }}>{d.department}</span>
                    <Progress percent={d.sharePm / 10} size="small" format={(p) => `${(p ?? 0).toFixed(1)}%`} style={{ flex: 1, margin: 0 }} />
                  </Flex>
                </Tooltip>
              ))}
            </Card>
          </Col>
          {data.predictions && (
            <Col span={24}>
              <Card size="small" title={<TitleWithHelp title={t('predictions')} help={t('predictionsHelp')} />}>
                <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="profile-predictions">
                  <Descriptions.Item label={<TitleWithHelp title={t('pAlive')} help={t('pAliveHelp')} />}>
                    <Typography.Text type={data.predictions.pAlivePm < 300 ? 'danger' : undefined}>{(data.predictions.pAlivePm / 10).toFixed(1)}%</Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('expectedPurchases')}>
                    {t('expectedPurchasesValue', { d30: data.predictions.expectedPurchases30.toFixed(2), d90: data.predictions.expectedPurchases90.toFixed(2), d365: data.predictions.expectedPurchases365.toFixed(1) })}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('expectedValue')}>{data.predictions.expectedValue === null ? none : formatMoney(data.predictions.expectedValue)}</Descriptions.Item>
                  <Descriptions.Item label={<TitleWithHelp title={t('clv')} help={t('clvHelp')} />}>{data.predictions.clv === null ? none : formatMoney(data.predictions.clv)}</Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
          )}
          <Col span={24}>
            <Card size="small" title={t('figures')}>
              <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="profile-figures">
                <Descriptions.Item label={t('receipts')}>{formatCount(f.receipts)}</Descriptions.Item>
                <Descriptions.Item label={t('spend')}>{formatMoney(f.spend)}</Descriptions.Item>
                <Descriptions.Item label={t('avgTicket')}>{formatMoney(f.avgTicket)}</Descriptions.Item>
                <Descriptions.Item label={t('recency')}>{f.recencyDays === null ? none : t('days', { n: f.recencyDays })}</Descriptions.Item>
                <Descriptions.Item label={t('interval')}>{f.intervalDays === null ? none : t('days', { n: f.intervalDays })}</Descriptions.Item>
                <Descriptions.Item label={t('storesVisited')}>{f.storesVisited}</Descriptions.Item>
                <Descriptions.Item label={<TitleWithHelp title={t('promoShare')} help={t('promoShareHelp')} />}>{f.promoSharePm === null ? none : `${(f.promoSharePm / 10).toFixed(1)}%`}</Descriptions.Item>
                <Descriptions.Item label={t('points')}>{formatCount(f.pointsEarned)} / {formatCount(f.pointsRedeemed)}</Descriptions.Item>
                <Descriptions.Item label={t('couponsUsed')}>{f.couponsUsed}</Descriptions.Item>
                <Descriptions.Item label={t('total')}>{t('totalValue', { receipts: formatCount(f.receiptsTotal), spend: formatMoney(f.spendTotal) })}</Descriptions.Item>
                <Descriptions.Item label={t('firstLast')}>{formatDate(f.firstPurchaseAt) || none} / {formatDate(f.lastPurchaseAt) || none}</Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
        </Row>
      )}
      <MemberRecommendations memberId={memberId} />
      <TagHistory memberId={memberId} />
    </Flex>
  )
}

/** The tab's label (画像 / Profile), for the member page's tab list. */
export const MemberInsightTabLabel = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'profile' })
  return <span data-testid="member-tab-insight">{t('tab')}</span>
}
