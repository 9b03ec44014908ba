// The tag editor's rule form: a list of simple conditions joined by all/any, to and from the
// condition language the API takes (README "Segments"). Money is typed in yuan and sent in fen.
// A rule nested deeper than one group is shown in words instead (ruleToForm answers null).

export const NUMBER_FIELDS = [
  'spend_w', 'receipts_w', 'avg_ticket_w', 'recency_days', 'interval_days', 'promo_share_pm', 'points_balance',
  'r_score', 'f_score', 'm_score', 'age', 'registered_days',
] as const
export const CHOICE_FIELDS = ['rfm_class', 'lifecycle', 'quadrant', 'frequency_class', 'amount_class', 'gender', 'main_department', 'main_category'] as const
export const FIELDS = ['bought', ...NUMBER_FIELDS, ...CHOICE_FIELDS, 'tag'] as const
export type Field = (typeof FIELDS)[number]
export const NUMBER_OPS = ['gte', 'lte', 'eq', 'gt', 'lt'] as const
export const BOUGHT_OPS = ['department', 'category', 'brand', 'sku'] as const

/** Fields whose values are fen in the API and yuan on the form. */
const MONEY = new Set<string>(['spend_w', 'avg_ticket_w'])

export interface LeafForm {
  field: Field
  /** numbers: gte…; choices: in / not_in; bought: department…; tag: has / lacks */
  op: string
  /** a number's value (yuan for money) */
  value?: number | null
  /** a choice's or a purchase's values; a tag's id as its only value */
  values?: string[]
  days?: number | null
  min?: number | null
}

export interface RuleForm {
  join: 'all' | 'any'
  leaves: LeafForm[]
}

export const emptyLeaf = (field: Field = 'bought'): LeafForm => {
  if (field === 'bought') return { field, op: 'department', values: [], days: 90, min: 1 }
  if (field === 'tag') return { field, op: 'has', values: [] }
  if ((NUMBER_FIELDS as readonly string[]).includes(field)) return { field, op: 'gte', value: null }
  return { field, op: 'in', values: [] }
}

type Json = Record<string, unknown>

const leafToJson = (leaf: LeafForm): Json => {
  if (leaf.field === 'bought') {
    return { field: 'bought', op: leaf.op, value: leaf.values ?? [], days: leaf.days ?? null, ...(leaf.min && leaf.min > 1 ? { min: leaf.min } : {}) }
  }
  if (leaf.field === 'tag') return { field: 'tag', op: leaf.op, value: leaf.values?.[0] ?? '' }
  if ((NUMBER_FIELDS as readonly string[]).includes(leaf.field)) {
    const v = leaf.value ?? null
    return { field: leaf.field, op: leaf.op, value: v !== null && MONEY.has(leaf.field) ? Math.round(v * 100) : v }
  }
  return { field: leaf.field, op: leaf.op, value: leaf.values ?? [] }
}

/** The rule the API takes: one condition alone, or the conditions joined. The server checks it. */
export const formToRule = (form: RuleForm): Json =>
  form.leaves.length === 1 ? leafToJson(form.leaves[0]!) : { [form.join]: form.leaves.map(leafToJson) }

const leafFromJson = (j: Json): LeafForm | null => {
  const field = j.field as Field
  if (!(FIELDS as readonly string[]).includes(field)) return null
  const op = String(j.op)
  if (field === 'bought') {
    return { field, op, values: (j.value as string[]) ?? [], days: (j.days as number) ?? null, min: (j.min as number | undefined) ?? 1 }
  }
  if (field === 'tag') return { field, op, values: [String(j.value)] }
  if ((NUMBER_FIELDS as readonly string[]).includes(field)) {
    if (op === 'between' || typeof j.value !== 'number') return null
    return { field, op, value: MONEY.has(field) ? j.value / 100 : j.value }
  }
  return { field, op, values: (j.value as string[]) ?? [] }
}

/** The form of a rule, or null when it does not fit the form (nested groups, NOT, other fields). */
export const ruleToForm = (rule: unknown): RuleForm | null => {
  if (!rule || typeof rule !== 'object') return null
  const r = rule as Json
  for (const join of ['all', 'any'] as const) {
    if (Array.isArray(r[join])) {
      const leaves = (r[join] as unknown[]).map((x) => (x && typeof x === 'object' && 'field' in x ? leafFromJson(x as Json) : null))
      return leaves.every((l) => l !== null) ? { join, leaves: leaves as LeafForm[] } : null
    }
  }
  if ('field' in r) {
    const leaf = leafFromJson(r)
    return leaf ? { join: 'all', leaves: [leaf] } : null
  }
  return null
}

/** The choices a choice field offers (others take free text). */
export const CHOICE_VALUES: Partial<Record<Field, readonly string[]>> = {
  rfm_class: ['important_value', 'important_develop', 'important_keep', 'important_retain', 'general_value', 'general_develop', 'general_keep', 'general_retain'],
  lifecycle: ['new', 'active', 'returning', 'dormant', 'lost', 'prospect'],
  quadrant: ['core', 'develop', 'potential', 'abandon', 'unknown'],
  frequency_class: ['high', 'mid', 'low'],
  amount_class: ['high', 'mid', 'low'],
  gender: ['male', 'female', 'unknown'],
}

/**
 * The path of an error the server names (`rule.all[1].days`) as the form's place: which
 * condition (0-based) and which of its inputs, so the editor can mark it.
 */
export const errorPlace = (field: string): { leaf: number | null; input: string } => {
  const m = /^rule(?:\.(?:all|any)\[(\d+)\])?(?:\.(\w+))?/.exec(field)
  if (!m) return { leaf: null, input: field }
  return { leaf: m[1] !== undefined ? Number(m[1]) : 0, input: m[2] ?? '' }
}
