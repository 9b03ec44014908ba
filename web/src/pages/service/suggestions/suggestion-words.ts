import type { Schemas } from '../../../api/client.js'

// What the suggestion pages share: the API's types and the orders and colours they are shown in.

export type Suggestion = Schemas['Suggestion']
export type SuggestionStatus = Suggestion['status']
export type SuggestionCategory = Suggestion['category']

export const STATUSES: SuggestionStatus[] = ['received', 'under_review', 'adopted', 'declined']
export const CATEGORIES: SuggestionCategory[] = ['productsRange', 'service', 'environment', 'prices', 'membership', 'other']
export const STATUS_COLORS: Record<SuggestionStatus, string> = { received: 'blue', under_review: 'gold', adopted: 'green', declined: 'default' }
