// The desk's figures as text and states: deadlines and their countdown, working minutes,
// weekly hours, compensation allowances, photo checks, the queue's keyboard. Pure functions
// of the API's answers, tested on their own; the pages only render them.

export const MAX_PHOTO_MB = 5
export const MAX_PHOTO_BYTES = MAX_PHOTO_MB * 1024 * 1024
export const MAX_PHOTOS = 6
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const
/** A follow-up may reopen a ticket at most this many times. */
export const MAX_REOPENS = 2

export type DeadlineKind = 'firstResponse' | 'resolution'
export type Tone = 'overdue' | 'soon' | 'ok' | 'met' | 'metLate' | 'none'

interface DeadlineFields {
  status: string
  firstResponseDueAt: string | null
  resolutionDueAt: string | null
  firstRespondedAt: string | null
  resolvedAt: string | null
}

/** The deadline the ticket is working towards: the first response until there is one, then resolution; none once resolved. */
export const nextDeadline = (t: DeadlineFields): { kind: DeadlineKind; dueAt: string } | null => {
  if (t.status === 'resolved' || t.status === 'closed') return null
  if (!t.firstRespondedAt && t.firstResponseDueAt) return { kind: 'firstResponse', dueAt: t.firstResponseDueAt }
  return t.resolutionDueAt ? { kind: 'resolution', dueAt: t.resolutionDueAt } : null
}

/**
 * Where a deadline stands at `now`: met (or met late) once done, overdue once passed, due soon
 * within `soonMs`, else ok; `ms` is the time left (negative: overdue) or, done, how late.
 */
export const deadlineState = (dueAt: string | null, doneAt: string | null, now: number, soonMs: number): { tone: Tone; ms: number } => {
  if (!dueAt) return { tone: 'none', ms: 0 }
  const due = Date.parse(dueAt)
  if (doneAt) {
    const late = Date.parse(doneAt) - due
    return { tone: late > 0 ? 'metLate' : 'met', ms: late }
  }
  const left = due - now
  if (left < 0) return { tone: 'overdue', ms: left }
  return { tone: left <= soonMs ? 'soon' : 'ok', ms: left }
}

export const TONE_COLORS: Record<Tone, string | undefined> = {
  overdue: '#cf1322', soon: '#d46b08', ok: undefined, met: '#389e0d', metLate: '#8c8c8c', none: undefined,
}

export interface Units { d: string; h: string; m: string; s: string }

/**
 * A span in its two largest units ("2天3小时", "1h 5m"); seconds only under an hour, so a
 * countdown that matters ticks visibly. Always at least "0s".
 */
export const formatSpan = (ms: number, u: Units, sep = ''): string => {
  const total = Math.floor(Math.abs(ms) / 1000)
  const parts: Array<[number, string]> = [
    [Math.floor(total / 86_400), u.d], [Math.floor(total / 3600) % 24, u.h], [Math.floor(total / 60) % 60, u.m],
    ...(total < 3600 ? [[total % 60, u.s] as [number, string]] : []),
  ]
  const first = parts.findIndex(([n]) => n > 0)
  if (first < 0) return `0${u.s}`
  return parts.slice(first, first + 2).filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join(sep)
}

/** Working minutes in the unit an editor shows them: whole hours as hours, else minutes. */
export const splitMinutes = (minutes: number): { value: number; unit: 'm' | 'h' } =>
  minutes > 0 && minutes % 60 === 0 ? { value: minutes / 60, unit: 'h' } : { value: minutes, unit: 'm' }

export const joinMinutes = (value: number, unit: 'm' | 'h'): number => Math.round(unit === 'h' ? value * 60 : value)

/** A duration in minutes (the reports' medians) as "3.5 小时" / "45 分钟"; — for none. */
export const formatMinutes = (minutes: number | null | undefined, words: { m: (n: string) => string; h: (n: string) => string }): string => {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—'
  if (minutes < 60) return words.m(String(Math.round(minutes)))
  return words.h(String(Math.round((minutes / 60) * 10) / 10))
}

/** A rate (0–1) as a percentage with one decimal; — for none. */
export const formatRate = (rate: number | null | undefined): string =>
  rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Day = (typeof DAYS)[number]
export type WeeklyHours = Partial<Record<Day, Array<[string, string]>>>

const TIME = /^([01]\d|2[0-4]):[0-5]\d$/

/** A day's intervals as typed ("09:00-18:00, 19:00-21:00"), or null when one is malformed or runs backwards; empty = closed. */
export const parseIntervals = (text: string): Array<[string, string]> | null => {
  const pieces = text.split(/[,，;；]/).map((p) => p.trim()).filter(Boolean)
  const out: Array<[string, string]> = []
  for (const piece of pieces) {
    const m = /^(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})$/.exec(piece)
    if (!m) return null
    const [a, b] = [m[1]!.padStart(5, '0'), m[2]!.padStart(5, '0')]
    if (!TIME.test(a) || !TIME.test(b) || a >= b) return null
    out.push([a, b])
  }
  return out
}

export const intervalsText = (intervals: ReadonlyArray<readonly [string, string]> | undefined): string =>
  (intervals ?? []).map(([a, b]) => `${a}-${b}`).join(', ')

