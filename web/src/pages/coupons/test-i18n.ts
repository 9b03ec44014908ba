import i18next, { type TFunction } from 'i18next'
import en from '../../i18n/locales/en-US/coupons.js'
import zh from '../../i18n/locales/zh-CN/coupons.js'

/** The coupons translations of a language, for tests of text-building helpers. */
export const translator = async (lng: 'zh-CN' | 'en-US'): Promise<TFunction<'coupons'>> => {
  const instance = i18next.createInstance()
  await instance.init({
    lng, ns: ['coupons'], defaultNS: 'coupons', interpolation: { escapeValue: false },
    resources: { 'zh-CN': { coupons: zh }, 'en-US': { coupons: en } },
  })
  return instance.getFixedT(lng, 'coupons') as unknown as TFunction<'coupons'>
}
