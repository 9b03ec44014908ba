import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import enAudit from './locales/en-US/audit.js'
import enCommon from './locales/en-US/common.js'
import enDashboard from './locales/en-US/dashboard.js'
import enErrors from './locales/en-US/errors.js'
import enImports from './locales/en-US/imports/index.js'
import enInsight from './locales/en-US/insight/index.js'
import enJobs from './locales/en-US/jobs.js'
import enLoyalty from './locales/en-US/loyalty.js'
import enMembers from './locales/en-US/members.js'
import enOrg from './locales/en-US/org/index.js'
import enProducts from './locales/en-US/products.js'
import enReceipts from './locales/en-US/receipts.js'
import enRewards from './locales/en-US/rewards/index.js'
import enService from './locales/en-US/service/index.js'
import enMarketing from './locales/en-US/marketing/index.js'
import enTill from './locales/en-US/till.js'
import zhAudit from './locales/zh-CN/audit.js'
import zhCommon from './locales/zh-CN/common.js'
import zhDashboard from './locales/zh-CN/dashboard.js'
import zhErrors from './locales/zh-CN/errors.js'
import zhImports from './locales/zh-CN/imports/index.js'
import zhInsight from './locales/zh-CN/insight/index.js'
import zhJobs from './locales/zh-CN/jobs.js'
import zhLoyalty from './locales/zh-CN/loyalty.js'
import zhMembers from './locales/zh-CN/members.js'
import zhOrg from './locales/zh-CN/org/index.js'
import zhProducts from './locales/zh-CN/products.js'
import zhReceipts from './locales/zh-CN/receipts.js'
import zhRewards from './locales/zh-CN/rewards/index.js'
import zhService from './locales/zh-CN/service/index.js'
import zhMarketing from './locales/zh-CN/marketing/index.js'
import zhTill from './locales/zh-CN/till.js'

// One namespace per menu area (routes.tsx), each a file per language with the same keys (en-US
// files are checked against zh-CN's shape at compile time). An area with several menu entries
// (rewards, org, imports) is a folder with a file per entry, which its pages pick with keyPrefix.
export const resources = {
  'zh-CN': { common: zhCommon, errors: zhErrors, dashboard: zhDashboard, till: zhTill, members: zhMembers, loyalty: zhLoyalty, rewards: zhRewards, receipts: zhReceipts, imports: zhImports, products: zhProducts, org: zhOrg, audit: zhAudit, jobs: zhJobs, insight: zhInsight, service: zhService, marketing: zhMarketing },
  'en-US': { common: enCommon, errors: enErrors, dashboard: enDashboard, till: enTill, members: enMembers, loyalty: enLoyalty, rewards: enRewards, receipts: enReceipts, imports: enImports, products: enProducts, org: enOrg, audit: enAudit, jobs: enJobs, insight: enInsight, service: enService, marketing: enMarketing },
} as const

export type Language = keyof typeof resources
export const LANGUAGES: Language[] = ['zh-CN', 'en-US']
const STORAGE_KEY = 'patron.language'

const saved = (): Language => {
  const value = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY)
  return value === 'en-US' || value === 'zh-CN' ? value : 'zh-CN'
}

void i18n.use(initReactI18next).init({
  resources,
  lng: saved(),
  fallbackLng: 'zh-CN',
  defaultNS: 'common',
  ns: Object.keys(resources['zh-CN']),
  interpolation: { escapeValue: false },
  returnNull: false,
})

export const setLanguage = async (lng: Language) => {
  localStorage.setItem(STORAGE_KEY, lng)
  document.documentElement.lang = lng
  await i18n.changeLanguage(lng)
}

export default i18n