/** A week of hours in a line, runs of days with the same hours together: "周一–周五 09:00-18:00；周六 10:00-16:00". */
export const weeklyHoursSummary = (hours: WeeklyHours | null | undefined, dayName: (d: Day) => string, sep = '; '): string => {
  if (!hours) return ''
  const runs: Array<{ from: Day; to: Day; text: string }> = []
  for (const day of DAYS) {
    const text = intervalsText(hours[day])
    const last = runs.at(-1)
    if (last && last.text === text && DAYS.indexOf(last.to) === DAYS.indexOf(day) - 1) last.to = day
    else runs.push({ from: day, to: day, text })
  }
  return runs.filter((r) => r.text).map((r) => `${dayName(r.from)}${r.from === r.to ? '' : `–${dayName(r.to)}`} ${r.text}`).join(sep)
}

export interface RoleLimit { maxPoints: number | null; maxCouponValue: number | null }
export interface GrantedLike { kind: 'points' | 'coupon'; points: number | null; faceValue: number | null }

/**
 * What the signed-in role may still grant on this ticket: null = the role may not compensate;
 * a figure left (points, coupon fen) or null for no limit.
 */
export const compensationAllowance = (
  limits: Record<string, RoleLimit> | undefined, role: string | undefined, granted: readonly GrantedLike[],
): { points: number | null; couponValue: number | null } | null => {
  const limit = role ? limits?.[role] : undefined
  if (!limit) return null
  const points = granted.reduce((s, g) => s + (g.kind === 'points' ? g.points ?? 0 : 0), 0)
  const coupons = granted.reduce((s, g) => s + (g.kind === 'coupon' ? g.faceValue ?? 0 : 0), 0)
  return {
    points: limit.maxPoints === null ? null : Math.max(0, limit.maxPoints - points),
    couponValue: limit.maxCouponValue === null ? null : Math.max(0, limit.maxCouponValue - coupons),
  }
}

/** Why a file cannot be a ticket's photo (checked again by the server, by its bytes), or null. */
export const photoProblem = (file: { type: string; size: number }): 'badType' | 'tooLarge' | null => {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return 'badType'
  return file.size > MAX_PHOTO_BYTES ? 'tooLarge' : null
}

/** The queue's row selection after a key: j/↓ down, k/↑ up, kept within the rows; -1 = none yet. */
export const moveSelection = (index: number, key: string, rows: number): number => {
  if (rows === 0) return -1
  if (key === 'j' || key === 'ArrowDown') return Math.min(rows - 1, index + 1)
  if (key === 'k' || key === 'ArrowUp') return index < 0 ? 0 : Math.max(0, index - 1)
  return index
}

export interface CategoryLike { id: string; parentId: string | null; name: string; nameEn: string | null; sort: number; active: boolean }
export interface CategoryNode { value: string; title: string; disabled?: boolean; children?: CategoryNode[] }

/** The category list as a tree for a TreeSelect, by sort then name; inactive ones left out unless `withInactive`. */
export const categoryTree = (categories: readonly CategoryLike[], english: boolean, withInactive = false): CategoryNode[] => {
  const shown = categories.filter((c) => withInactive || c.active)
  const ids = new Set(shown.map((c) => c.id))
  const byParent = new Map<string | null, CategoryLike[]>()
  for (const c of shown) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null
    byParent.set(parent, [...(byParent.get(parent) ?? []), c])
  }
  const build = (parent: string | null): CategoryNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name))
      .map((c) => {
        const children = build(c.id)
        return { value: c.id, title: (english && c.nameEn) || c.name, ...(children.length ? { children } : {}) }
      })
  return build(null)
}

/** A category's name in the console's language (the English one when there is one). */
export const categoryLabel = (c: { categoryName?: string | null; categoryNameEn?: string | null; name?: string | null; nameEn?: string | null } | null | undefined, english: boolean, fallback = '—'): string => {
  if (!c) return fallback
  const zh = c.categoryName ?? c.name ?? null
  const en = c.categoryNameEn ?? c.nameEn ?? null
  return (english && en) || zh || fallback
}

/** A week of hours as one text per day, for an editor. */
export const hoursToTexts = (hours: WeeklyHours | null | undefined): Record<Day, string> =>
  Object.fromEntries(DAYS.map((d) => [d, intervalsText(hours?.[d])])) as Record<Day, string>

/** An editor's texts back to a week of hours (closed days left out), or null when a day is malformed. */
export const textsToHours = (texts: Partial<Record<Day, string>>): WeeklyHours | null => {
  const out: WeeklyHours = {}
  for (const d of DAYS) {
    const intervals = parseIntervals(texts[d] ?? '')
    if (!intervals) return null
    if (intervals.length) out[d] = intervals
  }
  return out
}

/** Who has the ticket, from a 409 TICKET_TAKEN ("王芳 has this ticket"), or null for any other error. */
export const takenBy = (err: unknown): string | null => {
  const e = err as { code?: string; details?: Array<{ reason?: string }> } | null
  if (e?.code !== 'TICKET_TAKEN') return null
  const m = /^(.*) has this ticket$/.exec(e.details?.[0]?.reason ?? '')
  return m?.[1] && m[1] !== 'someone' ? m[1] : null
}

/** The intake form prefilled (the member, the receipt and its store), as a receipt, a sale or a member's page opens it. */
export const newTicketLink = (prefill: { memberId?: string | null; receiptId?: string | null; storeId?: string | null } = {}): string => {
  const params = new URLSearchParams(Object.entries(prefill).filter((e): e is [string, string] => Boolean(e[1])))
  return `/service/tickets/new${params.size ? `?${params.toString()}` : ''}`
}
