// Which statement a slow insight figure spends its time in: while a trace is on, every statement
// Patron runs through better-sqlite3 or pg in this process is timed with its SQL and parameters,
// so the bench can print the slowest one and the engine's plan for it (EXPLAIN).
import SQLite from 'better-sqlite3'
import pg from 'pg'

export interface TracedStatement {
  sql: string
  params: unknown[]
  ms: number
}

let active: TracedStatement[] | null = null
let installed = false

const install = () => {
  if (installed) return
  installed = true
  const probe = new SQLite(':memory:')
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>
  probe.close()
  for (const method of ['all', 'get', 'run'] as const) {
    const original = statementProto[method] as (this: SQLite.Statement, ...args: unknown[]) => unknown
    statementProto[method] = function (this: SQLite.Statement, ...args: unknown[]) {
      if (!active) return original.apply(this, args)
      const started = performance.now()
      try {
        return original.apply(this, args)
      } finally {
        active?.push({ sql: this.source, params: args.flat(), ms: performance.now() - started })
      }
    }
  }
  const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }
  const query = clientProto.query
  clientProto.query = function (this: pg.Client, ...args: unknown[]) {
    const list = active
    const first = args[0]
    const sql = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text
    if (!list || !sql) return query.apply(this, args)
    const params = Array.isArray(args[1]) ? args[1] as unknown[] : []
    const started = performance.now()
    const record = () => list.push({ sql, params, ms: performance.now() - started })
    const last = args[args.length - 1]
    if (typeof last === 'function') {
      args[args.length - 1] = (...cb: unknown[]) => {
        record()
        return (last as (...a: unknown[]) => unknown)(...cb)
      }
      return query.apply(this, args)
    }
    const out = query.apply(this, args)
    if (out && typeof (out as Promise<unknown>).then === 'function') void (out as Promise<unknown>).then(record, record)
    return out
  }
}

/** Runs `fn` with every statement timed; returns them slowest first. */
export const traceStatements = async (fn: () => Promise<unknown>): Promise<TracedStatement[]> => {
  install()
  const list: TracedStatement[] = []
  active = list
  try {
    await fn()
  } finally {
    active = null
  }
  return list.sort((a, b) => b.ms - a.ms)
}
