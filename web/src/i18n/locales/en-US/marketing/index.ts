import channels from './channels.js'
import templates from './templates.js'
import words from './words.js'

export default { words, templates, channels } as const
