import tickets from './tickets.js'
import feedback from './feedback.js'

// The service area (服务): tickets, their reports and the desk's settings in tickets; suggestions and
// surveys in feedback. Pages take theirs with useTranslation('service', { keyPrefix }).
export default { tickets, feedback } as const
