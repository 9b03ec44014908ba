import coupons from './coupons.js'
import gifts from './gifts.js'
import draws from './draws.js'
import rebates from './rebates.js'

// The rewards area, a file per menu entry: pages take theirs with useTranslation('rewards', { keyPrefix }).
export default { coupons, gifts, draws, rebates } as const
