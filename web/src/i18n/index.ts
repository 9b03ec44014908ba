import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import enAudit from './locales/en-US/audit.js'
import enCommon from './locales/en-US/common.js'
import enDashboard from './locales/en-US/dashboard.js'
import enErrors from './locales/en-US/errors.js'
import enLoyalty from './locales/en-US/loyalty.js'
import enLoyaltySettings from './locales/en-US/loyaltySettings.js'
import enMemberImport from './locales/en-US/memberImport.js'
import enMembers from './locales/en-US/members.js'
import enProducts from './locales/en-US/products.js'
import enStaff from './locales/en-US/staff.js'
import enStores from './locales/en-US/stores.js'
import enTill from './locales/en-US/till.js'
import enDraws from './locales/en-US/draws.js'
import enRebates from './locales/en-US/rebates.js'
import enGifts from './locales/en-US/gifts.js'
import enCoupons from './locales/en-US/coupons.js'
import zhAudit from './locales/zh-CN/audit.js'
import zhCommon from './locales/zh-CN/common.js'
import zhDashboard from './locales/zh-CN/dashboard.js'
import zhErrors from './locales/zh-CN/errors.js'
import zhLoyalty from './locales/zh-CN/loyalty.js'
import zhLoyaltySettings from './locales/zh-CN/loyaltySettings.js'
import zhMemberImport from './locales/zh-CN/memberImport.js'
import zhMembers from './locales/zh-CN/members.js'
import zhProducts from './locales/zh-CN/products.js'
import zhStaff from './locales/zh-CN/staff.js'
import zhStores from './locales/zh-CN/stores.js'
import zhTill from './locales/zh-CN/till.js'
import zhDraws from './locales/zh-CN/draws.js'
import zhRebates from './locales/zh-CN/rebates.js'
import zhGifts from './locales/zh-CN/gifts.js'
import zhCoupons from './locales/zh-CN/coupons.js'

// One namespace per console area, each a file per language with the same keys
// (en-US files are checked against zh-CN's shape at compile time).
export const resources = {
  'zh-CN': { common: zhCommon, errors: zhErrors, dashboard: zhDashboard, members: zhMembers, memberImport: zhMemberImport, products: zhProducts, stores: zhStores, staff: zhStaff, audit: zhAudit, loyaltySettings: zhLoyaltySettings, loyalty: zhLoyalty, till: zhTill, coupons: zhCoupons, gifts: zhGifts, rebates: zhRebates, draws: zhDraws },
  'en-US': { common: enCommon, errors: enErrors, dashboard: enDashboard, members: enMembers, memberImport: enMemberImport, products: enProducts, stores: enStores, staff: enStaff, audit: enAudit, loyaltySettings: enLoyaltySettings, loyalty: enLoyalty, till: enTill, coupons: enCoupons, gifts: enGifts, rebates: enRebates, draws: enDraws },
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
