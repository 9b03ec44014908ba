import type { TypedApp } from '../../../shared/http/request.js'
import type { SuggestionsService } from './suggestions.service.js'

export const suggestionsRoutes = (_app: TypedApp, _deps: { suggestions: SuggestionsService }) => {}
