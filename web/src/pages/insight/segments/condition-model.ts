// The condition builder's model: the field catalogue (grouped as the picker shows it, with each
// field's kind of input) and pure edits of a condition tree addressed by paths. The tree is the
// API's JSON as it is (money in fen, days in days), so what is edited is what is sent.
// README "Segments" lists the fields and operators; the server checks the whole tree again.

export type Json = Record<string, unknown>
/** A node of the tree: { all: [] } | { any: [] } | { not: {} } | a leaf { field, op, value, … }. */
export type Node = Json
/** Where a node is: indexes into groups, 'not' to step into a negation. */
export type Path = Array<number | 'not'>

export type Unit = 'yuan' | 'days' | 'pm' | 'points' | 'count' | 'score' | 'years'
export type OptionSource = 'stores' | 'tiers' | 'departments' | 'categories' | 'free'
export type FieldKind =
  | { kind: 'number'; unit: Unit }
  | { kind: 'choice'; values?: readonly string[]; source?: OptionSource }
  | { kind: 'consent' } | { kind: 'bought' } | { kind: 'shopped_at' } | { kind: 'tag' } | { kind: 'coupon' }

export const FIELD_GROUPS = ['profile', 'behaviour', 'classes', 'predictions', 'tags', 'points'] as const
export type FieldGroup = (typeof FIELD_GROUPS)[number]

