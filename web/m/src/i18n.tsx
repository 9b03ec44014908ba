import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { ApiError } from './api.js'
import en from './words.en-US.js'
import zh from './words.zh-CN.js'

/**
 * The member page's words, zh-CN by default and en-US beside it (the phone's language, or the
 * member's choice, kept on the phone). A small dictionary of its own: i18next would double the page.
 * Error words are the console's (errors.<CODE>), loaded only when an error is shown.
 */
export type Lang = 'zh-CN' | 'en-US'
export type WordKey = keyof typeof zh
const dictionaries: Record<Lang, Record<WordKey, string>> = { 'zh-CN': zh, 'en-US': en }
const STORAGE_KEY = 'patron.member.lang'

const initialLang = (): Lang => {
  const saved = localStorage.getItem(STORAGE_KEY)
  if (saved === 'zh-CN' || saved === 'en-US') return saved
  return navigator.language.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN'
}

type Vars = Record<string, string | number>
export type T = (key: WordKey, vars?: Vars) => string
interface I18n { lang: Lang; t: T; setLang: (lang: Lang) => void; errorText: (err: unknown) => string }
const I18nContext = createContext<I18n | null>(null)

const errorWords: Partial<Record<Lang, Record<string, string>>> = {}
const loadErrorWords = async (lang: Lang) => {
  if (errorWords[lang]) return
  errorWords[lang] = lang === 'zh-CN'
    ? (await import('../../src/i18n/locales/zh-CN/errors.js')).default as Record<string, string>
    : (await import('../../src/i18n/locales/en-US/errors.js')).default as Record<string, string>
}

export const I18nProvider = ({ children }: { children: ReactNode }) => {
  const [lang, setLangState] = useState<Lang>(initialLang)
  const [, setErrorsLoaded] = useState(0)
  const t = useCallback<T>((key, vars) => {
    const text = dictionaries[lang][key] ?? key
    return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? '')) : text
  }, [lang])
  const errorText = useCallback((err: unknown): string => {
    if (!(err instanceof ApiError)) return dictionaries[lang].errorUnknown
    if (err.isNetwork) return dictionaries[lang].errorNetwork
    if (!errorWords[lang]) void loadErrorWords(lang).then(() => setErrorsLoaded((n) => n + 1))
    const words = errorWords[lang]?.[err.code] ?? err.message
    const fields = err.details.map((d) => `${d.field}: ${d.reason}`).join('; ')
    return fields ? `${words} (${fields})` : words
  }, [lang])
  const value = useMemo<I18n>(() => ({
    lang, t, errorText,
    setLang: (next) => {
      localStorage.setItem(STORAGE_KEY, next)
      document.documentElement.lang = next
      setLangState(next)
    },
  }), [lang, t, errorText])
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export const useI18n = (): I18n => {
  const i18n = useContext(I18nContext)
  if (!i18n) throw new Error('useI18n outside I18nProvider')
  return i18n
}

/** Preloads the error words of the page's language (called once at start, off the first paint). */
export const preloadErrorWords = () => void loadErrorWords(initialLang())

const TIME_ZONE = 'Asia/Shanghai'
/** An instant in the chain's time zone: 2026-03-02 10:00. */
export const formatDateTime = (iso: string | null | undefined) => {
  if (!iso) return '—'
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso))
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}
export const formatDate = (iso: string | null | undefined) => (!iso ? '—' : iso.length === 10 ? iso : formatDateTime(iso).slice(0, 10))
/** Integer fen as yuan: ¥1,234.50. */
export const formatMoney = (fen: number) =>
  `${fen < 0 ? '-' : ''}¥${(Math.abs(fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
