import type { Database } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import type { OutboxService } from '../outbox/index.js'
import type { BackupsService } from './backups.service.js'
import { countReceiptsWrittenSince } from '../transactions/index.js'

// What an operator's monitoring reads from the database at each scrape of /metrics: the same
// figures from every API process, since they are the chain's, not the process's.

export interface HealthSnapshot {
  /** per job name: queued, of them due now, the oldest due one's wait, running, dead */
  jobs: Array<{ name: string; queued: number; due: number; lagSeconds: number; running: number; dead: number }>
  /** receipts written in the last 60 seconds */
  receiptsLastMinute: number
  /** seconds since the last backup that succeeded; null when none has */
  lastBackupAgeSeconds: number | null
  /** the dashboard's backup alert is up */
  backupAlert: boolean
}

const SYSTEM: Actor = { kind: 'system', name: 'metrics' }

export const createHealthService = ({ database, clock, outbox, backups }: { database: Database; clock: Clock; outbox: OutboxService; backups: BackupsService }) => {
  const snapshot = async (): Promise<HealthSnapshot> => {
    const at = clock.now()
    const [queues, receiptsLastMinute, backup] = await Promise.all([
      outbox.queues(SYSTEM),
      countReceiptsWrittenSince(database.db, new Date(at.getTime() - 60_000).toISOString()),
      backups.lastOk(),
    ])
    return {
      jobs: queues.map(({ name, queued, due, lagSeconds, running, dead }) => ({ name, queued, due, lagSeconds, running, dead })),
      receiptsLastMinute,
      lastBackupAgeSeconds: backup.lastOkAt ? Math.max(0, Math.round((at.getTime() - Date.parse(backup.lastOkAt)) / 1000)) : null,
      backupAlert: backup.alert,
    }
  }
  return { snapshot }
}

export type HealthService = ReturnType<typeof createHealthService>
