import type { Language } from '../../i18n/index.js'
import { translator as of } from '../../i18n/test-translator.js'

/** The coupons translations of a language, for tests of text-building helpers. */
export const translator = (lng: Language) => of('rewards', lng, 'coupons')
