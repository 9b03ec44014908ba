import type { TypedApp } from '../../http/app.js'
import type { Services } from '../../services.js'

export const drawsRoutes = (_app: TypedApp, _services: Services) => {}
