import type { TypedApp } from '../../http/app.js'
import type { Services } from '../../services.js'

export const rebatesRoutes = (_app: TypedApp, _services: Services) => {}
