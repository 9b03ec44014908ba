import members from './members.js'
import receipts from './receipts.js'

// Imports, a file per kind: pages take theirs with useTranslation('imports', { keyPrefix }).
export default { members, receipts } as const
