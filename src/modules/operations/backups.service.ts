import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { BackupError, backupDatabase, listBackups } from '../../db/backup.js'
import type { Database } from '../../db/database.js'
import { actorName, assertCan, type Actor } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { patronVersion } from '../../shared/version.js'
import type { AuditService } from '../audit/index.js'
import type { OutboxService } from '../outbox/index.js'
import { backupsToRemove } from './backup-retention.js'
import * as repo from './operations.repository.js'
import type { BackupRunsTable, BackupStatus, BackupTrigger } from './operations.table.js'

// The daily backup (issue 16 §1): a consistent copy of the database into <data dir>/backups
// (src/db/backup.ts), then retention: keep the newest of each of the last `keepDaily` days and
// `keepWeekly` ISO weeks. Each run is recorded; a failed run, or none that succeeded for more
// than a day while backups are on, is an alert on HQ's dashboard and an error in the log.

export interface BackupSettings {
  enabled: boolean
  keepDaily: number
  keepWeekly: number
}

export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { enabled: true, keepDaily: 7, keepWeekly: 4 }
const STALE_MS = 26 * 3_600_000

export interface BackupRun {
  id: string
  trigger: BackupTrigger
  status: BackupStatus
  startedAt: string
  finishedAt: string | null
  startedBy: string | null
  name: string | null
  bytes: number | null
  rows: number | null
  removed: string[]
  error: string | null
}

export interface BackupsStatus {
  settings: BackupSettings
  /** where the backups go (on this server's disk) */
  dir: string
  engine: 'sqlite' | 'postgres'
  runs: BackupRun[]
  /** the backup folders present, newest first */
  backups: Array<{ name: string; createdAt: string; bytes: number; migration: string | null; patronVersion: string }>
  /** the last run failed, or none succeeded for more than 26 hours while backups are on */
  alert: { kind: 'failed' | 'stale'; since: string | null; error: string | null } | null
}

const toRun = (r: BackupRunsTable): BackupRun => ({
  id: r.id, trigger: r.trigger, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, startedBy: r.started_by, name: r.name,
  bytes: r.bytes === null ? null : Number(r.bytes), rows: r.rows_total === null ? null : Number(r.rows_total),
  removed: r.removed ? (JSON.parse(r.removed) as string[]) : [], error: r.error,
})

export interface BackupsDeps {
  database: Database
  clock: Clock
  audit: AuditService
  outbox: OutboxService
  timezone: string
  dataDir: string
  log?: Logger
}

export const BACKUP_JOB = 'operations.backup'

