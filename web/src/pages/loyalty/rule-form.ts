import type { Dayjs } from 'dayjs'
import { ApiError } from '../../api/client.js'
import { fenToYuan, yuanToFen } from '../../shared/money.js'
import type { DepartmentNode, EarningRule, ProductMatch, RuleBody, RuleDefinition, RuleKind, TenderKind } from './types.js'
import { fromZoneWallTime, toZoneWallTime } from './zone-time.js'

// The rule form's flat values and the API's rule body, both ways. Products are chosen in a
// tree of departments > categories > subcategories; a node's value is its path as JSON, so a
// category that exists under two departments is still one value per place in the tree.

export interface RuleFormValues {
  name: string
  kind: RuleKind
  /** base: yuan paid per point */
  yuanPerPoint?: number | null
  rounding?: 'floor' | 'round'
  excludeTenders?: TenderKind[]
  /** base: products excluded; multiplier: products matched */
  classes?: string[]
  brands?: string[]
  skus?: string[]
  factor?: number | null
  weekdays?: number[]
  perReceipt?: number | null
  perDay?: number | null
  storeIds?: string[]
  regionIds?: string[]
  validFrom: Dayjs
  validTo?: Dayjs | null
}

const LEVELS = ['departments', 'categories', 'subcategories'] as const

type Path = Array<string | null>

export const classValue = (path: Path): string => JSON.stringify(path)

const parsePath = (value: string): Path | null => {
  try {
    const path = JSON.parse(value) as unknown
    return Array.isArray(path) && path.length >= 1 && path.length <= 3 && typeof path[path.length - 1] === 'string' ? (path as Path) : null
  } catch {
    return null
  }
}

/** The departments, categories and subcategories the chosen tree nodes name. */
export const matchFromClasses = (values: readonly string[]): Pick<ProductMatch, 'departments' | 'categories' | 'subcategories'> => {
  const out: Record<(typeof LEVELS)[number], string[]> = { departments: [], categories: [], subcategories: [] }
  for (const value of values) {
    const path = parsePath(value)
    if (!path) continue
    const list = out[LEVELS[path.length - 1]!]
    const name = path[path.length - 1]!
    if (!list.includes(name)) list.push(name)
  }
  return Object.fromEntries(LEVELS.filter((l) => out[l].length > 0).map((l) => [l, out[l]]))
}

/**
 * The tree nodes a match names. A rule names a category by its name alone, so every place the
 * name has in the tree is chosen; a name the tree lacks (no products yet) is kept as a path
 * with unknown parents.
 */
export const classesFromMatch = (match: ProductMatch | undefined, tree: readonly DepartmentNode[]): string[] => {
  if (!match) return []
  const out: string[] = []
  const add = (level: number, name: string, found: Path[]) => {
    if (found.length === 0) found.push([...Array<null>(level).fill(null), name])
    for (const p of found) out.push(classValue(p))
  }
  for (const name of match.departments ?? []) add(0, name, tree.filter((d) => d.name === name).map(() => [name]))
  for (const name of match.categories ?? []) {
    add(1, name, tree.flatMap((d) => d.categories.filter((c) => c.name === name).map((): Path => [d.name, name])))
  }
  for (const name of match.subcategories ?? []) {
    add(2, name, tree.flatMap((d) => d.categories.flatMap((c) => c.subcategories.filter((s) => s.name === name).map((): Path => [d.name, c.name, name]))))
  }
  return [...new Set(out)]
}

export interface ClassTreeNode {
  value: string
  title: string
  /** products under the node, or null for a name no product carries */
  count: number | null
  /** an unclassified node, shown for its children but not a thing a rule can name */
  selectable: boolean
  children: ClassTreeNode[]
}

/** TreeSelect data for the product tree, plus the chosen names it does not hold. */
export const classTreeData = (tree: readonly DepartmentNode[], chosen: readonly string[], unclassified: string): ClassTreeNode[] => {
  const node = (path: Path, count: number, children: ClassTreeNode[]): ClassTreeNode => {
    const name = path[path.length - 1]
    return { value: classValue(path), title: name ?? unclassified, count, selectable: name !== null, children }
  }
  const nodes = tree.map((d) => node([d.name], d.count, d.categories.map((c) =>
    node([d.name, c.name], c.count, c.subcategories.map((s) => node([d.name, c.name, s.name], s.count, []))))))
  const known = new Set<string>()
  const walk = (list: ClassTreeNode[]) => list.forEach((n) => {
    known.add(n.value)
    walk(n.children)
  })
  walk(nodes)
  for (const value of chosen) {
    const path = parsePath(value)
    if (path && !known.has(value)) nodes.push({ value, title: path[path.length - 1]!, count: null, selectable: true, children: [] })
  }
  return nodes
}

const cleanList = (list: readonly string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))]

const toMatch = (v: RuleFormValues): ProductMatch | undefined => {
  const match: ProductMatch = { ...matchFromClasses(v.classes ?? []) }
  const brands = cleanList(v.brands)
  const skus = cleanList(v.skus)
  if (brands.length) match.brands = brands
  if (skus.length) match.skus = skus
  return Object.keys(match).length ? match : undefined
}

