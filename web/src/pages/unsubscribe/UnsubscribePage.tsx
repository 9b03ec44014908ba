import { CheckCircleFilled } from '@ant-design/icons'
import { Alert, Button, Card, Result, Skeleton, Typography } from 'antd'
import { useMemo, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { ApiError, api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { PublicPage, usePublicLang } from '../service/PublicPage.js'

type Channel = 'sms' | 'email' | 'wechat' | 'push'

/**
 * The page of a message's unsubscribe link (/u/<token>), as a member opens it: no sign-in,
 * phone-sized, Chinese or English. It shows the masked address and one button; unsubscribing
 * twice (a double tap, a reload) changes nothing more.
 */
export const UnsubscribePage = () => {
  const { token = '' } = useParams()
  const { lang, setLang } = usePublicLang()
  const { i18n } = useTranslation()
  const t = useMemo(() => i18n.getFixedT(lang, 'marketing', 'unsubscribe'), [i18n, lang])
  const { data, error, refetch, isFetching } = useApiQuery('/api/v1/public/marketing/unsubscribe/{token}', { params: { path: { token } } }, { retry: false })
  const [sending, setSending] = useState(false)
  const [done, setDone] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  const unsubscribe = async () => {
    if (sending) return
    setSending(true)
    setFailure(null)
    try {
      await call(api.POST('/api/v1/public/marketing/unsubscribe/{token}', { params: { path: { token } }, body: {} }))
      setDone(true)
    } catch {
      setFailure(t('failed'))
    } finally {
      setSending(false)
    }
  }

  const page = (body: ReactNode) => <PublicPage lang={lang} onLang={setLang} label={t('language')} testId="public-unsubscribe">{body}</PublicPage>
  if (error) {
    const notFound = error instanceof ApiError && error.status === 404
    return page(
      <Result
        status={notFound ? '404' : 'warning'} title={notFound ? t('notFound') : t('loadFailed')} data-testid="public-unsubscribe-unavailable"
        extra={notFound ? null : <Button size="large" loading={isFetching} onClick={() => void refetch()}>{t('retry')}</Button>}
      />,
    )
  }
  if (!data) return page(<Card><Skeleton active paragraph={{ rows: 3 }} /></Card>)
  const channel = t(`channels.${data.channel as Channel}`)
  if (done || !data.subscribed) {
    return page(
      <Result
        icon={<CheckCircleFilled style={{ color: '#389e0d' }} />} data-testid="public-unsubscribe-done"
        title={t('done')} subTitle={t('doneDetail', { channel })}
      />,
    )
  }
  return page(
    <Card variant="borderless">
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph data-testid="public-unsubscribe-address">
        {data.maskedRecipient ? t('intro', { address: data.maskedRecipient, channel }) : t('introNoAddress', { channel })}
      </Typography.Paragraph>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} data-testid="public-unsubscribe-error" />}
      <Button
        type="primary" danger size="large" block style={{ height: 52, fontSize: 18 }} loading={sending} disabled={sending}
        onClick={() => void unsubscribe()} data-testid="public-unsubscribe-submit"
      >
        {sending ? t('sending') : t('button')}
      </Button>
    </Card>,
  )
}

export default UnsubscribePage