export const createBackupsService = ({ database, clock, audit, outbox, timezone, dataDir, log }: BackupsDeps) => {
  const { db } = database
  const dir = join(dataDir, 'backups')
  const now = () => clock.now().toISOString()

  const readSettings = async (): Promise<BackupSettings> => {
    const raw = await repo.readSettings(db)
    return raw ? { ...DEFAULT_BACKUP_SETTINGS, ...(JSON.parse(raw) as Partial<BackupSettings>) } : DEFAULT_BACKUP_SETTINGS
  }

  const updateSettings = async (actor: Actor, patch: Partial<BackupSettings>): Promise<BackupSettings> => {
    assertCan(actor, 'chain.manage')
    const details: Array<{ field: string; reason: string }> = []
    for (const [field, max] of [['keepDaily', 365], ['keepWeekly', 520]] as const) {
      const v = patch[field]
      if (v !== undefined && (!Number.isInteger(v) || v < (field === 'keepDaily' ? 1 : 0) || v > max)) details.push({ field, reason: `whole number from ${field === 'keepDaily' ? 1 : 0} to ${max}` })
    }
    if (details.length) throw unprocessable('VALIDATION', details)
    const before = await readSettings()
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as BackupSettings
    await db.transaction().execute(async (trx) => {
      await repo.writeSettings(trx, JSON.stringify(next))
      const changes = Object.fromEntries((Object.keys(next) as Array<keyof BackupSettings>).filter((k) => next[k] !== before[k]).map((k) => [k, { from: before[k], to: next[k] }]))
      await audit.record(trx, actor, { action: 'backup.settings.update', entityType: 'backup_settings', changes })
    })
    return next
  }

  /**
   * One backup now, then retention; recorded whatever happens. A failure is logged and kept as
   * the run's error (the dashboard shows it), not thrown: the next day's run tries again.
   */
  const run = async (trigger: BackupTrigger, by: string | null = null): Promise<BackupRun> => {
    const settings = await readSettings()
    const id = newId('bkr')
    const startedAt = now()
    await repo.insertRun(db, { id, trigger, status: 'running', started_at: startedAt, finished_at: null, started_by: by, name: null, bytes: null, rows_total: null, removed: null, error: null })
    try {
      const made = await backupDatabase({ database, to: dir, now: clock.now(), patronVersion: patronVersion() })
      const present = listBackups(dir).map((b) => ({ name: b.name, createdAt: b.manifest.createdAt }))
      const removed = backupsToRemove(present, { keepDaily: settings.keepDaily, keepWeekly: settings.keepWeekly, timezone })
      for (const name of removed) rmSync(join(dir, name), { recursive: true, force: true })
      await repo.finishRun(db, id, {
        status: 'ok', finished_at: now(), name: made.dir.split(/[\\/]/).pop()!, bytes: made.manifest.files.reduce((a, f) => a + f.bytes, 0),
        rows_total: Object.values(made.manifest.rows).reduce((a, n) => a + n, 0), removed: JSON.stringify(removed),
      })
    } catch (err) {
      const message = err instanceof BackupError ? `${err.message} (${err.code})` : (err as Error).message
      log?.error({ err }, `backup failed: ${message}`)
      await repo.finishRun(db, id, { status: 'failed', finished_at: now(), error: message.slice(0, 2000) })
    }
    return toRun((await repo.latestRuns(db, 50)).find((r) => r.id === id)!)
  }

  /** The scheduled run (daily): nothing when backups are off. */
  const runScheduled = async (): Promise<BackupRun | { skipped: 'backups are off' }> =>
    (await readSettings()).enabled ? run('schedule') : { skipped: 'backups are off' }

  /** Queues a backup now (the worker runs it); one per minute however often it is asked. */
  const requestNow = async (actor: Actor): Promise<{ queued: boolean }> => {
    assertCan(actor, 'jobs.manage')
    const queued = await outbox.enqueue(db, BACKUP_JOB, { trigger: 'manual', by: actorName(actor) }, { key: `${BACKUP_JOB}:manual:${now().slice(0, 16)}` })
    return { queued: queued !== null }
  }

  const alertOf = (settings: BackupSettings, runs: BackupRun[], ok: BackupRunsTable | undefined): BackupsStatus['alert'] => {
    const last = runs.find((r) => r.status !== 'running')
    if (last?.status === 'failed') return { kind: 'failed', since: last.startedAt, error: last.error }
    if (settings.enabled && runs.length > 0 && (!ok || clock.now().getTime() - Date.parse(ok.started_at) > STALE_MS)) return { kind: 'stale', since: ok?.started_at ?? null, error: null }
    return null
  }

  const status = async (actor: Actor): Promise<BackupsStatus> => {
    assertCan(actor, 'jobs.manage')
    const settings = await readSettings()
    const runs = (await repo.latestRuns(db, 30)).map(toRun)
    const alert = alertOf(settings, runs, await repo.latestOk(db))
    return {
      settings, dir, engine: database.engine, runs, alert,
      backups: listBackups(dir).map((b) => ({ name: b.name, createdAt: b.manifest.createdAt, bytes: b.manifest.files.reduce((a, f) => a + f.bytes, 0), migration: b.manifest.migration, patronVersion: b.manifest.patronVersion })),
    }
  }

  const settingsOf = async (actor: Actor): Promise<BackupSettings> => {
    assertCan(actor, 'jobs.manage')
    return readSettings()
  }

  /** For monitoring (no actor: /metrics has its own guard): when the last good backup began, and whether the alert is up. */
  const lastOk = async (): Promise<{ lastOkAt: string | null; alert: boolean }> => {
    const [settings, runs, ok] = await Promise.all([readSettings(), repo.latestRuns(db, 10), repo.latestOk(db)])
    return { lastOkAt: ok?.started_at ?? null, alert: alertOf(settings, runs.map(toRun), ok) !== null }
  }

  return { run, runScheduled, requestNow, status, lastOk, settings: settingsOf, updateSettings }
}

export type BackupsService = ReturnType<typeof createBackupsService>
