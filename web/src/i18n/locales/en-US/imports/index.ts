import members from './members.js'
import receipts from './receipts.js'
import wizard from './wizard.js'

// Imports, a file per kind (pages take theirs with useTranslation('imports', { keyPrefix })), and the wizard's own words.
export default { members, receipts, wizard } as const