const LEVELS = ['high', 'mid', 'low'] as const
export const CHOICE_VALUES = {
  gender: ['female', 'male', 'unknown'],
  age_band: ['<18', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'],
  income_band: ['below_3k', '3k_5k', '5k_8k', '8k_12k', '12k_20k', '20k_plus'],
  occupation: ['student', 'office_worker', 'civil_servant', 'professional', 'worker', 'self_employed', 'service', 'farmer', 'retired', 'homemaker', 'other'],
  education: ['primary', 'junior_high', 'senior_high', 'vocational', 'college', 'bachelor', 'master', 'doctorate'],
  registration_channel: ['till', 'qr', 'mini_program', 'import'],
  rfm_class: ['important_value', 'important_develop', 'important_keep', 'important_retain', 'general_value', 'general_develop', 'general_keep', 'general_retain'],
  quadrant: ['core', 'develop', 'potential', 'abandon', 'unknown'],
  frequency_class: LEVELS,
  amount_class: LEVELS,
  lifecycle: ['new', 'active', 'dormant', 'lost', 'returning', 'prospect'],
} as const satisfies Record<string, readonly string[]>

export const CONSENT_CHANNELS = ['sms', 'email', 'wechat', 'app_push', 'phone_call'] as const

/** Every field the picker offers, by group, with its input. */
export const FIELDS: Record<FieldGroup, Record<string, FieldKind>> = {
  profile: {
    gender: { kind: 'choice', values: CHOICE_VALUES.gender },
    age: { kind: 'number', unit: 'years' },
    age_band: { kind: 'choice', values: CHOICE_VALUES.age_band },
    income_band: { kind: 'choice', values: CHOICE_VALUES.income_band },
    district: { kind: 'choice', source: 'free' },
    occupation: { kind: 'choice', values: CHOICE_VALUES.occupation },
    education: { kind: 'choice', values: CHOICE_VALUES.education },
    registration_store: { kind: 'choice', source: 'stores' },
    registration_channel: { kind: 'choice', values: CHOICE_VALUES.registration_channel },
    registered_days: { kind: 'number', unit: 'days' },
    tier: { kind: 'choice', source: 'tiers' },
    consent: { kind: 'consent' },
  },
  behaviour: {
    spend_w: { kind: 'number', unit: 'yuan' },
    receipts_w: { kind: 'number', unit: 'count' },
    avg_ticket_w: { kind: 'number', unit: 'yuan' },
    spend_total: { kind: 'number', unit: 'yuan' },
    receipts_total: { kind: 'number', unit: 'count' },
    recency_days: { kind: 'number', unit: 'days' },
    interval_days: { kind: 'number', unit: 'days' },
    stores_visited_w: { kind: 'number', unit: 'count' },
    promo_share_pm: { kind: 'number', unit: 'pm' },
    bought: { kind: 'bought' },
    shopped_at: { kind: 'shopped_at' },
    main_store: { kind: 'choice', source: 'stores' },
    main_department: { kind: 'choice', source: 'departments' },
    main_category: { kind: 'choice', source: 'categories' },
  },
  classes: {
    rfm_class: { kind: 'choice', values: CHOICE_VALUES.rfm_class },
    r_score: { kind: 'number', unit: 'score' },
    f_score: { kind: 'number', unit: 'score' },
    m_score: { kind: 'number', unit: 'score' },
    quadrant: { kind: 'choice', values: CHOICE_VALUES.quadrant },
    frequency_class: { kind: 'choice', values: CHOICE_VALUES.frequency_class },
    amount_class: { kind: 'choice', values: CHOICE_VALUES.amount_class },
    lifecycle: { kind: 'choice', values: CHOICE_VALUES.lifecycle },
  },
  predictions: {
    p_alive_pm: { kind: 'number', unit: 'pm' },
    expected_value: { kind: 'number', unit: 'yuan' },
    clv: { kind: 'number', unit: 'yuan' },
  },
  tags: { tag: { kind: 'tag' } },
  points: {
    points_balance: { kind: 'number', unit: 'points' },
    points_earned_w: { kind: 'number', unit: 'points' },
    points_redeemed_w: { kind: 'number', unit: 'points' },
    coupons_used_w: { kind: 'number', unit: 'count' },
    coupon: { kind: 'coupon' },
  },
}

export const fieldKind = (field: string): FieldKind | null => {
  for (const g of FIELD_GROUPS) if (field in FIELDS[g]) return FIELDS[g][field]!
  return null
}

export const NUMBER_OPS = ['gte', 'lte', 'eq', 'gt', 'lt', 'between'] as const
export const opsOf = (field: string): readonly string[] => {
  const k = fieldKind(field)
  switch (k?.kind) {
    case 'number': return NUMBER_OPS
    case 'choice': return ['in', 'not_in']
    case 'consent': return ['granted', 'not_granted']
    case 'bought': return ['department', 'category', 'brand', 'sku']
    case 'shopped_at': return ['in']
    case 'tag': return ['has', 'lacks']
    case 'coupon': return ['holds', 'used']
    default: return []
  }
}

/** A new leaf of a field, as the picker adds it (values still to fill, windows 90 days). */
export const defaultLeaf = (field: string): Node => {
  const k = fieldKind(field)
  switch (k?.kind) {
    case 'number': return { field, op: 'gte', value: null }
    case 'consent': return { field, op: 'granted', value: 'sms' }
    case 'bought': return { field, op: 'category', value: [], days: 90 }
    case 'shopped_at': return { field, op: 'in', value: [], days: 90 }
    case 'tag': return { field, op: 'has', value: null }
    case 'coupon': return { field, op: 'holds' }
    default: return { field, op: 'in', value: [] }
  }
}

/** A leaf after its operator changed: the value kept where it still fits. */
export const withOp = (leaf: Node, op: string): Node => {
  if (leaf.field === 'coupon') return op === 'used' ? { ...leaf, op, days: (leaf.days as number | undefined) ?? 30 } : { field: 'coupon', op, ...(leaf.value ? { value: leaf.value } : {}) }
  if (fieldKind(String(leaf.field))?.kind === 'number') {
    const v = leaf.value
    if (op === 'between') return { ...leaf, op, value: [typeof v === 'number' ? v : null, null] }
    return { ...leaf, op, value: Array.isArray(v) ? v[0] ?? null : v }
  }
  return { ...leaf, op }
}

export const isGroup = (n: Node) => 'all' in n || 'any' in n || 'not' in n
export const joinOf = (n: Node): 'all' | 'any' | null => ('all' in n ? 'all' : 'any' in n ? 'any' : null)
export const childrenOf = (n: Node): Node[] => (('all' in n ? n.all : 'any' in n ? n.any : []) as Node[])

/** The builder always edits a group at the root: a bare leaf (or nothing) is wrapped in { all }. */
export const asRoot = (value: unknown): Node => {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const n = value as Node
    if (joinOf(n)) return n
    return { all: [n] }
  }
  return { all: [] }
}

