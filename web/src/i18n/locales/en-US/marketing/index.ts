import channels from './channels.js'
import templates from './templates.js'

export default { templates, channels } as const
