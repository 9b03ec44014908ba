import i18next, { type KeyPrefix, type TFunction } from 'i18next'
import { resources, type Language } from './index.js'

type Namespace = keyof (typeof resources)['zh-CN']

/**
 * One namespace's translations in a language (under a key prefix, as a page of an area with
 * several menu entries takes them), for tests of text-building helpers.
 */
export const translator = async <N extends Namespace, K extends KeyPrefix<N> = undefined>(ns: N, lng: Language, keyPrefix?: K): Promise<TFunction<N, K>> => {
  const instance = i18next.createInstance()
  await instance.init({
    lng, ns: [ns], defaultNS: ns, interpolation: { escapeValue: false },
    resources: { 'zh-CN': { [ns]: resources['zh-CN'][ns] }, 'en-US': { [ns]: resources['en-US'][ns] } },
  })
  return instance.getFixedT(lng, ns, keyPrefix as never) as unknown as TFunction<N, K>
}
