import i18next, { type TFunction } from 'i18next'
import en from '../../i18n/locales/en-US/loyaltySettings.js'
import zh from '../../i18n/locales/zh-CN/loyaltySettings.js'

/** The loyaltySettings translations of a language, for tests of text-building helpers. */
export const translator = async (lng: 'zh-CN' | 'en-US'): Promise<TFunction<'loyaltySettings'>> => {
  const instance = i18next.createInstance()
  await instance.init({
    lng, ns: ['loyaltySettings'], defaultNS: 'loyaltySettings', interpolation: { escapeValue: false },
    resources: { 'zh-CN': { loyaltySettings: zh }, 'en-US': { loyaltySettings: en } },
  })
  return instance.getFixedT(lng, 'loyaltySettings') as unknown as TFunction<'loyaltySettings'>
}
