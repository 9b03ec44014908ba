import type { TypedApp } from '../../../shared/http/request.js'
import type { TicketsService } from './tickets.service.js'

export const ticketsRoutes = (_app: TypedApp, _deps: { tickets: TicketsService }) => {}
