import campaigns from './campaigns.js'
import channels from './channels.js'
import events from './events.js'
import journeys from './journeys.js'
import templates from './templates.js'
import unsubscribe from './unsubscribe.js'
import words from './words.js'

// The marketing area (营销): message templates and the SMS signature in templates; providers and
// the message log in channels; the page of an unsubscribe link in unsubscribe;
// campaigns (runs, recipients, report) and their sending rules in campaigns; member events
// (registration, check-in, attendance) in events; journeys (a trigger, then steps; versions, members inside) in journeys.
// Pages take theirs with useTranslation('marketing', { keyPrefix }).
export default { words, templates, channels, unsubscribe, campaigns, journeys, events } as const
