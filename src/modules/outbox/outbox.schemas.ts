import { Type } from 'typebox'
import { CursorQuery, Nullable, Page } from '../../shared/http/schemas.js'

export const JobStatusSchema = Type.Enum(['queued', 'running', 'done', 'dead'])

export const QueueSchema = Type.Object({
  name: Type.String(),
  queued: Type.Integer({ description: 'queued jobs, due or not' }),
  due: Type.Integer({ description: 'queued jobs whose time has come' }),
  lagSeconds: Type.Integer({ description: 'how long the oldest due job has waited' }),
  running: Type.Integer(),
  done: Type.Integer({ description: 'done and not yet forgotten (kept 7 days)' }),
  dead: Type.Integer({ description: 'failed on every attempt: retry or discard' }),
})

export const JobSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  payload: Type.Unknown(),
  runAt: Type.String(),
  status: JobStatusSchema,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  result: Type.Unknown(),
  lockedBy: Nullable(Type.String()),
  lockedUntil: Nullable(Type.String()),
  key: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  progress: Nullable(Type.Object({ done: Type.Number(), total: Type.Number(), step: Nullable(Type.String()) }, { description: 'how far a running job that reports progress has come' })),
})

export const QueuesSchema = Type.Object({ items: Type.Array(QueueSchema) })
export const JobPageSchema = Page(JobSchema)

export const JobsQuery = Type.Object({
  status: Type.Optional(JobStatusSchema),
  name: Type.Optional(Type.String({ maxLength: 100 })),
  failed: Type.Optional(Type.Boolean({ description: 'only jobs whose last attempt failed (waiting to retry, or dead)' })),
  ...CursorQuery,
}, { additionalProperties: false })
