export type TillAction = 'member' | 'item' | 'quote' | 'pay' | 'clear'

/** The till's keys, shown on screen in this order. */
export const TILL_HOTKEYS: ReadonlyArray<{ key: string; action: TillAction }> = [
  { key: 'F2', action: 'member' },
  { key: 'F3', action: 'item' },
  { key: 'F4', action: 'quote' },
  { key: 'F9', action: 'pay' },
  { key: 'Esc', action: 'clear' },
]

/** The till action of a key press (function keys and Esc, without modifiers), or null. */
export const tillAction = (e: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean }): TillAction | null => {
  if (e.ctrlKey || e.altKey || e.metaKey) return null
  const key = e.key === 'Escape' ? 'Esc' : e.key
  return TILL_HOTKEYS.find((h) => h.key === key)?.action ?? null
}

/** Payment: 1–4 pick a tender, by its place in the list. */
export const tenderIndexOfKey = (key: string, count: number): number | null => {
  const n = Number(key)
  return Number.isInteger(n) && n >= 1 && n <= count ? n - 1 : null
}
