// Where queries may be built (issue 11 §3), checked by `npm run lint` and CI:
//   query-outside-repository  query building (selectFrom, insertInto, updateTable, deleteFrom,
//                             replaceInto, mergeInto, with, sql`…`, sql.raw and the other sql
//                             helpers) appears in src only in *.repository.ts files, in src/db
//                             (migrations, bulk helpers) and in tests;
//   foreign-table             a module's repositories touch only the tables its own *.table.ts
//                             files declare (`interface XTables { table_name: … }`); analytics
//                             may read any table (it writes only its own).
// Prints `file:line  rule  detail` per violation and exits 1 if there is any. `--summary` prints
// the count per module and rule instead of the list. Files or folders given as arguments narrow
// the check to them (default: src).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import ts from 'typescript'

export type Rule = 'query-outside-repository' | 'foreign-table'
export interface Violation { file: string; line: number; rule: Rule; detail: string }

const BUILDERS = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto'])
const WRITERS = new Set(['insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto'])
const JOINS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'innerJoinLateral', 'leftJoinLateral', 'crossJoin', 'crossJoinLateral', 'using'])
/** Modules that may read every table (cross-table reporting); they still write only their own. */
const READS_ANY = new Set(['analytics'])
/** Tables of src/db/schema.ts that belong to no module: `meta` is a key-value table where each
 * module keeps its own settings under its own keys (the chain's, the till's). */
const SHARED_TABLES = new Set(['meta'])

const posix = (p: string) => p.split(sep).join('/')

const readIfThere = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    // A file removed while the check runs (another change in progress) is simply not there.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(path)
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : []
  })

const isTest = (file: string) => /\.test\.tsx?$/.test(file) || /(^|\/)test\//.test(file)
const isRepository = (file: string) => file.endsWith('.repository.ts')
const mayBuildQueries = (file: string) => isRepository(file) || file.startsWith('src/db/') || isTest(file)
export const moduleOf = (file: string): string | null => /^src\/modules\/([^/]+)\//.exec(file)?.[1] ?? null

/** The tables each module declares in its *.table.ts files (the keys of `interface XTables`). */
export const tablesByModule = (root: string): Map<string, Set<string>> => {
  const owned = new Map<string, Set<string>>()
  const modulesDir = join(root, 'src/modules')
  for (const file of walk(modulesDir).filter((f) => f.endsWith('.table.ts'))) {
    const rel = posix(relative(root, file))
    const module = moduleOf(rel)
    if (!module) continue
    const text = readIfThere(file)
    if (text === null) continue
    const source = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true)
    const tables = owned.get(module) ?? new Set<string>()
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement) || !/Tables$/.test(statement.name.text)) continue
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) && member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) tables.add(member.name.text)
      }
    }
    owned.set(module, tables)
  }
  return owned
}

/** `'members as m'` → `members`; a list of them → each. */
const tableNamesIn = (arg: ts.Expression | undefined): string[] => {
  if (!arg) return []
  if (ts.isStringLiteralLike(arg)) return [arg.text.trim().split(/\s+as\s+/i)[0]!.trim()]
  if (ts.isArrayLiteralExpression(arg)) return arg.elements.flatMap((e) => tableNamesIn(e))
  return []
}

/** Tables named in raw SQL text after from / join / into / update / delete from. */
const tablesInSqlText = (text: string): string[] =>
  [...text.matchAll(/\b(?:from|join|into|update)\s+"?([a-z_][a-z0-9_]*)"?/gi)].map((m) => m[1]!.toLowerCase())

const SQL_KEYWORDS = new Set(['select', 'lateral', 'unnest', 'json_each', 'generate_series', 'values', 'the', 'a', 'an'])

