export type LookupKey = { phone: string } | { cardNo: string } | { idNumber: string } | { email: string }

/**
 * What a search box entry is, by its shape: a 16-digit number starting with 8 is a card, 18
 * characters (the last may be X) an ID number, an 11-digit number (with or without +86) a
 * phone. The server checks the card's and ID's check digits; null = none of these shapes.
 */
export const lookupKey = (raw: string): LookupKey | null => {
  const text = raw.trim()
  if (text.includes('@')) return { email: text }
  const compact = text.replace(/[\s-]/g, '')
  if (/^8\d{15}$/.test(compact)) return { cardNo: compact }
  if (/^\d{17}[\dXx]$/.test(compact)) return { idNumber: compact.toUpperCase() }
  const phone = compact.replace(/^(\+86|0086|86(?=\d{11}$))/, '')
  if (/^\d{11}$/.test(phone)) return { phone }
  return null
}

/**
 * A search box entry that is a person's full name (the server finds exact names): letters of any
 * script, spaces and the middle dot of minority names, no digits; null otherwise.
 */
export const nameQuery = (raw: string): string | null => {
  const text = raw.trim()
  if (text.length === 0 || [...text].length > 50) return null
  return /^[\p{L}\p{M}][\p{L}\p{M}\s·•・.'-]*$/u.test(text) ? text : null
}
