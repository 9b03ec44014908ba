import { CopyOutlined, PrinterOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Col, Flex, QRCode, Row, Select, Space, Statistic, Table, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiMutation, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { useErrorText } from '../../../hooks/use-error-text.js'
import { formatCount } from '../../../format.js'
import type { Survey, SurveyLink } from './survey-words.js'

/** The public page's full address: the QR code must hold the origin, a receipt has no console to be relative to. */
const publicUrl = (link: Pick<SurveyLink, 'path'>, origin = window.location.origin) => `${origin}${link.path}`

/**
 * A poster to print (A4, one store's QR code, the survey's title in both languages); the rest of
 * the page is hidden when printing.
 */
const Poster = ({ survey, link, onClose }: { survey: Survey; link: SurveyLink; onClose: () => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  return (
    <div className="survey-poster-overlay" style={{ position: 'fixed', inset: 0, zIndex: 2000, background: '#fff', overflow: 'auto' }} data-testid="survey-poster">
      <style>{`@media print {
  body * { visibility: hidden; }
  .survey-poster, .survey-poster * { visibility: visible; }
  .survey-poster { position: absolute; left: 0; top: 0; width: 100%; }
  .survey-poster-actions { display: none !important; }
}`}</style>
      <Flex className="survey-poster-actions" gap={8} justify="flex-end" style={{ padding: 16 }}>
        <Button onClick={onClose} data-testid="survey-poster-close">{t('surveys.poster.back')}</Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>{t('surveys.poster.print')}</Button>
      </Flex>
      <Flex className="survey-poster" vertical align="center" gap={24} style={{ padding: '48px 24px', textAlign: 'center' }}>
        <Typography.Title level={1} style={{ margin: 0 }}>{survey.title}</Typography.Title>
        {survey.titleEn && <Typography.Title level={3} type="secondary" style={{ margin: 0 }}>{survey.titleEn}</Typography.Title>}
        <QRCode value={publicUrl(link)} size={320} bordered={false} type="svg" />
        <Typography.Title level={2} style={{ margin: 0 }}>{t('surveys.poster.scan')}</Typography.Title>
        <Typography.Text style={{ fontSize: 18 }}>{t('surveys.poster.thanks')}</Typography.Text>
        {link.storeName && <Typography.Text type="secondary" style={{ fontSize: 16 }}>{link.storeName}</Typography.Text>}
      </Flex>
    </div>
  )
}

const Links = ({ survey }: { survey: Survey }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { message } = App.useApp()
  const { data, error, refetch } = useApiQuery('/api/v1/surveys/{id}/links', { params: { path: { id: survey.id } } })
  const [poster, setPoster] = useState<SurveyLink | null>(null)
  const copy = (text: string) => void navigator.clipboard?.writeText(text).then(() => message.success(t('surveys.distribution.copied')))
  const columns: TableColumnsType<SurveyLink> = [
    { key: 'store', title: t('surveys.distribution.store'), width: 180, render: (_, l) => l.storeName ?? t('surveys.distribution.chainLink') },
    {
      key: 'link', title: t('surveys.distribution.link'),
      render: (_, l) => <Typography.Link href={l.path} target="_blank" data-testid={`survey-public-link-${l.storeCode ?? 'chain'}`}>{publicUrl(l)}</Typography.Link>,
    },
    { key: 'qr', title: t('surveys.distribution.qr'), width: 120, render: (_, l) => <QRCode value={publicUrl(l)} size={96} bordered={false} type="svg" /> },
    {
      key: 'actions', width: 220,
      render: (_, l) => (
        <Space>
          <Button size="small" icon={<CopyOutlined />} onClick={() => copy(publicUrl(l))}>{t('surveys.distribution.copy')}</Button>
          <Button size="small" icon={<PrinterOutlined />} onClick={() => setPoster(l)} data-testid={`survey-poster-${l.storeCode ?? 'chain'}`}>{t('surveys.distribution.poster')}</Button>
        </Space>
      ),
    },
  ]
  return (
    <Card size="small" title={t('surveys.distribution.links')}>
      <Typography.Paragraph type="secondary">{t('surveys.distribution.linksHelp')}</Typography.Paragraph>
      {survey.status !== 'open' && <Alert type="warning" showIcon title={t('surveys.distribution.notOpen')} style={{ marginBottom: 12 }} />}
      {error ? <ErrorResult error={error} onRetry={() => void refetch()} compact /> : (
        <Table<SurveyLink>
          rowKey="token" size="small" columns={columns} dataSource={data ?? []} loading={!data} pagination={false} scroll={{ x: 800, y: 480 }}
          locale={{ emptyText: t('surveys.distribution.noLinks') }} data-testid="survey-links"
        />
      )}
      {poster && <Poster survey={survey} link={poster} onClose={() => setPoster(null)} />}
    </Card>
  )
}

const Invitations = ({ survey }: { survey: Survey }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { can } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const counts = useApiQuery('/api/v1/surveys/{id}/invitations', { params: { path: { id: survey.id } } })
  const segments = useApiQuery('/api/v1/insight/segments', undefined, { enabled: can('surveys.manage') })
  const [segmentId, setSegmentId] = useState<string | null>(null)
  const invite = useApiMutation('post', '/api/v1/surveys/{id}/invitations')
  const send = async () => {
    if (!segmentId) return
    try {
      const r = await invite.mutateAsync({ params: { path: { id: survey.id } }, body: { segmentId } })
      void message.success(t('surveys.distribution.invited', { invited: formatCount(r.invited), skipped: formatCount(r.skipped) }))
    } catch (err) {
      void message.error(errorText(err))
    }
  }
  const c = counts.data
  return (
    <Card size="small" title={t('surveys.distribution.invite')}>
      {can('surveys.manage') && (
        <>
          <Typography.Paragraph type="secondary">{t('surveys.distribution.inviteHelp')}</Typography.Paragraph>
          <Space wrap style={{ marginBottom: 16 }}>
            <Select<string>
              style={{ width: 280 }} placeholder={t('surveys.distribution.segmentPlaceholder')} value={segmentId} onChange={setSegmentId} loading={segments.isLoading}
              showSearch={{ optionFilterProp: 'label' }} options={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))} data-testid="survey-invite-segment"
            />
            <Button type="primary" disabled={!segmentId || survey.status === 'closed'} loading={invite.isPending} onClick={() => void send()} data-testid="survey-invite">
              {t('surveys.distribution.inviteButton')}
            </Button>
          </Space>
        </>
      )}
      {counts.error ? <ErrorResult error={counts.error} onRetry={() => void counts.refetch()} compact /> : c && (
        <>
          <Row gutter={16}>
            <Col span={5}><Statistic title={t('surveys.distribution.total')} value={formatCount(c.total)} /></Col>
            <Col span={5}><Statistic title={t('surveys.distribution.responded')} value={formatCount(c.responded)} /></Col>
            <Col span={4}><Statistic title={t('surveys.distribution.pendingSend')} value={formatCount(c.pendingSend)} /></Col>
            <Col span={4}><Statistic title={t('surveys.distribution.sent')} value={formatCount(c.sent)} data-testid="survey-invitations-sent" /></Col>
            <Col span={6}><Statistic title={t('surveys.distribution.notSent')} value={formatCount(c.notSent)} /></Col>
          </Row>
          {c.bySource.length > 0 && (
            <Table
              rowKey="source" size="small" style={{ marginTop: 12 }} pagination={false} dataSource={c.bySource}
              columns={[
                { key: 'source', title: t('surveys.distribution.source'), render: (_, s) => t(`surveys.distribution.sources.${s.source}` as never, { defaultValue: s.source }) },
                { key: 'total', title: t('surveys.distribution.total'), align: 'right', render: (_, s) => formatCount(s.total) },
                { key: 'responded', title: t('surveys.distribution.responded'), align: 'right', render: (_, s) => formatCount(s.responded) },
              ]}
            />
          )}
        </>
      )}
    </Card>
  )
}

/** Where a survey reaches customers: a link and QR code per store (with a poster to print) and invitations to a segment. */
export const SurveyDistribution = ({ survey }: { survey: Survey }) => (
  <Flex vertical gap={16}>
    <Links survey={survey} />
    <Invitations survey={survey} />
  </Flex>
)