export const checkFile = (file: string, text: string, owned: Map<string, Set<string>>): Violation[] => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  // `sql` counts only when it is Kysely's (imported from 'kysely', possibly renamed).
  const sqlNames = new Set<string>()
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== 'kysely') continue
    const bindings = statement.importClause?.namedBindings
    if (bindings && ts.isNamedImports(bindings)) {
      for (const e of bindings.elements) if ((e.propertyName ?? e.name).text === 'sql' && !e.isTypeOnly) sqlNames.add(e.name.text)
    }
  }
  const module = moduleOf(file)
  const own = module ? owned.get(module) ?? new Set<string>() : null
  const checkTables = module !== null && isRepository(file)
  const allowedBuild = mayBuildQueries(file)
  const ctes = new Set<string>()
  const found: Violation[] = []
  const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
  const report = (node: ts.Node, rule: Rule, detail: string) => found.push({ file, line: at(node), rule, detail })
  const touch = (node: ts.Node, table: string, how: string, write: boolean) => {
    if (!checkTables || !own || own.has(table) || ctes.has(table) || SHARED_TABLES.has(table)) return
    if (!write && READS_ANY.has(module!)) return
    const owner = [...owned].find(([, tables]) => tables.has(table))?.[0] ?? 'no module'
    report(node, 'foreign-table', `${how} ${table} (owned by ${owner})`)
  }

  // CTE names first, so a later selectFrom('cte') is not taken for a table.
  const collectCtes = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^with(Recursive)?$/.test(node.expression.name.text)) {
      const first = node.arguments[0]
      if (first && ts.isStringLiteralLike(first)) ctes.add(first.text.split('(')[0]!.trim())
    }
    ts.forEachChild(node, collectCtes)
  }
  collectCtes(source)

  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text
      const receiver = node.expression.expression
      if (BUILDERS.has(name)) {
        if (!allowedBuild) report(node.expression.name, 'query-outside-repository', `${name}(${tableNamesIn(node.arguments[0]).join(', ')})`)
        for (const table of tableNamesIn(node.arguments[0])) touch(node.expression.name, table, name, WRITERS.has(name))
      } else if (JOINS.has(name)) {
        for (const table of tableNamesIn(node.arguments[0])) touch(node.expression.name, table, name, false)
      } else if (/^with(Recursive)?$/.test(name) && node.arguments.length === 2 && !allowedBuild) {
        report(node.expression.name, 'query-outside-repository', `${name}(…)`)
      } else if (ts.isIdentifier(receiver) && sqlNames.has(receiver.text)) {
        if (!allowedBuild) report(node, 'query-outside-repository', `sql.${name}(…)`)
        if (name === 'table' || name === 'raw') {
          const arg = node.arguments[0]
          if (arg && ts.isStringLiteralLike(arg)) {
            const names = name === 'table' ? [arg.text] : tablesInSqlText(arg.text)
            for (const table of names) if (!SQL_KEYWORDS.has(table)) touch(node, table, `sql.${name}`, false)
          }
        }
      }
    }
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && sqlNames.has(node.tag.text)) {
      if (!allowedBuild) report(node, 'query-outside-repository', 'sql`…`')
      const t = node.template
      const texts = ts.isNoSubstitutionTemplateLiteral(t) ? [t.text] : [t.head.text, ...t.templateSpans.map((s) => s.literal.text)]
      const whole = texts.join(' ? ')
      const writes = /^\s*(insert|update|delete|merge)\b/i.test(whole)
      for (const table of tablesInSqlText(whole)) if (!SQL_KEYWORDS.has(table)) touch(node, table, writes ? 'sql write' : 'sql read', writes)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

export const checkQueries = (root: string, targets: string[] = ['src']): Violation[] => {
  const owned = tablesByModule(root)
  const files = targets.flatMap((t) => {
    const path = join(root, t)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
  return files.flatMap((path) => {
    const text = readIfThere(path)
    return text === null ? [] : checkFile(posix(relative(root, path)), text, owned)
  })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
}

const main = () => {
  const args = process.argv.slice(2)
  const summary = args.includes('--summary')
  const targets = args.filter((a) => !a.startsWith('--'))
  const violations = checkQueries(process.cwd(), targets.length ? targets : ['src'])
  if (summary) {
    const counts = new Map<string, number>()
    for (const v of violations) {
      const where = moduleOf(v.file) ?? v.file.split('/').slice(0, 2).join('/')
      const key = `${where}\t${v.rule}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(5)}  ${key}`)
  } else {
    for (const v of violations) console.log(`${v.file}:${v.line}  ${v.rule}  ${v.detail}`)
  }
  console.log(violations.length ? `check-queries: ${violations.length} violations` : 'check-queries: no violations')
  process.exitCode = violations.length ? 1 : 0
}

if (import.meta.url === `file://${process.argv[1]}`) main()
