import type { TypedApp } from '../../../shared/http/request.js'
import type { SurveysService } from './surveys.service.js'

export const surveysRoutes = (_app: TypedApp, _deps: { surveys: SurveysService }) => {}
