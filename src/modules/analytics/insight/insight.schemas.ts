import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const FreshnessSchema = Type.Object({
  asOf: Nullable(Day),
  today: Day,
  windowDays: Type.Integer(),
  window: Type.Object({ from: Day, to: Day }),
  lastFullAt: Nullable(Type.String()),
  lastIncrementalAt: Nullable(Type.String()),
  pendingReceipts: Type.Integer(),
  membersCovered: Type.Integer(),
})

export const RefreshBody = Type.Object({
  full: Type.Optional(Type.Boolean({ description: 'recompute every member (default: what changed since the last refresh)' })),
  rebuild: Type.Optional(Type.Boolean({ description: 'also rebuild the days by category from every receipt line (implies full)' })),
}, { additionalProperties: false })

export const RefreshQueuedSchema = Type.Object({
  jobId: Type.String(),
  full: Type.Boolean(),
  rebuild: Type.Boolean(),
  /** a request in the same minute joins the job already queued */
  joined: Type.Boolean(),
})
