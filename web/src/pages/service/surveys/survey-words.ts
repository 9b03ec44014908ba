import type { Schemas } from '../../../api/client.js'
import type { GetData } from '../../../api/query.js'

// What the survey pages share: the API's types and the colours statuses are shown in.

export type Survey = Schemas['Survey']
export type SurveyStatus = Survey['status']
export type SurveyTrigger = Survey['triggers'][number]
export type SurveyResults = GetData<'/api/v1/surveys/{id}/results'>
export type SurveyLink = GetData<'/api/v1/surveys/{id}/links'>[number]

export const TRIGGERS: SurveyTrigger[] = ['after_complaint', 'after_first_purchase']
export const SURVEY_STATUS_COLORS: Record<SurveyStatus, string> = { draft: 'default', open: 'green', closed: 'red' }
