/** True when `err` is a unique-constraint violation (on `column`, when given) in either engine. */
export const isUniqueViolation = (err: unknown, column?: string): boolean => {
  const e = err as { code?: string; message?: string; detail?: string; constraint?: string }
  const unique = e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505'
  if (!unique || !column) return unique
  return [e.message, e.detail, e.constraint].some((s) => typeof s === 'string' && s.includes(column))
}

// PostgreSQL's class 22 is "data exception" (22021 a NUL or bad byte, 22P02 text that is not
// a number, 22003 a number out of range, 22007/22008 a bad date…), 54000 a value too large to
// index; SQLite has its own few. All are what a client sent, not a fault of the server.
const SQLITE_DATA_CODES = new Set(['SQLITE_TOOBIG', 'SQLITE_MISMATCH'])

/** True when the database refused a value itself (bad text, number out of range…): the client's fault. */
export const isDataError = (err: unknown, depth = 0): boolean => {
  const e = err as { code?: unknown; cause?: unknown } | null
  const code = e?.code
  if (typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === '54000' || SQLITE_DATA_CODES.has(code))) return true
  // A service that wraps the driver's error keeps it as the cause.
  return depth < 3 && e?.cause !== undefined && isDataError(e.cause, depth + 1)
}
