/** One build of the recommendation model: the products' neighbours and the popular list of a period's sales. */
export interface RecommendationModelsTable {
  id: string
  built_at: string
  /** the business dates of the sales it learned from, inclusive (local) */
  from_date: string
  to_date: string
  /** sales (baskets) with a catalogue product */
  baskets: number
  /** members with such a sale */
  members: number
  /** products on those sales */
  products: number
  /** neighbour rows stored (both kinds) */
  neighbours: number
  seconds: number
  created_by: string
}

export type NeighbourKind = 'together' | 'similar'

/** A product's nearest products: bought on the same sales (together), or by the same members (similar). */
export interface ProductNeighboursTable {
  model_id: string
  product_id: string
  kind: NeighbourKind
  /** 1 = the most similar */
  rank: number
  neighbour_id: string
  /** cosine over baskets (together) or over members (similar) */
  score: number
  /** baskets, or members, with both */
  together: number
}

/** The model period's most popular products by baskets, 1 = the most. */
export interface RecommendationPopularTable {
  model_id: string
  rank: number
  product_id: string
  baskets: number
}

export interface RecommendationsTables {
  recommendation_models: RecommendationModelsTable
  product_neighbours: ProductNeighboursTable
  recommendation_popular: RecommendationPopularTable
}
