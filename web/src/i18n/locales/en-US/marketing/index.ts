import templates from './templates.js'

export default { templates } as const
