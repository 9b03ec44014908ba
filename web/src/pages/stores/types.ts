import type { paths } from '../../api/schema.js'

export type Store = paths['/api/v1/stores']['get']['responses']['200']['content']['application/json'][number]
export type Region = paths['/api/v1/regions']['get']['responses']['200']['content']['application/json'][number]
