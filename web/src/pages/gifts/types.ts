import type { Schemas } from '../../api/client.js'
import type { paths } from '../../api/schema.js'

export type Gift = Schemas['Gift']
export type GiftStock = Gift['stock'][number]
export type GiftOrder = Schemas['GiftOrder']
export type GiftOrderStatus = GiftOrder['status']
export type GiftOptions = paths['/api/v1/members/{id}/gift-options']['get']['responses']['200']['content']['application/json']
export type GiftOption = GiftOptions['gifts'][number]
