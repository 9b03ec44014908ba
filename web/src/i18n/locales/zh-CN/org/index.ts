import stores from './stores.js'
import staff from './staff.js'
import account from './account.js'

// Stores and staff, a file per menu entry: pages take theirs with useTranslation('org', { keyPrefix }).
export default { stores, staff, account } as const