const definitionOf = (v: RuleFormValues): RuleDefinition => {
  switch (v.kind) {
    case 'base': {
      const exclude = toMatch(v)
      return {
        kind: 'base', fenPerPoint: yuanToFen(v.yuanPerPoint ?? 0), rounding: v.rounding ?? 'floor',
        ...(exclude ? { exclude } : {}), excludeTenders: v.excludeTenders ?? [],
      }
    }
    case 'multiplier': {
      const match = toMatch(v)
      const weekdays = [...new Set(v.weekdays ?? [])].sort()
      return { kind: 'multiplier', factor: v.factor ?? 0, ...(match ? { match } : {}), ...(weekdays.length ? { weekdays } : {}) }
    }
    case 'birthday':
      return { kind: 'birthday', factor: v.factor ?? 0 }
    case 'cap':
      return {
        kind: 'cap',
        ...(v.perReceipt !== null && v.perReceipt !== undefined ? { perReceipt: v.perReceipt } : {}),
        ...(v.perDay !== null && v.perDay !== undefined ? { perDay: v.perDay } : {}),
      }
  }
}

/** The API body for the form's values; times are wall times in `tz`. */
export const toRuleBody = (v: RuleFormValues, tz: string): RuleBody => ({
  name: v.name.trim(),
  definition: definitionOf(v),
  storeIds: v.storeIds?.length ? v.storeIds : null,
  regionIds: v.regionIds?.length ? v.regionIds : null,
  validFrom: fromZoneWallTime(v.validFrom, tz),
  validTo: v.validTo ? fromZoneWallTime(v.validTo, tz) : null,
})

/** Form values for a new rule of a kind, starting at `from`. */
export const newRuleValues = (kind: RuleKind, from: Dayjs): RuleFormValues => ({
  name: '', kind, yuanPerPoint: 1, rounding: 'floor', excludeTenders: ['points', 'coupon'], classes: [], brands: [], skus: [],
  factor: kind === 'birthday' || kind === 'multiplier' ? 2 : null, weekdays: [], perReceipt: null, perDay: null,
  storeIds: [], regionIds: [], validFrom: from, validTo: null,
})

/**
 * Form values for revising a rule: its parameters, starting at `from` (a new version must start
 * after the one it replaces).
 */
export const ruleToValues = (rule: EarningRule, tree: readonly DepartmentNode[], tz: string, from: Dayjs): RuleFormValues => {
  const d = rule.definition
  const match = d.kind === 'base' ? d.exclude : d.kind === 'multiplier' ? d.match : undefined
  return {
    ...newRuleValues(d.kind, from),
    name: rule.name,
    yuanPerPoint: d.kind === 'base' ? fenToYuan(d.fenPerPoint) : 1,
    rounding: d.kind === 'base' ? d.rounding : 'floor',
    excludeTenders: d.kind === 'base' ? [...d.excludeTenders] : [],
    classes: classesFromMatch(match, tree),
    brands: [...(match?.brands ?? [])],
    skus: [...(match?.skus ?? [])],
    factor: d.kind === 'multiplier' || d.kind === 'birthday' ? d.factor : null,
    weekdays: d.kind === 'multiplier' ? [...(d.weekdays ?? [])] : [],
    perReceipt: d.kind === 'cap' ? d.perReceipt ?? null : null,
    perDay: d.kind === 'cap' ? d.perDay ?? null : null,
    storeIds: [...(rule.storeIds ?? [])],
    regionIds: [...(rule.regionIds ?? [])],
    validTo: rule.validTo ? toZoneWallTime(rule.validTo, tz) : null,
  }
}

/** A revision starts now, or just after the version it replaces when that one starts later. */
export const revisionStart = (rule: EarningRule, tz: string, now: Dayjs): Dayjs => {
  const after = toZoneWallTime(rule.validFrom, tz).add(1, 'minute').second(0).millisecond(0)
  return after.isAfter(now) ? after : now
}

/** The form field a server error detail names (`definition.match.brands` → `brands`). */
export const ruleFieldName = (field: string): keyof RuleFormValues | null => {
  const [head, second, third] = field.split('.')
  if (head === 'name' || head === 'storeIds' || head === 'regionIds' || head === 'validFrom' || head === 'validTo') return head
  if (head !== 'definition') return null
  switch (second) {
    case undefined: return 'perReceipt'
    case 'kind': return 'kind'
    case 'fenPerPoint': return 'yuanPerPoint'
    case 'rounding': case 'excludeTenders': case 'factor': case 'weekdays': case 'perReceipt': case 'perDay': return second
    case 'exclude': case 'match': return third === 'brands' ? 'brands' : third === 'skus' ? 'skus' : 'classes'
    default: return null
  }
}

/**
 * The same error with its details renamed to the form's fields (and their reasons put in the
 * user's words by `translate`), for FormModal to show there.
 */
export const toRuleFormError = (err: unknown, translate: (reason: string) => string = (r) => r): unknown => {
  if (!(err instanceof ApiError) || err.details.length === 0) return err
  return new ApiError(err.status, err.code, err.message, err.details.map((d) => ({ field: ruleFieldName(d.field) ?? d.field, reason: translate(d.reason) })))
}
