// Filled by the page that uses it (issue 12); pages take theirs with useTranslation('insight', { keyPrefix: 'kpis' }).
export default {
} as const
