import i18next, { type TFunction } from 'i18next'
import { resources, type Language } from './index.js'

type Namespace = keyof (typeof resources)['zh-CN']

/** One namespace's translations in a language, for tests of text-building helpers. */
export const translator = async <N extends Namespace>(ns: N, lng: Language): Promise<TFunction<N>> => {
  const instance = i18next.createInstance()
  await instance.init({
    lng, ns: [ns], defaultNS: ns, interpolation: { escapeValue: false },
    resources: { 'zh-CN': { [ns]: resources['zh-CN'][ns] }, 'en-US': { [ns]: resources['en-US'][ns] } },
  })
  return instance.getFixedT(lng, ns) as unknown as TFunction<N>
}
