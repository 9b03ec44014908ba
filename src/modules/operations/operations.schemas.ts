import { Type } from 'typebox'
import { Nullable } from '../../shared/http/schemas.js'

export const BackupSettingsSchema = Type.Object({
  enabled: Type.Boolean({ description: 'the daily backup runs' }),
  keepDaily: Type.Integer({ description: 'keep the newest backup of each of the last N days' }),
  keepWeekly: Type.Integer({ description: 'and of each of the last M ISO weeks' }),
})

export const BackupSettingsBody = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  keepDaily: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  keepWeekly: Type.Optional(Type.Integer({ minimum: 0, maximum: 520 })),
}, { additionalProperties: false })

const Run = Type.Object({
  id: Type.String(),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  status: Type.Union([Type.Literal('running'), Type.Literal('ok'), Type.Literal('failed')]),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  startedBy: Nullable(Type.String()),
  name: Nullable(Type.String()),
  bytes: Nullable(Type.Integer()),
  rows: Nullable(Type.Integer()),
  removed: Type.Array(Type.String()),
  error: Nullable(Type.String()),
})

export const BackupsStatusSchema = Type.Object({
  settings: BackupSettingsSchema,
  dir: Type.String(),
  engine: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  runs: Type.Array(Run),
  backups: Type.Array(Type.Object({ name: Type.String(), createdAt: Type.String(), bytes: Type.Integer(), migration: Nullable(Type.String()), patronVersion: Type.String() })),
  alert: Nullable(Type.Object({ kind: Type.Union([Type.Literal('failed'), Type.Literal('stale')]), since: Nullable(Type.String()), error: Nullable(Type.String()) })),
})
