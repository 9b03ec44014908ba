import campaigns from './campaigns.js'
import channels from './channels.js'
import events from './events.js'
import journeys from './journeys.js'
import templates from './templates.js'
import unsubscribe from './unsubscribe.js'
import words from './words.js'

export default { words, templates, channels, unsubscribe, campaigns, journeys, events } as const
