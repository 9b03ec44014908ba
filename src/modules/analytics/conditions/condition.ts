/**
 * The condition language of tags and segments (issue 12 §3, §4): nested AND / OR / NOT over
 * leaves that each test one field of a member. A tag's rule and a segment's definition are both a
 * `Condition`, stored as JSON; `parseCondition` (conditions.ts) validates one from the wire,
 * naming the path and the reason of what is wrong, and the repository compiles it to SQL over
 * `members` joined with `member_insight`.
 *
 * JSON examples:
 *   { "all": [ { "field": "gender", "op": "in", "value": ["female"] },
 *              { "any": [ { "field": "spend_w", "op": "gte", "value": 100000 },
 *                         { "field": "bought", "op": "category", "value": ["母婴"], "days": 90, "min": 2 } ] },
 *              { "not": { "field": "tag", "op": "has", "value": "<tag id>" } } ] }
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | Leaf

export type Leaf =
  /** numbers: fen for money, days for days, ‰ for promo_share, points for points */
  | { field: NumberField; op: 'eq' | 'gte' | 'lte' | 'gt' | 'lt'; value: number }
  | { field: NumberField; op: 'between'; value: [number, number] }
  /** enumerations and text: one of the values */
  | { field: ChoiceField; op: 'in' | 'not_in'; value: string[] }
  /** consent per channel: granted or not */
  | { field: 'consent'; op: 'granted' | 'not_granted'; value: 'sms' | 'email' | 'wechat' | 'app_push' | 'phone_call' }
  /** bought in a department / category / brand / SKU within `days` days of the as-of date, at least `min` times (receipts, default 1) */
  | { field: 'bought'; op: 'department' | 'category' | 'brand' | 'sku'; value: string[]; days: number; min?: number }
  /** shopped at one of these stores (ids) within `days` days */
  | { field: 'shopped_at'; op: 'in'; value: string[]; days: number }
  /** holds a tag now (id) */
  | { field: 'tag'; op: 'has' | 'lacks'; value: string }
  /** holds an unused, unexpired coupon (of a template id, or any) / used one within `days` days */
  | { field: 'coupon'; op: 'holds' | 'used'; value?: string; days?: number }

/** Numeric fields: member_insight columns (and `points_balance`, `age`, `registered_days`). */
export const NUMBER_FIELDS = [
  'spend_w', 'receipts_w', 'avg_ticket_w', 'spend_total', 'receipts_total', 'recency_days', 'interval_days',
  'stores_visited_w', 'promo_share_pm', 'points_earned_w', 'points_redeemed_w', 'coupons_used_w',
  'r_score', 'f_score', 'm_score', 'points_balance', 'age', 'registered_days',
  'p_alive_pm', 'expected_value', 'clv',
] as const
export type NumberField = (typeof NUMBER_FIELDS)[number]

/** Choice fields: profile fields, classes, and stores/tiers by id. */
export const CHOICE_FIELDS = [
  'gender', 'age_band', 'income_band', 'district', 'occupation', 'education', 'registration_store', 'registration_channel', 'tier',
  'main_store', 'main_department', 'main_category', 'rfm_class', 'quadrant', 'frequency_class', 'amount_class', 'lifecycle',
] as const
export type ChoiceField = (typeof CHOICE_FIELDS)[number]

export const isGroup = (c: Condition): c is { all: Condition[] } | { any: Condition[] } | { not: Condition } =>
  'all' in c || 'any' in c || 'not' in c
