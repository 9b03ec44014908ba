import channels from './channels.js'
import templates from './templates.js'
import words from './words.js'

// The marketing area (营销): message templates and the SMS signature in templates; providers and
// the message log in channels.
// Pages take theirs with useTranslation('marketing', { keyPrefix }).
export default { words, templates, channels } as const
