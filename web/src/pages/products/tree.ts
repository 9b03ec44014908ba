import type { DepartmentNode } from './types.js'

export interface ClassFilter {
  department?: string
  category?: string
  subcategory?: string
}

export interface ClassNode {
  key: string
  name: string | null
  count: number
  /** What the list filters on when the node is picked; null for unclassified nodes, which no filter can name. */
  filter: ClassFilter | null
  children: ClassNode[]
}

const LEVELS = ['department', 'category', 'subcategory'] as const

export const classKey = (filter: ClassFilter): string => JSON.stringify(LEVELS.map((l) => filter[l] ?? null))

const node = (path: Array<string | null>, count: number, children: ClassNode[]): ClassNode => {
  const named = path.every((p) => p !== null)
  const filter = named ? Object.fromEntries(path.map((p, i) => [LEVELS[i]!, p])) as ClassFilter : null
  // Unclassified nodes of different depths would otherwise share a key.
  const key = named ? classKey(filter!) : `${JSON.stringify(path)}#${path.length}`
  return { key, name: path[path.length - 1] ?? null, count, filter, children }
}

/** The API's department > category > subcategory counts as nodes of the console's filter tree. */
export const toClassNodes = (tree: DepartmentNode[]): ClassNode[] =>
  tree.map((d) => {
    const categories = d.categories.map((c) => {
      const subcategories = c.subcategories.map((s) => node([d.name, c.name, s.name], s.count, []))
      return node([d.name, c.name], c.count, subcategories)
    })
    return node([d.name], d.count, categories)
  })
