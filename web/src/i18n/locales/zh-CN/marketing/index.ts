import templates from './templates.js'

// The marketing area (营销): message templates and the SMS signature in templates.
// Pages take theirs with useTranslation('marketing', { keyPrefix }).
export default { templates } as const
