/** True when `err` is a unique-constraint violation (on `column`, when given) in either engine. */
export const isUniqueViolation = (err: unknown, column?: string): boolean => {
  const e = err as { code?: string; message?: string; detail?: string; constraint?: string }
  const unique = e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505'
  if (!unique || !column) return unique
  return [e.message, e.detail, e.constraint].some((s) => typeof s === 'string' && s.includes(column))
}
