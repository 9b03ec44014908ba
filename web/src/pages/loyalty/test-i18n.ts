import type { Language } from '../../i18n/index.js'
import { translator as of } from '../../i18n/test-translator.js'

/** The loyalty translations of a language, for tests of text-building helpers. */
export const translator = (lng: Language) => of('loyalty', lng)