export const nodeAt = (root: Node, path: Path): Node => {
  let n = root
  for (const step of path) n = step === 'not' ? (n.not as Node) : childrenOf(n)[step]!
  return n
}

/** The tree with the node at `path` replaced by `fn(node)`; fn answering null removes it from its group. */
export const updateAt = (root: Node, path: Path, fn: (n: Node) => Node | null): Node => {
  if (path.length === 0) return fn(root) ?? { all: [] }
  const [step, ...rest] = path
  if (step === 'not') {
    const inner = updateAt(root.not as Node, rest, fn)
    return { not: inner }
  }
  const join = joinOf(root)!
  const list = childrenOf(root)
  const next: Node[] = []
  list.forEach((c, i) => {
    if (i !== step) { next.push(c); return }
    if (rest.length === 0) {
      const r = fn(c)
      if (r) next.push(r)
    } else next.push(updateAt(c, rest, fn))
  })
  return { [join]: next }
}

/** Removes a node; a NOT left empty goes with it. */
export const removeAt = (root: Node, path: Path): Node => {
  const notIndex = path.lastIndexOf('not')
  // removing the inside of a NOT removes the NOT
  if (notIndex === path.length - 1) return removeAt(root, path.slice(0, -1))
  return updateAt(root, path, () => null)
}

export const addLeaf = (root: Node, groupPath: Path, field: string): Node =>
  updateAt(root, groupPath, (g) => ({ [joinOf(g)!]: [...childrenOf(g), defaultLeaf(field)] }))

export const addGroup = (root: Node, groupPath: Path, join: 'all' | 'any' = 'any'): Node =>
  updateAt(root, groupPath, (g) => ({ [joinOf(g)!]: [...childrenOf(g), { [join]: [] }] }))

export const setJoin = (root: Node, groupPath: Path, join: 'all' | 'any'): Node =>
  updateAt(root, groupPath, (g) => ({ [join]: childrenOf(g) }))

/** NOT a node, or un-NOT a negated one (`path` names the NOT or the node inside it). */
export const toggleNot = (root: Node, path: Path): Node => {
  if (path[path.length - 1] === 'not') return updateAt(root, path.slice(0, -1), (n) => n.not as Node)
  const node = nodeAt(root, path)
  if ('not' in node) return updateAt(root, path, (n) => n.not as Node)
  return updateAt(root, path, (n) => ({ not: n }))
}

const filled = (v: unknown) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && (v.length === 0 || v.some((x) => x === null || x === undefined || x === '')))

/** Whether every group has a condition and every condition its values (only then is it counted). */
export const isComplete = (n: Node): boolean => {
  if ('not' in n) return isComplete(n.not as Node)
  if (joinOf(n)) return childrenOf(n).length > 0 && childrenOf(n).every(isComplete)
  if (n.field === 'coupon') return n.op === 'holds' || filled(n.days)
  if (n.field === 'bought' || n.field === 'shopped_at') return filled(n.value) && filled(n.days)
  return filled(n.value)
}

/** The tree as sent: a root group of one condition is sent as that condition. */
export const toDefinition = (root: Node): Node => {
  const list = childrenOf(root)
  return joinOf(root) && list.length === 1 && !('not' in root) ? list[0]! : root
}

export const countLeaves = (n: Node): number =>
  'not' in n ? countLeaves(n.not as Node) : joinOf(n) ? childrenOf(n).reduce((a, c) => a + countLeaves(c), 0) : 1

/** A test id for a path: root, 0, 1-0, 2-not … */
export const pathKey = (path: Path): string => (path.length === 0 ? 'root' : path.join('-'))

/** yuan ↔ fen for money leaves. */
export const toDisplay = (unit: Unit, v: number | null): number | null => (v === null ? null : unit === 'yuan' ? v / 100 : v)
export const fromDisplay = (unit: Unit, v: number | null): number | null => (v === null ? null : unit === 'yuan' ? Math.round(v * 100) : v)
