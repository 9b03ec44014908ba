// What the CLV page asks of the API besides reading: a holdout check (queued as a job, followed
// until its result is stored) and the at-risk list saved as a segment.

/** The holdout the nightly check uses: the 26 weeks to today. */
export const DEFAULT_HOLDOUT_WEEKS = 26

/** A date N days from a date (YYYY-MM-DD), in calendar days. */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** The holdout's length in weeks, as the form starts from it: the last check's (rounded), else 26. */
export const holdoutWeeksOf = (holdout: { length: number } | undefined, unit: 'day' | 'week' | undefined): number =>
  holdout ? Math.max(1, Math.round(unit === 'day' ? holdout.length / 7 : holdout.length)) : DEFAULT_HOLDOUT_WEEKS

export interface CheckForm {
  weeks: number
  unit: 'day' | 'week'
  regionId?: string | null
}

/**
 * The body of POST /insight/clv/checks: the holdout is the `weeks` weeks to today (in the chain's
 * zone), both ends sent so its length is what the form says whatever the server's day is.
 */
export const checkBody = (form: CheckForm, today: string) => ({
  calibrationEnd: addDays(today, -7 * form.weeks),
  holdoutEnd: today,
  unit: form.unit,
  ...(form.regionId ? { regionId: form.regionId } : {}),
})

/** An analytics job as GET /insight/jobs/{id} tells it. */
export interface AnalyticsJob {
  id: string
  status: string
  result: unknown
  lastError: string | null
}

/**
 * Where a queued check stands: waiting (queued, running, or not read yet), stored (the id of the
 * check it stored), refused (too few purchases: the job ends with the refusal's code and leaves the
 * last check) or failed (the job gave up; its last error).
 */
export type CheckOutcome =
  | { kind: 'waiting' }
  | { kind: 'stored'; checkId: string }
  | { kind: 'refused'; code: string }
  | { kind: 'failed'; error: string | null }

export const checkOutcome = (jobId: string, job: AnalyticsJob | undefined): CheckOutcome => {
  if (!job || job.id !== jobId) return { kind: 'waiting' }
  if (job.status === 'dead') return { kind: 'failed', error: job.lastError }
  if (job.status !== 'done') return { kind: 'waiting' }
  const result = (job.result ?? {}) as { checkId?: unknown; refused?: unknown }
  if (typeof result.refused === 'string') return { kind: 'refused', code: result.refused }
  if (typeof result.checkId === 'string') return { kind: 'stored', checkId: result.checkId }
  return { kind: 'failed', error: job.lastError }
}

/**
 * The at-risk list as a segment definition: P(alive) below the line (‰) and a CLV above zero
 * (money in fen, as the segment API takes it) — the members worth winning back, not only the 50
 * the page lists, and as each night's scoring finds them.
 */
export const atRiskDefinition = (belowPm: number) => ({
  all: [
    { field: 'p_alive_pm', op: 'lt', value: belowPm },
    { field: 'clv', op: 'gt', value: 0 },
  ],
})
