import type { TFunction } from 'i18next'
import type { GetData } from '../../../api/query.js'
import { formatCount, formatMoney } from '../../../format.js'

export type MemberRecommendations = GetData<'/api/v1/members/{id}/recommendations'>
export type Recommendation = MemberRecommendations['items'][number]
export type Reason = Recommendation['reason']
export type RecommendationModel = NonNullable<MemberRecommendations['model']>

/** A suggestion's reason in full (the member page, the insight page). */
export const reasonText = (t: TFunction<'insight', 'recommendations'>, r: Reason): string => {
  switch (r.kind) {
    // bought on one day only is no habit yet
    case 'repeat': return r.days === 1 ? t('reasons.repeatOnce', { date: r.lastDate }) : t('reasons.repeat', { days: formatCount(r.days), date: r.lastDate })
    case 'together': return t('reasons.together', { name: r.name })
    case 'similar': return t('reasons.similar', { name: r.name })
    case 'popular': return t('reasons.popular', { rank: formatCount(r.rank) })
  }
}

/** A suggestion's reason in a few words, for the till's narrow list. */
export const shortReasonText = (t: TFunction<'till', 'suggestions'>, r: Reason): string => {
  switch (r.kind) {
    case 'repeat': return r.days === 1 ? t('reasons.repeatOnce') : t('reasons.repeat')
    case 'together': return t('reasons.together', { name: r.name })
    case 'similar': return t('reasons.similar', { name: r.name })
    case 'popular': return t('reasons.popular', { rank: formatCount(r.rank) })
  }
}

/** What the member would pay: the member price when the product has one below its list price. */
export const offerPrice = (item: Pick<Recommendation, 'listPrice' | 'memberPrice'>): { price: number; isMemberPrice: boolean } =>
  item.memberPrice !== null && item.memberPrice < item.listPrice
    ? { price: item.memberPrice, isMemberPrice: true }
    : { price: item.listPrice, isMemberPrice: false }

/** A price as the console writes it: "¥3.50/kg" for goods sold by weight (priced per kilogram), "¥26.90" for the rest. */
export const priceText = (fen: number, soldByWeight: boolean, perKg: string): string => `${formatMoney(fen)}${soldByWeight ? perKg : ''}`

/** A rebuild asked for: the model on screen then, when (ms), and whether it joined a job queued the same minute. */
export interface BuildAsked {
  before: string | null
  at: number
  joined: boolean
}

/**
 * Whether the model now served is the one the rebuild asked for. Another id is a newer model. A
 * request that joined a job queued earlier in the same minute may find that job done already
 * (the model on screen is its model): then a model built since that minute began is the one.
 */
export const isRebuilt = (asked: BuildAsked, model: Pick<RecommendationModel, 'id' | 'builtAt'> | null): boolean => {
  if (!model) return false
  if (model.id !== asked.before) return true
  return asked.joined && Date.parse(model.builtAt) >= Math.floor(asked.at / 60_000) * 60_000
}

/** Who built a model, in words: staff by name, the daily job as such. */
export const builderText = (t: TFunction<'insight', 'recommendations'>, createdBy: string): string =>
  createdBy.startsWith('job:') ? t('model.byJob') : createdBy
