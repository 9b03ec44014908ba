import { Button, ConfigProvider, Flex } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import { useMemo, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { ApiError } from '../../api/client.js'
import { errorMessage } from '../../components/errors.js'
import type { Lang } from './surveys/survey-model.js'

/**
 * A customer's page's language (?lang=en-US opens it in English) and its words: `t` for the
 * service area's feedback words; `failure` words a failed post: the API's refusal, or "try again
 * later" for a lost connection or a server fault.
 */
export const usePublicLang = () => {
  const [search] = useSearchParams()
  const { i18n } = useTranslation()
  const [lang, setLang] = useState<Lang>(search.get('lang') === 'en-US' ? 'en-US' : 'zh-CN')
  const t = useMemo(() => i18n.getFixedT(lang, 'service', 'feedback'), [i18n, lang])
  const tErrors = useMemo(() => i18n.getFixedT(lang), [i18n, lang])
  const failure = (err: unknown): string =>
    (err instanceof ApiError && !err.isNetwork && !err.isServer ? errorMessage(tErrors, err) : t('public.failed'))
  return { lang, setLang, t, failure }
}

/**
 * The frame of a page a customer opens without signing in: phone-sized, on a grey ground, the
 * antd words in the page's language and a button to switch it (Chinese ⇄ English).
 */
export const PublicPage = ({ lang, onLang, label, testId, children }: {
  lang: Lang
  onLang: (lang: Lang) => void
  /** The switch's words (the other language's name). */
  label: string
  testId: string
  children: ReactNode
}) => (
  <ConfigProvider locale={lang === 'en-US' ? enUS : zhCN} theme={{ token: { colorPrimary: '#d4380d', fontSize: 16 } }}>
    <div style={{ minHeight: '100vh', background: '#f5f5f5' }} lang={lang} data-testid={testId}>
      <div style={{ maxWidth: 640, margin: '0 auto', padding: '12px 12px 32px' }}>
        <Flex justify="flex-end">
          <Button type="text" style={{ minHeight: 44 }} onClick={() => onLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')} data-testid={`${testId}-language`}>
            {label}
          </Button>
        </Flex>
        {children}
      </div>
    </div>
  </ConfigProvider>
)
