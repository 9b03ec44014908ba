import { CheckCircleFilled } from '@ant-design/icons'
import { Alert, Button, Card, Flex, Input, Radio, Result, Typography } from 'antd'
import { useState } from 'react'
import { useParams } from 'react-router'
import { api, call } from '../../../api/client.js'
import { PublicPage, usePublicLang } from '../PublicPage.js'
import { CATEGORIES, type SuggestionCategory as Category } from './suggestion-words.js'

/** As the API bounds a suggestion's text. */
const MAX_TEXT = 2000

/**
 * The suggestion box as a customer opens it from the QR code on a receipt (/f/<store code>): no
 * sign-in, phone-sized, Chinese or English; the contact is optional. The button is off while the
 * suggestion is sent, so a double tap sends it once.
 */
export const PublicSuggestionPage = () => {
  const { storeCode = '' } = useParams()
  const { lang, setLang, t, failure: failureText } = usePublicLang()
  const [category, setCategory] = useState<Category | null>(null)
  const [text, setText] = useState('')
  const [contactName, setContactName] = useState('')
  const [contactPhone, setContactPhone] = useState('')
  const [sending, setSending] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  const [number, setNumber] = useState<string | null>(null)

  const submit = async () => {
    if (sending) return
    if (!category || !text.trim()) {
      setFailure(t('publicSuggestion.missing'))
      return
    }
    setSending(true)
    setFailure(null)
    try {
      const sent = await call(api.POST('/api/v1/public/suggestions', {
        body: { storeCode: storeCode || null, category, text: text.trim(), contactName: contactName.trim() || null, contactPhone: contactPhone.trim() || null },
      }))
      setNumber(sent.number)
    } catch (err) {
      setFailure(failureText(err))
    } finally {
      setSending(false)
    }
  }

  return (
    <PublicPage lang={lang} onLang={setLang} label={t('public.language')} testId="public-suggestion">
      {number
        ? (
          <Result
            icon={<CheckCircleFilled style={{ color: '#389e0d' }} />} data-testid="public-suggestion-thanks"
            title={t('publicSuggestion.thanks')} subTitle={t('publicSuggestion.number', { number })}
          />
        )
        : (
          <Flex vertical gap={12}>
            <Card variant="borderless">
              <Typography.Title level={3} style={{ marginTop: 0 }}>{t('publicSuggestion.title')}</Typography.Title>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t('publicSuggestion.intro')}</Typography.Paragraph>
            </Card>
            <Card variant="borderless">
              <Typography.Paragraph strong>{t('publicSuggestion.category')}</Typography.Paragraph>
              <Radio.Group value={category} onChange={(e) => { setCategory(e.target.value as Category); setFailure(null) }} data-testid="public-suggestion-category">
                <Flex wrap gap={8}>
                  {CATEGORIES.map((c) => <Radio.Button key={c} value={c} style={{ minHeight: 44, lineHeight: '42px' }}>{t(`categories.${c}`)}</Radio.Button>)}
                </Flex>
              </Radio.Group>
            </Card>
            <Card variant="borderless">
              <Typography.Paragraph strong>{t('publicSuggestion.text')}</Typography.Paragraph>
              <Input.TextArea
                rows={5} maxLength={MAX_TEXT} showCount value={text} onChange={(e) => { setText(e.target.value); setFailure(null) }}
                placeholder={t('publicSuggestion.textPlaceholder')} data-testid="public-suggestion-text"
              />
            </Card>
            <Card variant="borderless">
              <Typography.Paragraph strong>{t('publicSuggestion.contact')}</Typography.Paragraph>
              <Flex vertical gap={8}>
                <Input size="large" maxLength={40} value={contactName} onChange={(e) => setContactName(e.target.value)} placeholder={t('publicSuggestion.contactName')} data-testid="public-suggestion-name" />
                <Input size="large" maxLength={20} inputMode="tel" value={contactPhone} onChange={(e) => setContactPhone(e.target.value)} placeholder={t('publicSuggestion.contactPhone')} data-testid="public-suggestion-phone" />
              </Flex>
            </Card>
            {failure && <Alert type="error" showIcon title={failure} data-testid="public-suggestion-error" />}
            <Button
              type="primary" size="large" block style={{ height: 52, fontSize: 18 }} loading={sending} disabled={sending}
              onClick={() => void submit()} data-testid="public-suggestion-submit"
            >
              {sending ? t('public.submitting') : t('public.submit')}
            </Button>
          </Flex>
        )}
    </PublicPage>
  )
}

export default PublicSuggestionPage
