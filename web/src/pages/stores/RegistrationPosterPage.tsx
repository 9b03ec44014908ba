import { ArrowLeftOutlined, CopyOutlined, PrinterOutlined } from '@ant-design/icons'
import { App, Button, Card, Flex, QRCode, Select, Skeleton, Space, Typography } from 'antd'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router'
import { useApiQuery } from '../../api/query.js'
import { ErrorResult } from '../../components/ErrorResult.js'

/**
 * A store's printable registration poster (扫码注册): the QR opens the member page's sign-up form
 * for the store (/m/register?store=…); a clerk's own poster adds the clerk, who is credited with
 * every member who signs up by it. Printing leaves only the poster on the page.
 */
const RegistrationPosterPage = () => {
  const { t } = useTranslation('org', { keyPrefix: 'stores.poster' })
  const { message } = App.useApp()
  const { id = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const poster = useApiQuery('/api/v1/stores/{id}/registration-poster', { params: { path: { id } } })
  if (poster.error) return <ErrorResult error={poster.error} />
  if (!poster.data) return <Skeleton active />
  const p = poster.data
  const clerk = p.clerks.find((c) => c.username === params.get('clerk')) ?? null
  const url = clerk?.url ?? p.url
  const sheet = (print = false) => (
    <div
      className="registration-poster"
      data-testid={print ? undefined : 'registration-poster'}
      data-url={url}
      style={{
        width: 'min(100%, 560px)', aspectRatio: '210 / 297', margin: '0 auto', background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8,
        boxShadow: '0 2px 16px rgba(0,0,0,.08)', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'space-between', padding: '40px 32px', textAlign: 'center',
      }}
    >
      <div>
        <div style={{ fontSize: 20, color: '#8c8c8c', letterSpacing: 2 }}>{p.chainName}</div>
        <div style={{ fontSize: 40, fontWeight: 700, color: '#d9363e', marginTop: 12 }}>{t('headline')}</div>
        <div style={{ fontSize: 18, marginTop: 12 }}>{t('benefits')}</div>
      </div>
      <QRCode value={url} size={300} errorLevel="M" bordered={false} color="#000" bgColor="#fff" type="svg" />
      <div>
        <div style={{ fontSize: 18 }}>{t('scan')}</div>
        <div style={{ fontSize: 22, fontWeight: 600, marginTop: 8 }}>{p.store.name}</div>
        {clerk && <div style={{ fontSize: 16, marginTop: 6 }} data-testid={print ? undefined : 'poster-clerk-name'}>{t('clerkLine', { name: clerk.displayName })}</div>}
        <div style={{ fontSize: 11, color: '#8c8c8c', marginTop: 12, wordBreak: 'break-all' }}>{url}</div>
      </div>
    </div>
  )
  return (
    <Flex vertical gap={16}>
      {/* Printed alone: everything else on the page is hidden and a copy of the poster, at the page's root, fills the sheet. */}
      <style>{`
        .poster-print { display: none; }
        @media print {
          @page { size: A4 portrait; margin: 12mm; }
          body > *:not(.poster-print) { display: none !important; }
          .poster-print { display: block; }
          .poster-print .registration-poster { width: 100% !important; height: 270mm; border: 0 !important; box-shadow: none !important; aspect-ratio: auto !important; }
        }
      `}</style>
      {createPortal(<div className="poster-print">{sheet(true)}</div>, document.body)}
      <Card size="small">
        <Flex wrap gap={12} align="center" justify="space-between">
          <Space wrap>
            <Link to="/stores"><Button icon={<ArrowLeftOutlined />}>{t('back')}</Button></Link>
            <Typography.Text strong>{t('title', { store: p.store.name })}</Typography.Text>
          </Space>
          <Space wrap>
            <Select
              style={{ minWidth: 260 }}
              value={clerk?.username ?? ''}
              onChange={(v: string) => setParams(v ? { clerk: v } : {}, { replace: true })}
              options={[{ value: '', label: t('storePoster') }, ...p.clerks.map((c) => ({ value: c.username, label: t('clerkPoster', { name: c.displayName, username: c.username }) }))]}
              data-testid="poster-clerk"
            />
            <Button icon={<CopyOutlined />} onClick={() => void navigator.clipboard?.writeText(url).then(() => message.success(t('copied')))}>{t('copy')}</Button>
            <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="poster-print">{t('print')}</Button>
          </Space>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>{t('intro')}</Typography.Paragraph>
      </Card>
      {sheet()}
    </Flex>
  )
}

export default RegistrationPosterPage
